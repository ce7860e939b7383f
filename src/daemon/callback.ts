// `callback=`: run after a detected config change as ldirectord does (§4.3): argv [callback, configPath], no shell.
import { execFile } from "node:child_process";
import type { Logger } from "pino";

/** Run the callback, bounded by timeoutMs; outcome logged, never thrown. */
export function runCallback(callback: string, configPath: string, logger: Logger, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    execFile(callback, [configPath], { timeout: timeoutMs, windowsHide: true }, (err, _stdout, stderr) => {
      if (err === null) logger.info({ callback }, `callback ${callback} ${configPath}: done`);
      else logger.error({ callback, stderr: String(stderr).trim() }, `callback ${callback} ${configPath} failed: ${err.message}`);
      resolve();
    });
  });
}
