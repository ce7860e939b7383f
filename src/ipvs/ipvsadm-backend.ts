// The production backend: reads the kernel table with ipvsadm and writes a plan as ONE `ipvsadm -R` batch, then
// re-reads the table to see which operations took effect (ipvsadm -R goes on past a failing line and its messages do
// not name the line), and runs only the unconfirmed ones again as single commands to learn which failed and why.
import { IpvsadmError, IpvsUnavailableError } from "../errors.js";
import { formatOp, formatRestoreLine } from "./format-op.js";
import { parseIpvsadmSave, parseIpvsadmThresholds, withThresholds } from "./parse-ipvsadm.js";
import { locateIpvsadm, runIpvsadm } from "./run-ipvsadm.js";
import { kernelRealPort, realAttrsDiffer, serviceAttrsDiffer, specOf, tableRealKey } from "./table-keys.js";
import type { ApplyResult, IpvsBackend, IpvsTable, TableOp } from "./types.js";

/** Options of the ipvsadm backend. */
export interface IpvsadmBackendOptions {
  /** The binary (--ipvsadm); default found on /sbin, /usr/sbin, PATH. */
  readonly ipvsadm?: string;
  /** Receives each ipvsadm invocation that changes the table (for debug logs). */
  readonly log?: (line: string) => void;
  /** Limit per ipvsadm run, default 30 s. */
  readonly timeoutMs?: number;
}

/** Messages that mean "the kernel has no IPVS": fail with a clear error, never fall back silently. */
const UNAVAILABLE = /Protocol not available|Can't initialize ipvs|Module ip_vs not found|Operation not permitted|Permission denied/i;

/** True when a failed single command still means the operation is in effect (ldirectord's idempotence rules). */
export function alreadyInEffect(op: TableOp, stderr: string): boolean {
  if (op.kind === "add-service" || op.kind === "add-real") return /already exists/i.test(stderr);
  if (op.kind === "delete-real") return /No such destination/i.test(stderr);
  if (op.kind === "delete-service") return /No such service/i.test(stderr);
  return false;
}

/** True when `table` shows the effect of `op` (add: present; edit: present with these attributes; delete: absent). */
export function opInEffect(table: IpvsTable, op: TableOp): boolean {
  const svc = table.find((s) => s.key === op.service.key);
  switch (op.kind) {
    case "add-service":
      return svc !== undefined;
    case "edit-service":
      return svc !== undefined && !serviceAttrsDiffer(specOf(svc), op.service);
    case "delete-service":
      return svc === undefined;
    default: {
      const key = tableRealKey({ ...op.real, port: kernelRealPort(op.service, op.real.forward, op.real.port) });
      const real = svc?.reals.find((r) => tableRealKey(r) === key);
      if (op.kind === "delete-real") return real === undefined;
      if (real === undefined) return false;
      return op.kind === "add-real" || !realAttrsDiffer(real, { ...op.real, port: real.port });
    }
  }
}

/** The ipvsadm backend (construct with createIpvsadmBackend, which checks that the kernel has IPVS). */
export class IpvsadmBackend implements IpvsBackend {
  readonly name = "ipvsadm";
  /** The binary in use. */
  readonly bin: string;
  private readonly opts: IpvsadmBackendOptions;

  /** Use `bin` (see locateIpvsadm). */
  constructor(bin: string, opts: IpvsadmBackendOptions = {}) {
    this.bin = bin;
    this.opts = opts;
  }

  private async run(argv: readonly string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runIpvsadm(this.bin, argv, { ...(input === undefined ? {} : { input }), ...(this.opts.timeoutMs === undefined ? {} : { timeoutMs: this.opts.timeoutMs }) });
  }

  /** The live table: `ipvsadm -S -n`, with -x/-y from `ipvsadm -L -n --thresholds` (-S does not print them). */
  async read(): Promise<IpvsTable> {
    const [save, thresholds] = await Promise.all([this.run(["-S", "-n"]), this.run(["-L", "-n", "--thresholds"])]);
    for (const r of [save, thresholds]) {
      if (r.code !== 0) {
        const argv = r === save ? ["-S", "-n"] : ["-L", "-n", "--thresholds"];
        if (UNAVAILABLE.test(r.stderr)) {
          throw new IpvsUnavailableError(
            `the kernel IPVS table cannot be used: ${this.bin} ${argv.join(" ")}: ${r.stderr.trim().split("\n").join(" / ")} ` +
              "(load the ip_vs module and run as root, or choose --backend dry-run explicitly)",
          );
        }
        throw new IpvsadmError(argv, r.code, r.stderr);
      }
    }
    return withThresholds(parseIpvsadmSave(save.stdout), parseIpvsadmThresholds(thresholds.stdout));
  }

  /** One `ipvsadm -R` batch, re-read, then single commands for what the batch did not achieve. */
  async apply(ops: readonly TableOp[]): Promise<ApplyResult> {
    if (ops.length === 0) return { applied: [], failed: [] };
    const input = ops.map(formatRestoreLine).join("\n") + "\n";
    this.opts.log?.(`${this.bin} -R <<< ${ops.length} line(s)`);
    const batch = await this.run(["-R"], input);
    if (batch.code !== 0 || batch.stderr.trim() !== "") this.opts.log?.(`${this.bin} -R exited ${batch.code ?? "by signal"}: ${batch.stderr.trim().split("\n").join(" / ")}`);
    // Verify even a clean batch: the kernel table, not ipvsadm's exit code, says what happened (a refused line can
    // also keep the next one from applying, as observed with ipvsadm 1.31 in the lab).
    const after = await this.read();
    const applied: TableOp[] = [];
    const failed: { op: TableOp; reason: string }[] = [];
    for (const op of ops) {
      if (opInEffect(after, op)) {
        applied.push(op);
        continue;
      }
      const argv = formatOp(op);
      this.opts.log?.(`${this.bin} ${argv.join(" ")}`);
      const single = await this.run(argv);
      if (single.code === 0 || alreadyInEffect(op, single.stderr)) applied.push(op);
      else failed.push({ op, reason: `${this.bin} ${argv.join(" ")}: ${single.stderr.trim() || `exit ${single.code ?? "by signal"}`}` });
    }
    return { applied, failed };
  }
}

/** Locate ipvsadm and read the table once, so a kernel without IPVS fails here with IpvsUnavailableError. */
export async function createIpvsadmBackend(opts: IpvsadmBackendOptions = {}): Promise<IpvsadmBackend> {
  const backend = new IpvsadmBackend(locateIpvsadm(opts.ipvsadm), opts);
  await backend.read();
  return backend;
}
