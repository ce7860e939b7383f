// Talking to a running daemon from the CLI: signal it and wait for it to be gone.
import { isDirectorProcess } from "./pid-file.js";

/** How long `stop` waits for the daemon (cleanstop included) before reporting; LDIRECTORD_TS_STOP_TIMEOUT (s) overrides. */
export function stopTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.LDIRECTORD_TS_STOP_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

/** Send `signal` to pid; false when the process is already gone. */
export function signalDaemon(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

/** Resolve true once pid is no longer a director process, false after timeoutMs. Polls every 50 ms. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isDirectorProcess(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isDirectorProcess(pid);
}
