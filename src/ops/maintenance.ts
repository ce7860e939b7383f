// maintenancedir (§4.4): a file named after a real server takes it out of service. The directory is read once a
// second (and at once on fs.watch events) into a Set, so the per-check question is a Set lookup: no file system
// call and no DNS in the check path. ldirectord does a reverse lookup on every check; we use the configured host
// name, or a reverse lookup done in the background and cached for an hour.
import { watch, type FSWatcher } from "node:fs";
import { readdir } from "node:fs/promises";
import { reverse } from "node:dns/promises";
import type { Logger } from "pino";
import type { RealServer } from "../config/types.js";

/**
 * File names that put a real in maintenance, in ldirectord's order: IP:PORT, IP, FQDN:PORT, FQDN, SHORT:PORT, SHORT.
 * IPv6 as ldirectord writes it, in brackets (`[2001:db8::5]:80`, `[2001:db8::5]`), and also bare (`2001:db8::5`).
 * PORT is the configured port (0 for a portless real). Pure.
 */
export function maintenanceNames(real: Pick<RealServer, "address" | "family" | "port">, hostname?: string): string[] {
  const ip = real.family === 6 ? `[${real.address}]` : real.address;
  const names = [`${ip}:${real.port}`, ip];
  if (real.family === 6) names.push(real.address);
  if (hostname !== undefined && hostname !== "") {
    names.push(`${hostname}:${real.port}`, hostname);
    const short = /^([a-z][a-z0-9-]+)\./.exec(hostname)?.[1];
    if (short !== undefined) names.push(`${short}:${real.port}`, short);
  }
  return names;
}

/** How long a reverse lookup is trusted. */
export const REVERSE_TTL_MS = 3_600_000;

/** The maintenance directory watcher. */
export interface Maintenance {
  /** Is this real in maintenance? A Set lookup; never throws. */
  inMaintenance(real: RealServer): boolean;
  /** Switch directory (reload); undefined turns maintenance off. */
  setDir(dir: string | undefined): void;
  /** Re-read the directory now (resolves when done). */
  refresh(): Promise<void>;
  close(): void;
}

/** Options of createMaintenance. */
export interface MaintenanceOptions {
  readonly dir: string | undefined;
  readonly logger: Logger;
  /** Directory poll period; default 1 s. */
  readonly intervalMs?: number;
  /** Reverse lookup; default node:dns reverse. */
  readonly reverseLookup?: (address: string) => Promise<string[]>;
}

/** Start watching the maintenance directory. */
export function createMaintenance(o: MaintenanceOptions): Maintenance {
  let dir = o.dir;
  let entries = new Set<string>();
  let watcher: FSWatcher | undefined;
  let lastError: string | undefined;
  let reading: Promise<void> | undefined;
  const names = new Map<string, { name: string | undefined; at: number; pending: boolean }>();
  const lookup = o.reverseLookup ?? reverse;

  const refresh = (): Promise<void> => {
    reading ??= (async () => {
      const d = dir;
      if (d === undefined) {
        entries = new Set();
        return;
      }
      try {
        const list = await readdir(d);
        if (dir === d) entries = new Set(list);
        lastError = undefined;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        // A missing directory means "nothing in maintenance"; said once, not every second.
        if (msg !== lastError) o.logger.warn({ maintenancedir: d }, `maintenancedir ${d}: ${msg}`);
        lastError = msg;
        entries = new Set();
      }
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  const startWatch = (): void => {
    watcher?.close();
    watcher = undefined;
    if (dir === undefined) return;
    try {
      watcher = watch(dir, { persistent: false }, () => void refresh());
      watcher.on("error", () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // No directory yet, or no inotify: the poll still picks changes up within a second.
    }
  };

  const hostnameOf = (real: RealServer): string | undefined => {
    if (real.hostname !== undefined) return real.hostname;
    const now = Date.now();
    const c = names.get(real.address);
    if (c === undefined || (!c.pending && now - c.at > REVERSE_TTL_MS)) {
      names.set(real.address, { name: c?.name, at: now, pending: true });
      lookup(real.address).then(
        (hosts) => names.set(real.address, { name: hosts[0], at: Date.now(), pending: false }),
        () => names.set(real.address, { name: undefined, at: Date.now(), pending: false }),
      );
    }
    return c?.name;
  };

  const timer = setInterval(() => void refresh(), o.intervalMs ?? 1_000);
  timer.unref();
  void refresh();
  startWatch();

  return {
    inMaintenance(real) {
      if (dir === undefined || entries.size === 0) return false;
      try {
        return maintenanceNames(real, hostnameOf(real)).some((n) => entries.has(n));
      } catch {
        return false;
      }
    },
    setDir(d) {
      if (d === dir) return;
      dir = d;
      lastError = undefined;
      void refresh();
      startWatch();
    },
    refresh,
    close() {
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
