// `ldirectord-ts [CONFIG] check [--virtual V] [--real R] [--json]`: run every configured check once, concurrently,
// with the daemon's own runCheck, and print one row per (virtual, real). Exit 0 all checked reals healthy,
// 1 any not, 2 config or usage error. checktype=off rows are listed as not checked and do not fail the run.
import { loadConfig } from "../../config/index.js";
import type { RealServer, VirtualService } from "../../config/types.js";
import { checkKey, checkLabel, runCheck, type CheckResult } from "../../checks/index.js";
import { ConfigError, ConfigNotFoundError } from "../../errors.js";
import type { CommandContext } from "../context.js";
import { describeError } from "../exit-codes.js";

/** Most checks in flight at once: enough for large configs, bounded so file descriptors are not exhausted. */
export const CHECK_CONCURRENCY = 256;

/** One row of the report. `ok` is null for a real that is not checked (checktype=off). */
export interface CheckRow {
  readonly virtual: string;
  readonly real: string;
  readonly check: string;
  readonly checked: boolean;
  readonly ok: boolean | null;
  readonly durationMs: number;
  readonly message: string;
}

/** `ADDR:PORT` of a real, IPv6 in brackets. */
export function realLabel(real: RealServer): string {
  return real.family === 6 ? `[${real.address}]:${real.port}` : `${real.address}:${real.port}`;
}

/** The virtual as the report names it: `tcp:10.0.0.1:80`, `udp:[2001:db8::1]:53`, `fwm:42`. */
export function virtualLabel(virtual: VirtualService): string {
  return virtual.key;
}

/** Whether `filter` (a key, a VIP, VIP:port, or a fwmark number) names `virtual`. */
export function matchesVirtual(virtual: VirtualService, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  const addr = virtual.address?.toLowerCase();
  const candidates = [virtual.key.toLowerCase()];
  if (addr !== undefined) candidates.push(addr, `[${addr}]`, virtual.family === 6 ? `[${addr}]:${virtual.port}` : `${addr}:${virtual.port}`);
  if (virtual.fwmark !== undefined) candidates.push(String(virtual.fwmark));
  return candidates.includes(f);
}

/** Whether `filter` (an IP or IP:port, IPv6 bracketed or bare) names `real`. */
export function matchesReal(real: RealServer, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  const addr = real.address.toLowerCase();
  return [addr, `[${addr}]`, real.family === 6 ? `[${addr}]:${real.port}` : `${addr}:${real.port}`].includes(f);
}

/** Run `tasks` with at most `limit` in flight; results in input order. */
async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < tasks.length; i = next++) {
      const task = tasks[i];
      if (task !== undefined) results[i] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Run the checks of the selected pairs; identical checks (same checkKey) run once and share the result. */
export async function runChecks(pairs: ReadonlyArray<{ virtual: VirtualService; real: RealServer }>, limit = CHECK_CONCURRENCY): Promise<CheckRow[]> {
  const shared = new Map<string, () => Promise<CheckResult>>();
  const tasks = pairs.map(({ virtual, real }) => {
    const base = { virtual: virtualLabel(virtual), real: realLabel(real), check: checkLabel(virtual) };
    if (virtual.checktype === "off") {
      return (): Promise<CheckRow> => Promise.resolve({ ...base, checked: false, ok: null, durationMs: 0, message: "not checked (checktype=off)" });
    }
    const key = checkKey(virtual, real);
    let run = shared.get(key);
    if (run === undefined) {
      let promise: Promise<CheckResult> | undefined;
      // checktype=N: the one-shot run does the full (negotiate) check.
      run = () => (promise ??= runCheck(virtual, real, { phase: "negotiate" }));
      shared.set(key, run);
    }
    const once = run;
    return async (): Promise<CheckRow> => {
      const r = await once();
      return { ...base, checked: true, ok: r.ok, durationMs: Math.round(r.durationMs * 10) / 10, message: r.message };
    };
  });
  return pool(tasks, limit);
}

/** The rows as an aligned table: VIRTUAL REAL CHECK RESULT TIME MESSAGE. */
export function renderRows(rows: readonly CheckRow[]): string {
  const cells = rows.map((r) => [r.virtual, r.real, r.check, r.ok === null ? "OFF" : r.ok ? "ok" : "FAIL", `${r.durationMs.toFixed(1)}ms`, r.message]);
  const header = ["VIRTUAL", "REAL", "CHECK", "RESULT", "TIME", "MESSAGE"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...cells.map(line)].join("\n")}\n`;
}

/** Run the check command; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  let virtuals: readonly VirtualService[];
  try {
    const config = await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
    virtuals = config.virtuals;
    // Warnings go to stderr so the rows (and --json) on stdout stay clean.
    for (const w of config.warnings) ctx.stderr.write(`${w.file}:${w.line}: warning: ${w.message}\n`);
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof ConfigNotFoundError)) throw err;
    ctx.stderr.write(`ldirectord-ts: ${describeError(err)}\n`);
    return 2;
  }
  const { virtual: vFilter, real: rFilter } = ctx.options;
  const selected = vFilter === undefined ? virtuals : virtuals.filter((v) => matchesVirtual(v, vFilter));
  const pairs = selected.flatMap((virtual) => virtual.reals.filter((real) => rFilter === undefined || matchesReal(real, rFilter)).map((real) => ({ virtual, real })));
  if (pairs.length === 0 && (vFilter !== undefined || rFilter !== undefined)) {
    const what = [vFilter !== undefined ? `--virtual ${vFilter}` : "", rFilter !== undefined ? `--real ${rFilter}` : ""].filter((s) => s !== "").join(" ");
    ctx.stderr.write(`ldirectord-ts: check: nothing matches ${what}; virtual services: ${virtuals.map(virtualLabel).join(", ") || "none"}\n`);
    return 2;
  }
  const rows = await runChecks(pairs);
  if (ctx.options.json) ctx.stdout.write(`${JSON.stringify({ results: rows }, null, 2)}\n`);
  else ctx.stdout.write(rows.length === 0 ? "no real servers configured\n" : renderRows(rows));
  return rows.some((r) => r.ok === false) ? 1 : 0;
}
