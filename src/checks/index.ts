// Entry point of the checks: the one function the scheduler and the `check` command call.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { RealServer, VirtualService } from "../config/types.js";
import { checkTcpConnect } from "./connect.js";
import { startDeadline } from "./deadline.js";
import { checkExternal } from "./external.js";
import { checkPing } from "./ping.js";
import { serviceChecker } from "./registry.js";
import { preloadChecker } from "./lazy.js";
import { checkPort, checkTarget, type CheckTarget, type ServiceChecker } from "./target.js";
import type { CheckResult } from "./types.js";

export type { CheckResult } from "./types.js";
export type { CheckTarget, ServiceChecker } from "./target.js";

/** Which half of a `combined` (checktype=N) cycle to run; ignored by other check types. */
export type CheckPhase = "negotiate" | "connect";

/** Options of one check run. */
export interface RunCheckOptions {
  /** Aborts the check early (daemon stop, reload removing the real). The check's own timeout is applied inside. */
  readonly signal?: AbortSignal;
  readonly phase?: CheckPhase;
}

/** Extra time a misbehaving checker gets past its deadline before runCheck answers for it. */
const SETTLE_GRACE_MS = 250;

/** The probe a check type (and phase) performs: a service negotiation or one of the connect-type probes. */
type Probe = "negotiate" | "tcp-connect" | "ping" | "external" | "on" | "off";

/** What `virtual`'s check does in `phase` (connect on a UDP virtual is a ping, as ldirectord). */
function probeOf(virtual: VirtualService, phase: CheckPhase): Probe {
  const connectProbe: Probe = virtual.protocol === "udp" ? "ping" : "tcp-connect";
  switch (virtual.checktype) {
    case "negotiate":
      return "negotiate";
    case "combined":
      return phase === "connect" ? connectProbe : "negotiate";
    case "connect":
      return connectProbe;
    case "ping":
      return "ping";
    case "external":
    case "external-perl":
      return "external";
    case "on":
      return "on";
    case "off":
      return "off";
  }
}

/** A digest of a secret for a key: keys show up in logs, secrets must not. */
function digest(text: string): string {
  return text === "" ? "" : createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * A stable key for "the same check": two (virtual, real) pairs with equal keys perform an identical probe,
 * so the scheduler runs it once and feeds the result to both (as ldirectord's real id does, §1.8).
 * Unlike ldirectord's id it holds only what changes the probe (not weight or forwarding method), plus the
 * timeouts, and for external checks the virtual's address and port (they are the command's arguments).
 */
export function checkKey(virtual: VirtualService, real: RealServer): string {
  const what =
    virtual.checktype === "external" || virtual.checktype === "external-perl"
      ? `${virtual.checktype}:${virtual.checkcommand}:${virtual.fwmark ?? virtual.address ?? ""}:${virtual.port}:${real.port}`
      : virtual.checktype === "negotiate" || virtual.checktype === "combined"
        ? `${virtual.checktype}${virtual.checktype === "combined" ? `/${virtual.numConnects}` : ""}:${virtual.service}`
        : virtual.checktype;
  const parts = [
    what,
    virtual.protocol === "udp" ? "udp" : "tcp",
    real.address,
    String(checkPort(virtual, real)),
    virtual.virtualhost ?? "",
    virtual.httpmethod,
    real.request,
    real.receive,
    virtual.login,
    digest(virtual.passwd),
    virtual.database,
    digest(virtual.secret),
    String(virtual.checktimeout),
    String(virtual.negotiatetimeout),
    String(virtual.checkcount),
  ];
  return parts.map((p) => encodeURIComponent(p)).join(":");
}

/** The timeout in milliseconds that bounds a whole check of this virtual in this phase (LDIRECTORD.md §1.7). */
export function checkTimeoutMs(virtual: VirtualService, phase: CheckPhase): number {
  const seconds = probeOf(virtual, phase) === "negotiate" ? virtual.negotiatetimeout : virtual.checktimeout;
  return Math.max(1, Math.round(seconds * 1000));
}

/** The function that performs `probe` (on/off are answered by runCheck itself). */
function checkerOf(probe: Probe, virtual: VirtualService): ServiceChecker | undefined {
  switch (probe) {
    case "negotiate":
      return serviceChecker(virtual.service);
    case "tcp-connect":
      return checkTcpConnect;
    case "ping":
      return checkPing;
    case "external":
      return checkExternal;
    case "on":
    case "off":
      return undefined;
  }
}

/** Label of a check in rows and logs: `negotiate/http`, `connect`, `combined/http`, `external`. */
export function checkLabel(virtual: VirtualService): string {
  return virtual.checktype === "negotiate" || virtual.checktype === "combined" ? `${virtual.checktype}/${virtual.service}` : virtual.checktype;
}

/**
 * Run the configured check of `real` once. Resolves (never rejects for remote behaviour) by its timeout.
 * checktype `on` resolves ok at once; `off` resolves ok=false "checktype=off" (the scheduler does not call it).
 */
export async function runCheck(virtual: VirtualService, real: RealServer, options: RunCheckOptions = {}): Promise<CheckResult> {
  const phase = options.phase ?? "negotiate";
  const probe = probeOf(virtual, phase);
  if (probe === "on") return { ok: true, message: "checktype=on: not checked, always up", durationMs: 0 };
  if (probe === "off") return { ok: false, message: "checktype=off: not checked", durationMs: 0 };
  const timeoutMs = checkTimeoutMs(virtual, phase);
  const target: CheckTarget = checkTarget(virtual, real, timeoutMs);
  const checker = checkerOf(probe, virtual);
  if (checker === undefined) return { ok: false, message: `${target.describe()}: no checker`, durationMs: 0 };
  // The checker's module is imported before the clock starts: loading code is not the real server's time.
  await preloadChecker(checker);
  const started = performance.now();
  const deadline = startDeadline(timeoutMs, options.signal);
  let guard: NodeJS.Timeout | undefined;
  try {
    // The guard answers for a checker that ignores its signal: the check still ends by its timeout (plus a grace).
    const late = new Promise<CheckResult>((resolve) => {
      guard = setTimeout(
        () => resolve({ ok: false, message: `${target.describe()}: ${deadline.reason()} (the check did not stop)`, durationMs: performance.now() - started }),
        timeoutMs + SETTLE_GRACE_MS,
      );
      deadline.signal.addEventListener(
        "abort",
        () => {
          if (!deadline.signal.aborted || guard === undefined) return;
          clearTimeout(guard);
          guard = setTimeout(
            () => resolve({ ok: false, message: `${target.describe()}: ${deadline.reason()} (the check did not stop)`, durationMs: performance.now() - started }),
            SETTLE_GRACE_MS,
          );
        },
        { once: true },
      );
    });
    const result = await Promise.race([checker(target, deadline.signal), late]);
    return { ...result, durationMs: performance.now() - started };
  } catch (err) {
    // A bug in a checker, not a remote failure: still a value, so one bad check cannot stop the daemon.
    return { ok: false, message: `${target.describe()}: internal error in the ${checkLabel(virtual)} check: ${String(err)}`, durationMs: performance.now() - started, cause: err };
  } finally {
    if (guard !== undefined) clearTimeout(guard);
    deadline.dispose();
  }
}
