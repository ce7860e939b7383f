// planChanges: the minimal, ordered list of operations that turns the current kernel table into the desired one. Pure.
import type { DirectorConfig } from "../config/types.js";
import type { IpvsTable, TableOp, TableReal, TableService } from "./types.js";
import { kernelRealPort, realAttrsDiffer, serviceAttrsDiffer, specOf, tableRealKey } from "./table-keys.js";

/** What the planner may touch beyond the services and reals the desired table lists. */
export interface PlanOptions {
  /**
   * Delete reals found in a desired (owned) service that the config does not list at all. Default true, as
   * ldirectord purges untracked reals of its own virtuals at start (§3.4 step 3). When false, `isKnownReal`
   * tells configured-but-absent reals (deleted, e.g. quiescent=no) from foreign ones (left alone);
   * without it every undesired real is deleted (see knownRealsOf).
   */
  readonly purgeUnknownReals?: boolean;
  /** With purgeUnknownReals false: true when the config lists this real (table key `addr:port`) in that service. */
  readonly isKnownReal?: (serviceKey: string, realTableKey: string) => boolean;
  /** Delete services that are in the current table but not desired. Default false: ldirectord leaves foreign virtuals alone at start (§3.4 step 5). */
  readonly purgeUnknownServices?: boolean;
}

/**
 * Operations that make `current` match `desired`, in an order ipvsadm accepts: per desired service (in desired
 * order) add or edit the service, then delete reals, edit reals, add reals; finally delete services (only with
 * purgeUnknownServices: `-D` removes a service's reals with it). Nothing when the tables already match.
 */
export function planChanges(current: IpvsTable, desired: IpvsTable, opts: PlanOptions = {}): TableOp[] {
  const purgeReals = opts.purgeUnknownReals ?? true;
  const byKey = new Map<string, TableService>(current.map((s) => [s.key, s]));
  const desiredKeys = new Set(desired.map((s) => s.key));
  const ops: TableOp[] = [];
  for (const want of desired) {
    const service = specOf(want);
    const have = byKey.get(want.key);
    if (have === undefined) {
      ops.push({ kind: "add-service", service });
      for (const real of want.reals) ops.push({ kind: "add-real", service, real });
      continue;
    }
    if (serviceAttrsDiffer(specOf(have), service)) ops.push({ kind: "edit-service", service });
    const haveReals = new Map<string, TableReal>(have.reals.map((r) => [tableRealKey(r), r]));
    const wantKeys = new Set(want.reals.map(tableRealKey));
    // Deletes first: an entry leaving and another arriving never coexist longer than needed.
    for (const [key, real] of haveReals) {
      if (wantKeys.has(key)) continue;
      if (!purgeReals && opts.isKnownReal?.(want.key, key) === false) continue;
      ops.push({ kind: "delete-real", service, real });
    }
    for (const real of want.reals) {
      const old = haveReals.get(tableRealKey(real));
      if (old !== undefined && realAttrsDiffer(old, real)) ops.push({ kind: "edit-real", service, real });
    }
    for (const real of want.reals) {
      if (!haveReals.has(tableRealKey(real))) ops.push({ kind: "add-real", service, real });
    }
  }
  if (opts.purgeUnknownServices === true) {
    for (const have of current) if (!desiredKeys.has(have.key)) ops.push({ kind: "delete-service", service: specOf(have) });
  }
  return ops;
}

/** PlanOptions.isKnownReal for a config: the reals and fallback each virtual lists, under the port the kernel stores. */
export function knownRealsOf(config: DirectorConfig): (serviceKey: string, realTableKey: string) => boolean {
  const known = new Set<string>();
  for (const v of config.virtuals) {
    const svc = { protocol: v.protocol, port: v.protocol === "fwm" ? 0 : v.port };
    for (const r of [...v.reals, ...(v.fallback === undefined ? [] : [v.fallback])]) {
      known.add(`${v.key} ${tableRealKey({ ...r, port: kernelRealPort(svc, r.forward, r.port) })}`);
    }
  }
  return (serviceKey, realTableKey) => known.has(`${serviceKey} ${realTableKey}`);
}
