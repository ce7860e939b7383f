// logfile=local0 (a syslog facility): pino lines become RFC 3164 messages on the syslog socket (/dev/log).
// Node cannot open unix datagram sockets, so one long-lived logger(1) (util-linux, in every Debian) carries them:
// it reads `<PRI>message` lines on stdin and sends each as a datagram with the RFC 3164 header.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import type { Writable } from "node:stream";

/** Syslog facility numbers (RFC 3164 §4.1.1). */
export const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** pino level → syslog severity. */
export function severityOf(level: number): number {
  if (level >= 60) return 2; // fatal → crit
  if (level >= 50) return 3; // error → err
  if (level >= 40) return 4; // warn → warning
  if (level >= 30) return 6; // info → info
  return 7; // debug, trace
}

/** One pino JSON line → `<PRI>message {fields}` (one line; the header is added by logger(1)). Pure. */
export function syslogLine(json: string, facility: number): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `<${facility * 8 + 6}>${json.replace(/[\r\n]+/g, " ").trim()}`;
  }
  const { level, msg, time, pid, hostname, name, ...rest } = rec;
  void time;
  void pid;
  void hostname;
  void name;
  const pri = facility * 8 + severityOf(typeof level === "number" ? level : 30);
  const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
  return `<${pri}>${`${typeof msg === "string" ? msg : ""}${fields}`.replace(/[\r\n]+/g, " ")}`;
}

/** Options of createSyslogStream. */
export interface SyslogOptions {
  readonly facility: string;
  /** The syslog socket; default /dev/log. */
  readonly socket?: string;
  /** Program name in each message; default `ldirectord` (so existing syslog filters keep matching). */
  readonly tag?: string;
  /** Where lines go when syslog is unavailable (and the one warning saying so). */
  readonly fallback: Writable;
}

/** A pino destination writing to syslog. */
export interface SyslogStream {
  write(line: string): void;
  /** Restart logger(1) (syslog daemon restarted, or after a failure). */
  reopen(): void;
  end(): Promise<void>;
  /** True while lines go to the fallback instead of syslog. */
  readonly degraded: boolean;
}

/** Open the syslog destination; falls back to `fallback` with one warning when the socket is missing or logger(1) fails. */
export function createSyslogStream(o: SyslogOptions): SyslogStream {
  const socket = o.socket ?? "/dev/log";
  const facility = FACILITIES[o.facility.toLowerCase()] ?? FACILITIES.user ?? 1;
  let child: ChildProcess | undefined;
  let degraded = false;
  let warned = false;
  let ending = false;

  const degrade = (why: string): void => {
    degraded = true;
    child = undefined;
    if (!warned) {
      warned = true;
      o.fallback.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: `syslog unavailable (${why}); logging to stderr instead` })}\n`);
    }
  };

  const open = (): void => {
    if (!existsSync(socket)) {
      degrade(`no socket at ${socket}`);
      return;
    }
    const c = spawn("logger", ["-d", "-u", socket, "--socket-errors=on", "--rfc3164", "--prio-prefix", "-t", o.tag ?? "ldirectord", `--id=${process.pid}`], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    c.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    c.stdin?.on("error", () => undefined);
    c.on("error", (err) => {
      if (child === c) degrade(`logger(1): ${err.message}`);
    });
    c.on("exit", (code) => {
      if (child === c && !ending) degrade(`logger(1) exited ${code ?? "by signal"}: ${stderr.trim() || "no message"}`);
    });
    child = c;
    degraded = false;
  };

  open();
  return {
    write(line) {
      if (child?.stdin?.writable === true) child.stdin.write(`${syslogLine(line.trimEnd(), facility)}\n`);
      else o.fallback.write(line.endsWith("\n") ? line : `${line}\n`);
    },
    reopen() {
      const old = child;
      child = undefined;
      old?.stdin?.end();
      warned = false;
      open();
    },
    async end() {
      ending = true;
      const c = child;
      child = undefined;
      if (c === undefined || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          c.kill();
          resolve();
        }, 2_000);
        c.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        c.stdin?.end();
      });
    },
    get degraded() {
      return degraded;
    },
  };
}
