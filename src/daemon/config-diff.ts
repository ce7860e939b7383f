// diffConfig: what a reload changes, keyed by virtual key and real key. Pure.
import { isDeepStrictEqual } from "node:util";
import type { DirectorConfig, RealServer, VirtualService } from "../config/types.js";
import { realKey } from "../ipvs/desired.js";

/** A virtual present in both configs whose settings (other than its reals) differ. */
export interface ChangedVirtual {
  readonly old: VirtualService;
  readonly new: VirtualService;
  /** Names of the settings that differ, e.g. ["scheduler", "persistent"]. */
  readonly fields: readonly string[];
}

/** A real present in both configs of a virtual, with the fields that differ (empty = unchanged). */
export interface RealPair {
  readonly virtualKey: string;
  readonly key: string;
  readonly old: RealServer;
  readonly new: RealServer;
  readonly fields: readonly string[];
}

/** The keyed difference between two configs. */
export interface ConfigDiff {
  readonly addedVirtuals: readonly VirtualService[];
  readonly removedVirtuals: readonly VirtualService[];
  readonly changedVirtuals: readonly ChangedVirtual[];
  readonly unchangedVirtuals: readonly VirtualService[];
  /** Reals of virtuals present in both configs. */
  readonly addedReals: readonly { readonly virtualKey: string; readonly real: RealServer }[];
  readonly removedReals: readonly { readonly virtualKey: string; readonly real: RealServer }[];
  readonly changedReals: readonly RealPair[];
  readonly unchangedReals: readonly RealPair[];
  /** Global settings that differ (names). */
  readonly changedGlobals: readonly string[];
  /** True when nothing at all differs (line numbers aside). */
  readonly empty: boolean;
}

// Where a directive sits in the file is not a change: moving a block must not restart anything.
const IGNORED = new Set(["source", "reals", "warnings", "file"]);

function differingFields(a: object, b: object): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    if (!isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) out.push(k);
  }
  return out.sort();
}

/** Compare two configs by virtual key (protocol, address, port / fwmark) and real key (address, port). */
export function diffConfig(oldConfig: DirectorConfig, newConfig: DirectorConfig): ConfigDiff {
  const oldByKey = new Map(oldConfig.virtuals.map((v) => [v.key, v]));
  const newByKey = new Map(newConfig.virtuals.map((v) => [v.key, v]));
  const addedVirtuals = newConfig.virtuals.filter((v) => !oldByKey.has(v.key));
  const removedVirtuals = oldConfig.virtuals.filter((v) => !newByKey.has(v.key));
  const changedVirtuals: ChangedVirtual[] = [];
  const unchangedVirtuals: VirtualService[] = [];
  const addedReals: { virtualKey: string; real: RealServer }[] = [];
  const removedReals: { virtualKey: string; real: RealServer }[] = [];
  const changedReals: RealPair[] = [];
  const unchangedReals: RealPair[] = [];
  for (const nv of newConfig.virtuals) {
    const ov = oldByKey.get(nv.key);
    if (ov === undefined) continue;
    const fields = differingFields(ov, nv);
    if (fields.length > 0) changedVirtuals.push({ old: ov, new: nv, fields });
    else unchangedVirtuals.push(nv);
    const oldReals = new Map(ov.reals.map((r) => [realKey(r), r]));
    const newReals = new Map(nv.reals.map((r) => [realKey(r), r]));
    for (const [key, nr] of newReals) {
      const or = oldReals.get(key);
      if (or === undefined) {
        addedReals.push({ virtualKey: nv.key, real: nr });
        continue;
      }
      const rf = differingFields(or, nr);
      (rf.length > 0 ? changedReals : unchangedReals).push({ virtualKey: nv.key, key, old: or, new: nr, fields: rf });
    }
    for (const [key, or] of oldReals) if (!newReals.has(key)) removedReals.push({ virtualKey: nv.key, real: or });
  }
  const changedGlobals = differingFields(oldConfig.globals, newConfig.globals);
  const empty =
    addedVirtuals.length + removedVirtuals.length + changedVirtuals.length + addedReals.length + removedReals.length + changedReals.length + changedGlobals.length === 0;
  return { addedVirtuals, removedVirtuals, changedVirtuals, unchangedVirtuals, addedReals, removedReals, changedReals, unchangedReals, changedGlobals, empty };
}
