// checktype=connect (and the connect half of checktype=N): a TCP connect to the check port, closed at once.
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { abortReason, describeError } from "./deadline.js";
import type { CheckTarget } from "./target.js";
import type { CheckResult } from "./types.js";

/** Open a TCP connection to the target's check port; up when connect() succeeds (ldirectord's check_connect). */
export function checkTcpConnect(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const what = `connect ${target.describe()}`;
  return new Promise<CheckResult>((resolve) => {
    const done = (ok: boolean, message: string, cause?: unknown): void => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      const result = { ok, message, durationMs: performance.now() - started };
      resolve(cause === undefined ? result : { ...result, cause });
    };
    const onAbort = (): void => done(false, `${what}: ${abortReason(signal, target.timeoutMs)}`, signal.reason);
    const socket = connect({ host: target.host, port: target.port, family: target.family });
    socket.once("connect", () => done(true, `${what}: connected`));
    socket.once("error", (err) => done(false, `${what}: ${describeError(err)}`, err));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}
