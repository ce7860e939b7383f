// One place maps error codes to exit codes (ldirectord's: 1 init error, 2 config error).
import { ConfigError, LdError } from "../errors.js";

/** Exit code for an error that reached the top of a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof LdError) {
    switch (err.code) {
      case "ERR_CONFIG":
      case "ERR_USAGE":
        return 2;
      default:
        return 1;
    }
  }
  return 1;
}

/** A message for the operator: never a stack trace for an expected error. */
export function describeError(err: unknown): string {
  if (err instanceof ConfigError) {
    return err.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}`).join("\n");
  }
  if (err instanceof LdError) return err.message;
  if (err instanceof Error) return `internal error: ${err.stack ?? err.message}`;
  return `internal error: ${String(err)}`;
}
