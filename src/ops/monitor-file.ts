// monitorfile: one line per check result, in ldirectord's format (§4.2), appended through one write stream per
// file (never open/print/close per line, never a synchronous write in the check path).
import { createWriteStream, type WriteStream } from "node:fs";
import type { Logger } from "pino";
import type { CheckResult } from "../checks/types.js";
import type { RealServer, VirtualService } from "../config/types.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number): string => String(n).padStart(2, "0");

/** Perl's scalar localtime: `Mon Nov 23 20:27:19 2026` (day of month space-padded). */
export function perlLocaltime(d: Date): string {
  return `${DAYS[d.getDay()] ?? ""} ${MONTHS[d.getMonth()] ?? ""} ${String(d.getDate()).padStart(2, " ")} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${d.getFullYear()}`;
}

/** ldirectord's real id string (§1.8) as the monitorfile shows it: colons (runs of them) become one space. */
export function monitorRealId(v: VirtualService, r: RealServer): string {
  const check =
    v.checktype === "negotiate" || v.checktype === "combined"
      ? `${v.checktype}:${v.service}`
      : v.checktype === "external" || v.checktype === "external-perl"
        ? `${v.checktype}:${v.checkcommand}`
        : v.checktype;
  const server = r.family === 6 ? `[${r.address}]` : r.address;
  const id = [check, v.protocol, server, r.port, v.virtualhost ?? "", v.checkport ?? "", r.weight, r.forward, r.request, r.receive].join(":");
  return id.replace(/\\/g, "").replace(/:+/g, " ");
}

/** Escape `%`, `|`, CR and LF as `%xx`, as ldirectord does for the message. */
export function escapeMonitorMessage(s: string): string {
  return s.replace(/[%|\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** One monitorfile line (with its newline). Pure. */
export function formatMonitorLine(v: VirtualService, r: RealServer, ok: boolean, message: string, pid: number, at: Date): string {
  return `[${perlLocaltime(at)}] [${pid}] ${monitorRealId(v, r)} [${ok ? "up" : "down"}] ${escapeMonitorMessage(message === "" ? "-" : message)}\n`;
}

/** Buffered bytes per file beyond which lines are dropped (a stuck disk must not grow memory without bound). */
export const MONITOR_BUFFER_LIMIT = 4 * 1024 * 1024;

/** The monitorfile writers of a config. */
export interface MonitorFiles {
  /** Append the line for a check result to the virtual's monitorfile, if it has one. */
  record(v: VirtualService, r: RealServer, result: Pick<CheckResult, "ok" | "message">, at?: Date): void;
  /** Close every file; the next line reopens it (logrotate). */
  reopen(): void;
  close(): Promise<void>;
}

/** Create the monitorfile writers; `scrub` masks secrets in messages. */
export function createMonitorFiles(deps: { readonly logger: Logger; readonly scrub: (s: string) => string }): MonitorFiles {
  const streams = new Map<string, WriteStream>();
  const broken = new Set<string>();
  const dropping = new Set<string>();

  const streamFor = (path: string): WriteStream | undefined => {
    if (broken.has(path)) return undefined;
    let s = streams.get(path);
    if (s === undefined) {
      s = createWriteStream(path, { flags: "a" });
      s.on("error", (err) => {
        // Logged once; the file stays closed until reopen() (ldirectord dies here; we keep checking).
        broken.add(path);
        streams.delete(path);
        deps.logger.error({ monitorfile: path, err }, `monitorfile ${path}: ${err.message}`);
      });
      streams.set(path, s);
    }
    return s;
  };

  const endAll = async (): Promise<void> => {
    const all = [...streams.values()];
    streams.clear();
    await Promise.all(all.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.end(() => resolve())))));
  };

  return {
    record(v, r, result, at = new Date()) {
      if (v.monitorfile === undefined) return;
      const s = streamFor(v.monitorfile);
      if (s === undefined) return;
      if (s.writableLength > MONITOR_BUFFER_LIMIT) {
        if (!dropping.has(v.monitorfile)) deps.logger.warn({ monitorfile: v.monitorfile }, `monitorfile ${v.monitorfile} is not keeping up; dropping lines`);
        dropping.add(v.monitorfile);
        return;
      }
      dropping.delete(v.monitorfile);
      // Scrub the parts before the id squeezes colons (a URL password is only recognisable as a URL), then the line.
      const shown = { ...r, request: deps.scrub(r.request), receive: deps.scrub(r.receive) };
      s.write(deps.scrub(formatMonitorLine(v, shown, result.ok, deps.scrub(result.message), process.pid, at)));
    },
    reopen() {
      broken.clear();
      void endAll();
    },
    close: endAll,
  };
}
