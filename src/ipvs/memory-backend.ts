// The in-memory backends: `memory` (unit tests) and `dry-run` (the demo and `plan`: logs every ipvsadm command it
// would run). Both keep the table in the shared TableModel, so they follow the kernel's rules and messages.
import { formatCommand } from "./format-op.js";
import { TableModel } from "./table-model.js";
import type { ApplyResult, IpvsBackend, IpvsTable, TableOp } from "./types.js";

/** Options of the in-memory backends. */
export interface MemoryBackendOptions {
  /** The table to start from (default empty). */
  readonly initial?: IpvsTable;
  /** Receives one complete `ipvsadm …` line per operation applied (dry-run). */
  readonly log?: (line: string) => void;
  /** Backend name for logs (default `memory`, or `dry-run` when created as such). */
  readonly name?: string;
}

/** An in-memory table behind the IpvsBackend interface. */
export class MemoryBackend implements IpvsBackend {
  readonly name: string;
  private readonly model: TableModel;
  private readonly log: ((line: string) => void) | undefined;

  /** A table held in memory (see MemoryBackendOptions). */
  constructor(opts: MemoryBackendOptions = {}) {
    this.name = opts.name ?? "memory";
    this.model = new TableModel(opts.initial ?? []);
    this.log = opts.log;
  }

  /** The table as it stands. */
  async read(): Promise<IpvsTable> {
    return this.model.snapshot();
  }

  /** Apply in order; "already exists"/"no such destination" count as applied, like the ipvsadm backend. */
  async apply(ops: readonly TableOp[]): Promise<ApplyResult> {
    const applied: TableOp[] = [];
    const failed: { op: TableOp; reason: string }[] = [];
    for (const op of ops) {
      this.log?.(formatCommand(op));
      const outcome = this.model.apply(op);
      if (outcome.ok) applied.push(op);
      else failed.push({ op, reason: outcome.reason });
    }
    return { applied, failed };
  }
}

/** The dry-run backend: an in-memory table that logs every ipvsadm command line it would run. */
export function createDryRunBackend(opts: { readonly log: (line: string) => void; readonly initial?: IpvsTable }): MemoryBackend {
  return new MemoryBackend({ ...opts, name: "dry-run" });
}
