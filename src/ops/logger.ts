// The daemon's logger. CONTRACT (owned by the operations work): the daemon only calls createLogger and uses pino's API.
//
// Targets: -d → readable lines on stderr (pino-pretty, like ldirectord -d); supervised=yes → JSON lines on stdout;
// logfile="/path" → JSON lines appended to the file; logfile="local0" → syslog (/dev/log, RFC 3164, via logger(1)),
// falling back to stderr with one warning when there is no syslog socket; no target → JSON lines on stderr.
//
// Log rotation: call reopen() after logrotate has moved the file. createLogger installs a SIGUSR1 handler that does
// so (for `postrotate kill -USR1`), removed by close(); createOperations reopens the monitorfiles on the same signal.
// SIGHUP stays the daemon's reload signal (the daemon may call reopen() there too). handleUsr1: false opts out.
//
// Secrets: every line goes through a scrubber (passwd/secret values of the config, `user:password@` in URLs,
// keys named passwd/password/secret). createOperations feeds it the config's secrets (see scrubberOf).
import { openSync, closeSync } from "node:fs";
import { pino, destination, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import type { Writable } from "node:stream";
import type { LogTarget } from "../config/types.js";
import { LdError } from "../errors.js";
import { createScrubber, MASK, type Scrubber } from "./scrub.js";
import { createSyslogStream } from "./syslog-stream.js";

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
  /** The syslog socket (default /dev/log); tests point it at a socket of their own. */
  readonly syslogSocket?: string;
  /** Install a SIGUSR1 handler calling reopen() (default: true for a file target). */
  readonly handleUsr1?: boolean;
  /** Secret values known up front (createOperations adds the config's on creation and reload). */
  readonly secrets?: readonly string[];
  /** Where stderr lines go (default process.stderr); for tests. */
  readonly stderr?: Writable;
}

/** A logger with a reopen() for logrotate. */
export interface DaemonLogger {
  readonly logger: Logger;
  /** Reopen the log file (SIGHUP/USR1 after logrotate). */
  reopen(): void;
  /** Flush and close. */
  close(): Promise<void>;
  /** The scrubber every line goes through (setSecrets on reload). */
  readonly scrubber: Scrubber;
}

/** The log file cannot be opened for appending. */
export class LogFileError extends LdError {
  readonly path: string;
  constructor(path: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super("ERR_LOGFILE", `unable to open logfile ${path}: ${why}`, options);
    this.path = path;
  }
}

const SCRUBBERS = new WeakMap<object, Scrubber>();

/** The scrubber of a logger made by createLogger (children included); undefined for other loggers. */
export function scrubberOf(logger: Logger): Scrubber | undefined {
  for (let o: object | null = logger; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const s = SCRUBBERS.get(o);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Key paths pino itself censors (first line of defence; the scrubber catches the rest at any depth). */
export const REDACT_PATHS = ["passwd", "password", "secret", "*.passwd", "*.password", "*.secret", "*.*.passwd", "*.*.secret"];

interface Sink {
  readonly stream: DestinationStream;
  reopen(): void;
  close(): Promise<void>;
}

function sinkFor(o: LoggerOptions, stderr: Writable): Sink {
  if (o.debug === true) {
    const stream = pretty({ destination: stderr, colorize: (stderr as { isTTY?: boolean }).isTTY === true, translateTime: "SYS:standard", ignore: "pid,hostname", singleLine: true });
    return { stream, reopen: () => undefined, close: () => new Promise((resolve) => stream.end(resolve)) };
  }
  if (o.supervised === true) {
    const stream = destination({ dest: 1, sync: true });
    return { stream, reopen: () => undefined, close: async () => stream.flushSync() };
  }
  const target = o.target;
  if (target?.kind === "file") {
    // Fail at start-up, as ldirectord does, rather than lose every line later.
    try {
      closeSync(openSync(target.path, "a"));
    } catch (err) {
      throw new LogFileError(target.path, { cause: err });
    }
    const stream = destination({ dest: target.path, append: true, mkdir: true, sync: false });
    stream.on("error", (err: Error) => stderr.write(`ldirectord-ts: log file ${target.path}: ${err.message}\n`));
    return {
      stream,
      reopen: () => stream.reopen(),
      close: () =>
        new Promise<void>((resolve) => {
          stream.once("close", () => resolve());
          stream.end();
        }),
    };
  }
  if (target?.kind === "syslog") {
    const s = createSyslogStream({ facility: target.facility, fallback: stderr, ...(o.syslogSocket === undefined ? {} : { socket: o.syslogSocket }) });
    return { stream: s, reopen: () => s.reopen(), close: () => s.end() };
  }
  return { stream: { write: (line: string) => void stderr.write(line) }, reopen: () => undefined, close: async () => undefined };
}

/** Create the daemon's logger. */
export function createLogger(options: LoggerOptions = {}): DaemonLogger {
  const stderr = options.stderr ?? process.stderr;
  const scrubber = createScrubber(options.secrets ?? []);
  const sink = sinkFor(options, stderr);
  const logger = pino(
    {
      name: options.name ?? "ldirectord-ts",
      level: options.level ?? (options.debug === true ? "debug" : "info"),
      redact: { paths: REDACT_PATHS, censor: MASK },
      formatters: {
        log: (obj) => scrubber.value(obj) as Record<string, unknown>,
        bindings: (b) => scrubber.value(b) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // logger.info(err) takes its message from err.message: make that explicit so it is scrubbed too.
          const head: unknown[] = first instanceof Error ? [{ err: first }, rest.length > 0 ? rest.shift() : first.message] : [first];
          const all = [...head, ...rest].map((a) => (typeof a === "string" ? scrubber.text(a) : a));
          (method as (...a: unknown[]) => void).apply(this, all);
        },
      },
    },
    sink.stream,
  );
  SCRUBBERS.set(logger, scrubber);
  // pino serializes child bindings once, at child(), without formatters.bindings: scrub them there. Children are
  // created with Object.create(parent), so grandchildren inherit this override.
  const protoChild = (Object.getPrototypeOf(logger) as Logger).child;
  Object.defineProperty(logger, "child", {
    value: function (this: Logger, bindings: Record<string, unknown>, opts?: Parameters<Logger["child"]>[1]): Logger {
      return protoChild.call(this, scrubber.value(bindings) as Record<string, unknown>, opts) as unknown as Logger;
    },
    writable: true,
    configurable: true,
  });
  const usr1 = options.handleUsr1 ?? options.target?.kind === "file";
  const onUsr1 = (): void => sink.reopen();
  if (usr1 && options.debug !== true && options.supervised !== true) process.on("SIGUSR1", onUsr1);
  let closed: Promise<void> | undefined;
  return {
    logger,
    scrubber,
    reopen: () => sink.reopen(),
    close: () => {
      closed ??= (async () => {
        process.off("SIGUSR1", onUsr1);
        await sink.close();
      })();
      return closed;
    },
  };
}
