// The daemon's logger. CONTRACT (owned by the operations work, which adds file/syslog targets, reopen on
// SIGHUP/USR1 and secret redaction): the daemon only calls createLogger and uses pino's API.
import { pino, destination, type Logger } from "pino";
import type { LogTarget } from "../config/types.js";

export type { Logger } from "pino";

/** Options of createLogger. */
export interface LoggerOptions {
  /** The config's logfile (a path or a syslog facility). */
  readonly target?: LogTarget;
  /** -d: readable lines on the terminal instead of the log target. */
  readonly debug?: boolean;
  /** supervised=yes: lines on stdout. */
  readonly supervised?: boolean;
  /** Config base name, bound to every line. */
  readonly name?: string;
  readonly level?: string;
}

/** A logger with a reopen() for logrotate. */
export interface DaemonLogger {
  readonly logger: Logger;
  /** Reopen the log file (SIGHUP/USR1 after logrotate). */
  reopen(): void;
  /** Flush and close. */
  close(): Promise<void>;
}

/** Create the daemon's logger (provisional body: JSON lines on stderr). */
export function createLogger(options: LoggerOptions = {}): DaemonLogger {
  const logger = pino({ name: options.name ?? "ldirectord-ts", level: options.level ?? (options.debug ? "debug" : "info") }, destination(2));
  return { logger, reopen: () => undefined, close: async () => undefined };
}
