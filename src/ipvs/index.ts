// The IPVS table module's public face: the backend factory for the daemon and the CLI, and the pure pieces.
import { createIpvsadmBackend } from "./ipvsadm-backend.js";
import { createDryRunBackend, MemoryBackend } from "./memory-backend.js";
import type { IpvsBackend, IpvsTable } from "./types.js";

export { desiredTable, realKey, serviceSpecOf } from "./desired.js";
export type { HealthView, RealHealth } from "./desired.js";
export { knownRealsOf, planChanges } from "./plan.js";
export type { PlanOptions } from "./plan.js";
export { formatCommand, formatOp, formatRestoreLine } from "./format-op.js";
export { parseIpvsadmSave, parseIpvsadmThresholds, withThresholds } from "./parse-ipvsadm.js";
export { applyToTable, TableModel } from "./table-model.js";
export { createDryRunBackend, MemoryBackend } from "./memory-backend.js";
export { createIpvsadmBackend, IpvsadmBackend } from "./ipvsadm-backend.js";
export { reconcile } from "./reconcile.js";
export type { ReconcileResult } from "./reconcile.js";

/** Which backend: the kernel through ipvsadm, an in-memory table logging what it would run, or a silent one. */
export type BackendKind = "ipvsadm" | "dry-run" | "memory";

/** Options of createBackend (each backend reads what concerns it). */
export interface CreateBackendOptions {
  /** ipvsadm binary (--ipvsadm). */
  readonly ipvsadm?: string;
  /** dry-run: receives each `ipvsadm …` line it would run (default: stdout). */
  readonly log?: (line: string) => void;
  /** memory/dry-run: the starting table. */
  readonly initial?: IpvsTable;
}

/** Create a backend. `ipvsadm` rejects with IpvsUnavailableError on a kernel without IPVS (never falls back). */
export async function createBackend(kind: BackendKind, opts: CreateBackendOptions = {}): Promise<IpvsBackend> {
  switch (kind) {
    case "ipvsadm":
      // `log` is the dry-run's command stream: the ipvsadm backend does not write into it.
      return createIpvsadmBackend(opts.ipvsadm === undefined ? {} : { ipvsadm: opts.ipvsadm });
    case "dry-run":
      return createDryRunBackend({ log: opts.log ?? ((line) => process.stdout.write(`${line}\n`)), ...(opts.initial === undefined ? {} : { initial: opts.initial }) });
    case "memory":
      return new MemoryBackend(opts.initial === undefined ? {} : { initial: opts.initial });
  }
}
