// One deadline per check: the caller's signal combined with the check's own timeout, as one AbortSignal.
// A plain timer rather than AbortSignal.timeout inside AbortSignal.any: Node holds the timeout signal weakly
// there, and a collected one never fires (part 2 saw a 1 s check hang for 30 s).
import { performance } from "node:perf_hooks";

/** A running check's deadline: abort it to stop the check early; `dispose` once the check settled. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Milliseconds left (never below 1). */
  remainingMs(): number;
  /** Message fragment for why the signal fired: `timed out after N ms` or `aborted`. */
  reason(): string;
  dispose(): void;
}

/** The error a timed-out deadline aborts with (name TimeoutError, as AbortSignal.timeout). */
export function timeoutError(timeoutMs: number): DOMException {
  return new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError");
}

/** Whether an abort reason is our (or AbortSignal.timeout's) timeout. */
export function isTimeout(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "TimeoutError";
}

/** Start a deadline of `timeoutMs` that also fires when `outer` aborts. */
export function startDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError(timeoutMs)), Math.max(1, timeoutMs));
  const onOuter = (): void => controller.abort(outer?.reason);
  if (outer?.aborted === true) onOuter();
  else outer?.addEventListener("abort", onOuter, { once: true });
  return {
    signal: controller.signal,
    timeoutMs,
    remainingMs: () => Math.max(1, Math.ceil(started + timeoutMs - performance.now())),
    reason: () => (isTimeout(controller.signal.reason) ? `timed out after ${timeoutMs} ms` : "aborted"),
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    },
  };
}

/** Why `signal` fired, as a message fragment, for a check bounded by `timeoutMs`. */
export function abortReason(signal: AbortSignal, timeoutMs: number): string {
  return isTimeout(signal.reason) ? `timed out after ${timeoutMs} ms` : "aborted";
}

/** A short, single-line text for an error: the errno name in words when known, else its message. */
export function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset by peer",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ETIMEDOUT: "connection timed out",
    EPIPE: "broken pipe",
    EADDRNOTAVAIL: "address not available",
    ENOENT: "no such file or directory (ENOENT)",
    EACCES: "permission denied (EACCES)",
  };
  if (typeof code === "string" && words[code] !== undefined) return words[code];
  if (err instanceof Error) {
    const text = err.message.replace(/\s+/g, " ").trim();
    return typeof code === "string" && !text.includes(code) ? `${code} ${text}` : text || err.name;
  }
  return String(err);
}
