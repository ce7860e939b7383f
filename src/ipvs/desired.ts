// desiredTable: what the kernel table should hold for a config and the current health. Pure.
// CONTRACT (owned by the IPVS table work; the body is filled in there):
import type { DirectorConfig } from "../config/types.js";
import type { IpvsTable } from "./types.js";

/** Health of one real server within one virtual service. `unknown` = never passed a check since start. */
export type RealHealth = "up" | "down" | "unknown";

/** Health as the table logic sees it, keyed by virtual key and real key (see realKey). */
export interface HealthView {
  /** Health of a real in a virtual; missing entries count as `unknown`. */
  health(virtualKey: string, realKey: string): RealHealth;
  /** True when the real is in maintenance (maintenancedir): treated as failed. */
  inMaintenance?(virtualKey: string, realKey: string): boolean;
}

/** `10.0.0.5:80`, `[2001:db8::5]:80`: the key of a real server (address and configured port). */
export function realKey(real: { readonly address: string; readonly family: 4 | 6; readonly port: number }): string {
  return real.family === 6 ? `[${real.address}]:${real.port}` : `${real.address}:${real.port}`;
}

/**
 * The table the config wants given the health: a healthy real is in with its weight; a failed or unknown one
 * is in with weight 0 when quiescent, absent otherwise; the fallback is in (weight 1) exactly when no real of
 * the virtual is up.
 */
export function desiredTable(config: DirectorConfig, health: HealthView): IpvsTable {
  void config;
  void health;
  throw new Error("desiredTable: not implemented yet");
}
