// Entry point of the checks: the one function the scheduler and the `check` command call.
// CONTRACT (owned by the checks work; bodies are filled in there):
import type { RealServer, VirtualService } from "../config/types.js";
import type { CheckResult } from "./types.js";

export type { CheckResult } from "./types.js";

/** Which half of a `combined` (checktype=N) cycle to run; ignored by other check types. */
export type CheckPhase = "negotiate" | "connect";

/** Options of one check run. */
export interface RunCheckOptions {
  /** Aborts the check early (daemon stop, reload removing the real). The check's own timeout is applied inside. */
  readonly signal?: AbortSignal;
  readonly phase?: CheckPhase;
}

/**
 * A stable key for "the same check": two (virtual, real) pairs with equal keys perform an identical probe,
 * so the scheduler runs it once and feeds the result to both (as ldirectord's real id does, §1.8).
 */
export function checkKey(virtual: VirtualService, real: RealServer): string {
  void virtual;
  void real;
  throw new Error("checkKey: not implemented yet");
}

/** The timeout in milliseconds that bounds a whole check of this virtual in this phase (LDIRECTORD.md §1.7). */
export function checkTimeoutMs(virtual: VirtualService, phase: CheckPhase): number {
  void virtual;
  void phase;
  throw new Error("checkTimeoutMs: not implemented yet");
}

/**
 * Run the configured check of `real` once. Resolves (never rejects for remote behaviour) by its timeout.
 * checktype `on` resolves ok at once; `off` resolves ok=false "checktype=off" (the scheduler does not call it).
 */
export async function runCheck(virtual: VirtualService, real: RealServer, options: RunCheckOptions = {}): Promise<CheckResult> {
  void virtual;
  void real;
  void options;
  throw new Error("runCheck: not implemented yet");
}
