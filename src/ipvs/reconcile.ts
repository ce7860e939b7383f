// reconcile: read the live table, plan against the desired one, apply, and on failure re-read and try again (a
// bounded number of times), so a transient error or a concurrent hand edit still converges. Logs what it changed.
import { formatCommand } from "./format-op.js";
import { planChanges, type PlanOptions } from "./plan.js";
import type { IpvsBackend, IpvsTable, TableOp } from "./types.js";

/** What a reconcile did. */
export interface ReconcileResult {
  /** Every operation that took effect, over all attempts. */
  readonly applied: readonly TableOp[];
  /** Operations still failing after the last attempt, with the backend's reason. */
  readonly failed: readonly { readonly op: TableOp; readonly reason: string }[];
  /** Rounds of read → plan → apply run (1 when the first apply succeeded or nothing was to do). */
  readonly attempts: number;
}

/** Make the backend's table match `desired`; `log` gets one line per repaired entry (`ipvsadm …` it ran). */
export async function reconcile(
  backend: IpvsBackend,
  desired: IpvsTable,
  opts: { readonly plan?: PlanOptions; readonly log?: (line: string) => void; readonly attempts?: number } = {},
): Promise<ReconcileResult> {
  const maxAttempts = Math.max(1, opts.attempts ?? 3);
  const applied: TableOp[] = [];
  let failed: { op: TableOp; reason: string }[] = [];
  let attempt = 0;
  while (attempt < maxAttempts) {
    attempt += 1;
    const ops = planChanges(await backend.read(), desired, opts.plan);
    if (ops.length === 0) return { applied, failed: [], attempts: attempt };
    const result = await backend.apply(ops);
    for (const op of result.applied) opts.log?.(`reconcile: ${formatCommand(op)}`);
    for (const f of result.failed) opts.log?.(`reconcile: FAILED ${formatCommand(f.op)}: ${f.reason}`);
    applied.push(...result.applied);
    failed = [...result.failed];
    if (failed.length === 0) return { applied, failed, attempts: attempt };
  }
  return { applied, failed, attempts: attempt };
}
