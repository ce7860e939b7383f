// checktype=ping (and connect on a UDP virtual): ICMP echo through the system ping(8) of iputils.
// Why a child process rather than an npm library: the ICMP libraries need a native raw-socket addon and root;
// iputils ping uses unprivileged ICMP datagram sockets (or its file capability), does IPv4 and IPv6, and is
// spawned with an argv, bounded by the check's signal like every other child.
import { performance } from "node:perf_hooks";
import { abortReason, describeError } from "./deadline.js";
import { spawnBounded } from "./spawn-bounded.js";
import type { CheckTarget } from "./target.js";
import type { CheckResult } from "./types.js";

/** The ping program (PATH lookup by spawn); LDIRECTORD_TS_PING overrides it. */
function pingProgram(): string {
  return process.env["LDIRECTORD_TS_PING"] ?? "ping";
}

/** argv of one echo attempt: numeric, quiet, one packet, wait at most `waitSeconds`. */
export function pingArgs(host: string, family: 4 | 6, waitSeconds: number): string[] {
  return [family === 6 ? "-6" : "-4", "-n", "-q", "-c", "1", "-W", waitSeconds.toFixed(3), host];
}

/** Up to checkcount echo attempts, all within the check's timeout; the first reply is up (ldirectord's check_ping). */
export async function checkPing(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const attempts = Math.max(1, target.checkcount);
  const what = `ping ${target.host}`;
  let last = "no reply";
  for (let i = 1; i <= attempts; i++) {
    if (signal.aborted) break;
    const remainingMs = target.timeoutMs - (performance.now() - started);
    if (remainingMs <= 0) break;
    // Each attempt waits for its share of what is left, so checkcount attempts fit in the timeout.
    const waitSeconds = Math.max(0.001, remainingMs / (attempts - i + 1) / 1000);
    const outcome = await spawnBounded(pingProgram(), pingArgs(target.host, target.family, waitSeconds), signal);
    if (outcome.kind === "error") {
      return { ok: false, message: `${what}: cannot run ping: ${describeError(outcome.error)}`, durationMs: performance.now() - started, cause: outcome.error };
    }
    if (outcome.kind === "exit" && outcome.code === 0) {
      return { ok: true, message: `${what}: echo reply (attempt ${i} of ${attempts})`, durationMs: performance.now() - started };
    }
    if (outcome.kind === "exit") last = outcome.code === 1 ? "no reply" : `ping failed: ${outcome.output.split("\n").slice(-1)[0] ?? `exit ${outcome.code}`}`;
  }
  const durationMs = performance.now() - started;
  if (signal.aborted) return { ok: false, message: `${what}: ${abortReason(signal, target.timeoutMs)} (${last})`, durationMs };
  return { ok: false, message: `${what}: ${last} after ${attempts} attempt${attempts === 1 ? "" : "s"}`, durationMs };
}
