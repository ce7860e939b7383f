// Shared plumbing of the step-by-step service probes (ftp, smtp, pop, imap, nntp, ldap, mysql, pgsql): one deadline
// for the whole check, step-named messages, and results that are values.
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { describeError, startDeadline } from "./deadline.js";
import { formatHostPort, type CheckTarget } from "./target.js";
import type { CheckResult } from "./types.js";

/** The fields of part 1's CheckTarget a part-2 probe reads (tests build just these). */
export type ProbeTarget = Pick<CheckTarget, "host" | "port" | "request" | "receive" | "login" | "passwd" | "database" | "timeoutMs" | "tlsVerify">;

/** Thrown inside a probe to end it with a down result naming the failing step; never escapes a checker. */
export class ProbeFailure extends Error {
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.step = step;
  }
}

/** `host:port`, with IPv6 in brackets, as operators write it. */
export { formatHostPort as hostPort };

/** The name this host gives itself in protocol greetings and anonymous FTP passwords (HOSTNAME env, else uname -n). */
export function localName(): string {
  return process.env["HOSTNAME"] || hostname();
}

/** A compact, single-line description of an error, worded as the other checks word it ("connection refused"). */
export { describeError };

/** Remove every occurrence of a secret from a message (libraries sometimes echo what they sent). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join("***");
  return out;
}

/** The one running check: its combined signal (caller's abort + own deadline) and the step being performed. */
export interface Probe {
  readonly signal: AbortSignal;
  /** Name of the step in progress; a failure's message starts with it. */
  step: string;
  /** Milliseconds left until the deadline (never below 1). */
  remainingMs(): number;
  /** Rejects as soon as the probe is aborted or timed out; race library calls that have no AbortSignal against it. */
  readonly aborted: Promise<never>;
}

/**
 * Run `body` as one check bounded by `timeoutMs` and `signal`; resolve a CheckResult, never reject.
 * `where` names the target in messages (e.g. `127.0.0.1:143`); `secrets` are scrubbed from every message.
 * `cleanup` runs once when the probe ends, however it ends, so sockets close at the deadline, not later.
 */
export async function runProbe(
  where: string,
  timeoutMs: number,
  signal: AbortSignal,
  secrets: readonly string[],
  body: (probe: Probe) => Promise<string>,
): Promise<CheckResult> {
  const started = performance.now();
  // One deadline for the whole check (shared with part 1's checks: its own timer, not AbortSignal.timeout).
  const deadline = startDeadline(timeoutMs, signal);
  const combined = deadline.signal;
  let rejectAborted: (err: Error) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectAborted = reject;
  });
  aborted.catch(() => undefined); // observed by races only; never an unhandled rejection
  const onAbort = (): void => rejectAborted(new ProbeFailure(probe.step, deadline.reason(), { cause: combined.reason }));
  const probe: Probe = {
    signal: combined,
    step: "connect",
    remainingMs: () => deadline.remainingMs(),
    aborted,
  };
  if (combined.aborted) onAbort();
  else combined.addEventListener("abort", onAbort, { once: true });
  try {
    const okMessage = await Promise.race([body(probe), aborted]);
    return { ok: true, message: redact(`${okMessage} on ${where}`, secrets), durationMs: performance.now() - started };
  } catch (err) {
    // After the deadline every library error is a consequence of our abort: report the timeout, not the echo.
    const failure =
      combined.aborted && !(err instanceof ProbeFailure && err.message.startsWith("timed out"))
        ? new ProbeFailure(probe.step, deadline.reason(), { cause: err })
        : err;
    const step = failure instanceof ProbeFailure ? failure.step : probe.step;
    const text = failure instanceof ProbeFailure ? failure.message : describeError(failure);
    const cause = failure instanceof ProbeFailure && failure.cause !== undefined ? failure.cause : failure;
    return {
      ok: false,
      message: redact(`${step} on ${where}: ${text}`, secrets),
      durationMs: performance.now() - started,
      cause: redactCause(cause, secrets),
    };
  } finally {
    combined.removeEventListener("abort", onAbort);
    deadline.dispose();
  }
}

/**
 * Run `op` as the step `name` of `probe`: it becomes the step in progress, and a library error ends the probe
 * as a ProbeFailure of that step worded by `reason` (each client library words its errors its own way).
 */
export async function probeStep<T>(probe: Probe, name: string, reason: (err: unknown) => string, op: () => Promise<T>): Promise<T> {
  probe.step = name;
  try {
    return await op();
  } catch (err) {
    throw new ProbeFailure(name, reason(err), { cause: err });
  }
}

/** A cause safe to log: an Error keeps its class name and code, with secrets scrubbed from the text. */
function redactCause(cause: unknown, secrets: readonly string[]): unknown {
  if (!(cause instanceof Error)) return cause;
  const copy = new Error(redact(cause.message, secrets));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/**
 * Compile an ldirectord receive string (a Perl regex, unanchored, no flags) as a JS RegExp.
 * Returns undefined for an empty receive; throws a ProbeFailure naming the pattern when it does not compile.
 */
export function receivePattern(receive: string): RegExp | undefined {
  if (receive === "") return undefined;
  try {
    return new RegExp(receive);
  } catch (err) {
    throw new ProbeFailure("receive", `receive /${receive}/ is not a valid regular expression: ${describeError(err)}`, { cause: err });
  }
}
