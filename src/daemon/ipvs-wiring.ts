// The IPVS pieces the daemon wires in: the backend factory and the planner of src/ipvs.
import type { IpvsBackend } from "../ipvs/types.js";
import { createBackend, planChanges, type BackendKind } from "../ipvs/index.js";
import type { PlanFn } from "./director.js";

export type { BackendKind } from "../ipvs/index.js";

/** Options passed to the backend factory. */
export interface BackendWiring {
  readonly ipvsadm?: string;
  /** Where the dry-run backend writes each `ipvsadm …` line it would run. */
  readonly log: (line: string) => void;
}

/** Create the selected backend (ipvsadm rejects with IpvsUnavailableError on a kernel without IPVS). */
export function createIpvsBackend(kind: BackendKind, wiring: BackendWiring): Promise<IpvsBackend> {
  return createBackend(kind, { ...(wiring.ipvsadm === undefined ? {} : { ipvsadm: wiring.ipvsadm }), log: wiring.log });
}

/**
 * The planner for the part of the table this config owns (the director passes only its own services): untracked
 * reals inside them are purged, as ldirectord does at start (§3.4 step 3); foreign services are never passed.
 */
export async function loadPlanner(): Promise<PlanFn> {
  return (current, desired) => planChanges(current, desired, { purgeUnknownReals: true });
}
