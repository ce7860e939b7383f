// The phase cycle of checktype=N (combined): one negotiate, then N connects, then a negotiate again. Pure.
import type { CheckPhase } from "../checks/index.js";

/** Connect checks done since the last successful negotiate; `undefined` = a negotiate is due. */
export type CombinedState = number | undefined;

/** The phase to run next for a virtual with `numConnects` connects between negotiates (0 = always negotiate). */
export function combinedPhase(state: CombinedState, numConnects: number): CheckPhase {
  return state === undefined || state >= numConnects ? "negotiate" : "connect";
}

/**
 * The state after a check in `phase` with outcome `ok`: a good negotiate restarts the connect count, a good
 * connect counts one, and any failure forces a negotiate next (ldirectord sets num_connects to 999999).
 */
export function nextCombinedState(state: CombinedState, phase: CheckPhase, ok: boolean): CombinedState {
  if (!ok) return undefined;
  if (phase === "negotiate") return 0;
  return (state ?? 0) + 1;
}
