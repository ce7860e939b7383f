// ldirectord's wording for virtuals, reals and transitions, shared by log lines, mails and the fallback command.
import type { RealServer, VirtualService } from "../config/types.js";

/** `V` as ldirectord prints it: `VIP:PORT` (`[v6]:PORT`) or the fwmark number. */
export function virtualLabel(v: Pick<VirtualService, "protocol" | "family" | "address" | "port" | "fwmark">): string {
  if (v.protocol === "fwm" || v.address === undefined) return String(v.fwmark ?? 0);
  return v.family === 6 ? `[${v.address}]:${v.port}` : `${v.address}:${v.port}`;
}

/** `R` as ldirectord prints it: `RIP:RPORT` (`[v6]:RPORT`). */
export function realLabel(r: Pick<RealServer, "address" | "family" | "port">): string {
  return r.family === 6 ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
}

/** What a transition did to the table, in ldirectord's words. */
export type TransitionAction = "added" | "restored" | "quiescent" | "deleted" | "inaccessible";

/**
 * The table action a transition implies (no table read): `unknown → up` is an add, `down → up` a restore; down is a
 * quiesce (weight 0) or a delete, except that a real found down at start without quiescent was never added, so it is
 * only `Inaccessible` (ldirectord logged an add and a delete there, from its start-up churn).
 */
export function transitionAction(t: { readonly from: "up" | "down" | "unknown"; readonly to: "up" | "down"; readonly quiescent: boolean }): TransitionAction {
  if (t.to === "up") return t.from === "unknown" ? "added" : "restored";
  if (t.quiescent) return "quiescent";
  return t.from === "unknown" ? "inaccessible" : "deleted";
}

/** ldirectord's log/mail subject for a real server transition, e.g. `Quiescent real server: R (V) (Weight set to 0)`. */
export function transitionText(action: TransitionAction, virtual: VirtualService, real: RealServer): string {
  const rv = `${realLabel(real)} (${virtualLabel(virtual)})`;
  switch (action) {
    case "added":
      return `Added real server: ${rv} (Weight set to ${real.weight})`;
    case "restored":
      return `Restored real server: ${rv} (Weight set to ${real.weight})`;
    case "quiescent":
      return `Quiescent real server: ${rv} (Weight set to 0)`;
    case "deleted":
      return `Deleted real server: ${rv}`;
    case "inaccessible":
      return `Inaccessible real server: ${rv}`;
  }
}

/** ldirectord's subject when a virtual's fallback server goes in or out; undefined when it has none. */
export function fallbackText(state: "on" | "off", virtual: VirtualService): string | undefined {
  const f = virtual.fallback;
  if (f === undefined) return undefined;
  const rv = `${realLabel(f)} (${virtualLabel(virtual)})`;
  return state === "on" ? `Added fallback server: ${rv} (Weight set to 1)` : `Deleted fallback server: ${rv}`;
}

/** The resend subject for a real still down: `Inaccessible real server: R (V)`. */
export function inaccessibleText(virtual: VirtualService, real: RealServer): string {
  return `Inaccessible real server: ${realLabel(real)} (${virtualLabel(virtual)})`;
}
