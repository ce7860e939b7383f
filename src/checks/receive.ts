// The receive= pattern of the http, simpletcp and dns checks: read as ldirectord's Perl regex, compiled once per run.
import { receiveRegExp } from "../config/receive-regex.js";
import { describeError } from "./deadline.js";
import type { CheckResult } from "./types.js";

/** The compiled pattern (undefined for an empty receive), or a down result prefixed with `what` when it cannot be used. */
export function compileReceive(receive: string, what: string): { readonly pattern: RegExp | undefined } | { readonly failure: CheckResult } {
  if (receive === "") return { pattern: undefined };
  try {
    return { pattern: receiveRegExp(receive) };
  } catch (err) {
    return { failure: { ok: false, message: `${what}: receive /${receive}/ is not a usable regular expression: ${describeError(err)}`, durationMs: 0 } };
  }
}
