// The IPVS pieces the daemon needs (backend factory and planner), looked up in src/ipvs.
// TEMPORARY: src/ipvs is being written in parallel; until its modules land this looks them up at run time.
import type { IpvsBackend } from "../ipvs/types.js";
import type { PlanFn } from "./director.js";
import { LdError } from "../errors.js";

/** Backend kinds of the CLI's --backend. */
export type BackendKind = "ipvsadm" | "dry-run" | "memory";

/** Options passed to the backend factory. */
export interface BackendWiring {
  readonly ipvsadm?: string;
  /** Where the dry-run backend writes each `ipvsadm …` line it would run. */
  readonly log: (line: string) => void;
}

type IpvsModule = {
  createBackend?: (kind: BackendKind, opts: Record<string, unknown>) => IpvsBackend | Promise<IpvsBackend>;
  planChanges?: (current: unknown, desired: unknown, opts?: unknown) => unknown;
};

async function tryImport(spec: string): Promise<IpvsModule | undefined> {
  try {
    return (await import(spec)) as IpvsModule;
  } catch {
    return undefined;
  }
}

async function find<K extends keyof IpvsModule>(name: K): Promise<NonNullable<IpvsModule[K]>> {
  for (const spec of ["../ipvs/index.js", "../ipvs/backend.js", "../ipvs/backends.js", "../ipvs/create-backend.js", "../ipvs/plan.js"]) {
    const mod = await tryImport(spec);
    const fn = mod?.[name];
    if (fn !== undefined) return fn as NonNullable<IpvsModule[K]>;
  }
  throw new LdError("ERR_INTERNAL", `${name} is not available in src/ipvs`);
}

/** Create the selected backend. */
export async function createIpvsBackend(kind: BackendKind, wiring: BackendWiring): Promise<IpvsBackend> {
  const create = await find("createBackend");
  return create(kind, { ...(wiring.ipvsadm === undefined ? {} : { ipvsadm: wiring.ipvsadm }), log: wiring.log });
}

/** The planner (owned services only: the director passes the part of the table this config owns). */
export async function loadPlanner(): Promise<PlanFn> {
  const plan = await find("planChanges");
  return (current, desired) => plan(current, desired, { purgeUnknownReals: true }) as ReturnType<PlanFn>;
}
