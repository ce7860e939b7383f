// `stop`: SIGTERM and wait (bounded) until the daemon is gone, cleanstop included. Exit 0, also when not running.
// Needs only the config NAME: a broken config file is reported as a warning and never blocks a stop.
import { resolve } from "node:path";
import type { CommandContext } from "../context.js";
import { configName, daemonState, pidFilePath } from "../../daemon/pid-file.js";
import { signalDaemon, stopTimeoutMs, waitForExit } from "../../daemon/control.js";
import { warnConfigProblems } from "./status.js";
import { rm } from "node:fs/promises";

/** Stop the daemon of ctx's config; 0 when it is not running (any more), 1 when it did not exit in time. */
export async function stopDaemon(ctx: CommandContext): Promise<number> {
  const name = configName(ctx.configArg);
  const pidFile = pidFilePath(resolve(ctx.options.runDir), name);
  const state = await daemonState(pidFile);
  if (state.kind === "stopped") return 0;
  if (state.kind === "stale") {
    await rm(pidFile, { force: true });
    return 0;
  }
  if (!signalDaemon(state.pid, "SIGTERM")) return 0;
  const timeoutMs = stopTimeoutMs();
  if (await waitForExit(state.pid, timeoutMs)) return 0;
  ctx.stderr.write(`ldirectord-ts for ${name} (pid ${state.pid}) has not stopped within ${timeoutMs / 1000} s\n`);
  return 1;
}

/** Run the stop command. */
export async function run(ctx: CommandContext): Promise<number> {
  await warnConfigProblems(ctx);
  return stopDaemon(ctx);
}
