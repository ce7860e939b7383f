// `ldirectord-ts [CONFIG] plan`: run every check once, read the live table from the selected backend, and print what
// `start` would change as complete `ipvsadm …` command lines on stdout (one per line; nothing when the table
// already matches). Everything else goes to stderr. Changes nothing.
import { readdir } from "node:fs/promises";
import { checkKey, runCheck } from "../../checks/index.js";
import { loadConfig } from "../../config/index.js";
import type { DirectorConfig, RealServer, VirtualService } from "../../config/types.js";
import { desiredTable, realKey, type HealthView, type RealHealth } from "../../ipvs/desired.js";
import { formatCommand } from "../../ipvs/format-op.js";
import { createBackend } from "../../ipvs/index.js";
import { planChanges } from "../../ipvs/plan.js";
import { maintenanceNames } from "../../ops/maintenance.js";
import type { CommandContext } from "../context.js";

/** At most this many checks in flight: enough to be quick, few enough not to flood real servers or the host. */
const CHECK_CONCURRENCY = 32;

/** Run fn over items with at most `limit` in flight; results in input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Names present in maintenancedir (empty when none is configured or it cannot be read). */
async function maintenanceFiles(config: DirectorConfig, stderr: NodeJS.WritableStream): Promise<Set<string>> {
  const dir = config.globals.maintenancedir;
  if (dir === undefined) return new Set();
  try {
    return new Set(await readdir(dir));
  } catch (err) {
    stderr.write(`ldirectord-ts: maintenancedir ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): no real is in maintenance\n`);
    return new Set();
  }
}

/** One pass of every check (identical checks shared, as the daemon does), as a health view. */
async function checkOnce(config: DirectorConfig, stderr: NodeJS.WritableStream): Promise<HealthView> {
  const jobs = new Map<string, { virtual: VirtualService; real: RealServer }>();
  const keyOf = new Map<string, string>();
  for (const v of config.virtuals) {
    for (const r of v.reals) {
      const k = checkKey(v, r);
      if (!jobs.has(k)) jobs.set(k, { virtual: v, real: r });
      keyOf.set(`${v.key} ${realKey(r)}`, k);
    }
  }
  const entries = [...jobs.entries()];
  const results = await mapBounded(entries, CHECK_CONCURRENCY, async ([, job]) => runCheck(job.virtual, job.real));
  const byCheck = new Map<string, RealHealth>();
  let up = 0;
  entries.forEach(([k], i) => {
    const r = results[i];
    const ok = r?.ok === true;
    if (ok) up += 1;
    else stderr.write(`down: ${r?.message ?? k}\n`);
    byCheck.set(k, ok ? "up" : "down");
  });
  stderr.write(`${entries.length} checks run: ${up} up, ${entries.length - up} down\n`);
  const maint = await maintenanceFiles(config, stderr);
  return {
    health: (v, r) => byCheck.get(keyOf.get(`${v} ${r}`) ?? "") ?? "unknown",
    inMaintenance: (v, r) => {
      const real = config.virtuals.find((x) => x.key === v)?.reals.find((x) => realKey(x) === r);
      return real !== undefined && maintenanceNames(real, real.hostname).some((n) => maint.has(n));
    },
  };
}

/** Run plan; resolves to the exit code (0, also when there is nothing to change). */
export async function run(ctx: CommandContext): Promise<number> {
  const config = await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
  // Open the backend before checking, so a kernel without IPVS is reported at once and not after every timeout.
  const backend = await createBackend(ctx.options.backend, {
    ...(ctx.options.ipvsadm === undefined ? {} : { ipvsadm: ctx.options.ipvsadm }),
    log: () => undefined, // plan applies nothing; the dry-run backend's command stream stays silent
  });
  const health = await checkOnce(config, ctx.stderr);
  const current = await backend.read();
  // The daemon's rule: only services the config owns, reals it does not list in them are purged (as ldirectord's start).
  const ops = planChanges(current, desiredTable(config, health), { purgeUnknownReals: true });
  const lines = ops.map((op) => formatCommand(op));
  if (ctx.options.json) {
    ctx.stdout.write(`${JSON.stringify({ backend: backend.name, changes: lines }, null, 2)}\n`);
  } else {
    for (const line of lines) ctx.stdout.write(`${line}\n`);
  }
  ctx.stderr.write(lines.length === 0 ? `the ${backend.name} table already matches ${config.file}\n` : `${lines.length} change(s) to the ${backend.name} table\n`);
  return 0;
}
