// The health state machine of one real server in one virtual service. Pure: no timers, no I/O.
import type { RealHealth } from "../ipvs/desired.js";

/** What the director remembers about one (virtual, real) pair between checks. */
export interface HealthState {
  readonly health: RealHealth;
  /** Consecutive failed checks since the last success. */
  readonly failures: number;
  /** Consecutive successful checks since the last failure. */
  readonly successes: number;
}

/** When a real goes down and comes back, per virtual. */
export interface HealthPolicy {
  /** Consecutive failures that take an `up` real down (ldirectord `failurecount`, ≥ 1). */
  readonly failurecount: number;
  /** Consecutive successes that bring a `down` real back (extension; 1 = ldirectord). */
  readonly rise: number;
}

/** One check outcome as the state machine sees it. */
export interface HealthInput {
  readonly ok: boolean;
  /** Maintenance forces down at once, bypassing failurecount (ldirectord's forced service_set). */
  readonly maintenance?: boolean;
}

/** The outcome: the new state and, when health changed, the transition. */
export interface HealthStep {
  readonly state: HealthState;
  readonly transition?: { readonly from: RealHealth; readonly to: "up" | "down" };
}

/** The state of a real never checked since start (or added by a reload). */
export const UNKNOWN: HealthState = { health: "unknown", failures: 0, successes: 0 };

/** The state of a real adopted from the live table at start (in with weight > 0): up, no failures counted yet. */
export const ADOPTED_UP: HealthState = { health: "up", failures: 0, successes: 0 };

/**
 * Apply one check result. An `up` real goes down after `failurecount` consecutive failures; a `down` real comes
 * back after `rise` consecutive successes; an `unknown` real (never checked) takes the first answer at once, so a
 * cold start neither waits `failurecount` rounds to declare a dead server nor `rise` rounds to use a healthy one.
 */
export function nextHealth(prev: HealthState, input: HealthInput, policy: HealthPolicy): HealthStep {
  const failurecount = Math.max(1, Math.floor(policy.failurecount));
  const rise = Math.max(1, Math.floor(policy.rise));
  if (input.maintenance === true) {
    // Forced down; the failure counter is left alone so leaving maintenance is judged by the next check only.
    const state: HealthState = { health: "down", failures: prev.failures, successes: 0 };
    return prev.health === "down" ? { state } : { state, transition: { from: prev.health, to: "down" } };
  }
  if (input.ok) {
    const successes = prev.successes + 1;
    if (prev.health === "up") return { state: { health: "up", failures: 0, successes } };
    if (prev.health === "unknown" || successes >= rise) {
      return { state: { health: "up", failures: 0, successes }, transition: { from: prev.health, to: "up" } };
    }
    return { state: { health: "down", failures: 0, successes } };
  }
  const failures = prev.failures + 1;
  if (prev.health === "down") return { state: { health: "down", failures, successes: 0 } };
  if (prev.health === "unknown" || failures >= failurecount) {
    return { state: { health: "down", failures, successes: 0 }, transition: { from: prev.health, to: "down" } };
  }
  // A soft failure: still up (ldirectord logs "Soft failure real server … failure N/M").
  return { state: { health: "up", failures, successes: 0 } };
}
