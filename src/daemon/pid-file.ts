// The pid file RUN_DIR/ldirectord-ts.CFGNAME.pid and the "is it really us" test ldirectord makes with /proc.
import { basename, join } from "node:path";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync, rmSync } from "node:fs";

/** CFGNAME as ldirectord derives it: the config argument's base name as given, `ldirectord` without one. */
export function configName(configArg: string | undefined): string {
  return configArg === undefined ? "ldirectord" : basename(configArg);
}

/** RUN_DIR/ldirectord-ts.CFGNAME.pid */
export function pidFilePath(runDir: string, name: string): string {
  return join(runDir, `ldirectord-ts.${name}.pid`);
}

/** RUN_DIR/ldirectord-ts.CFGNAME.state.json: the daemon's machine-readable state (see status --json). */
export function stateFilePath(runDir: string, name: string): string {
  return join(runDir, `ldirectord-ts.${name}.state.json`);
}

/**
 * True when `pid` is a live process of this program: /proc/PID/cmdline names ldirectord (our executable, or the
 * `ldirectord` link Heartbeat calls). A zombie has an empty cmdline and so counts as gone.
 */
export function isDirectorProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("ldirectord");
  } catch {
    return false;
  }
}

/** What the pid file says about a daemon. */
export type DaemonState =
  | { readonly kind: "stopped" }
  | { readonly kind: "running"; readonly pid: number }
  | { readonly kind: "stale"; readonly pid: number | undefined; readonly path: string };

/** Read the pid file and judge it. */
export async function daemonState(path: string): Promise<DaemonState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "stopped" };
    throw err;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (Number.isInteger(pid) && pid > 0 && isDirectorProcess(pid)) return { kind: "running", pid };
  return { kind: "stale", pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, path };
}

/** Write our pid (creating RUN_DIR). */
export async function writePidFile(path: string, pid: number = process.pid): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, `${pid}\n`, { mode: 0o644 });
}

/** Remove the pid file if it still holds `pid` (never another instance's). */
export async function removePidFile(path: string, pid: number = process.pid): Promise<void> {
  try {
    const text = await readFile(path, "utf8");
    if (Number.parseInt(text.trim(), 10) === pid) await rm(path, { force: true });
  } catch {
    // Already gone.
  }
}

/** Synchronous variant for the last-resort exit path (a second signal while stopping). */
export function removePidFileSync(path: string, pid: number = process.pid): void {
  try {
    const text = readFileSync(path, "utf8");
    if (Number.parseInt(text.trim(), 10) === pid) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}
