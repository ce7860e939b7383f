// What the director tells the operations side (log lines, e-mail, monitorfile, fallbackcommand) and asks of it
// (maintenance). CONTRACT between the daemon work and the operations work: the director calls these; it never
// waits on them for a table change (a hook that is slow or failing must not delay checks or table writes).
import type { DaemonStatus, RealServer, VirtualService } from "../config/types.js";
import type { CheckResult } from "../checks/types.js";

/** A real server changed state within a virtual. */
export interface RealTransition {
  readonly virtual: VirtualService;
  readonly real: RealServer;
  readonly from: "up" | "down" | "unknown";
  readonly to: "up" | "down";
  /** The check message that caused it (or "Server in maintenance"). */
  readonly reason: string;
  readonly durationMs: number;
  readonly maintenance: boolean;
  /** Epoch ms. */
  readonly at: number;
}

/** The fallback server of a virtual went in (`on`) or out (`off`); also fires when there is no fallback server, for fallbackcommand. */
export interface FallbackChange {
  readonly virtual: VirtualService;
  readonly state: "on" | "off";
  readonly at: number;
}

/** Hooks the director calls. All optional; all fire-and-forget from the director's point of view. */
export interface DirectorHooks {
  /** Every completed check (for monitorfile and debug logs). */
  onCheckResult?(virtual: VirtualService, real: RealServer, result: CheckResult): void;
  onTransition?(t: RealTransition): void;
  onFallback?(c: FallbackChange): void;
  /** Daemon status changes: starting → running → reloading → running … → stopping. */
  onStatus?(status: DaemonStatus): void;
  /** Asked before each check: is this real in maintenance? (maintenancedir). Must be cheap and never throw. */
  inMaintenance?(virtual: VirtualService, real: RealServer): boolean | Promise<boolean>;
  /** Periodic tick (about once per second) for resend timers and similar. */
  onTick?(now: number): void;
}
