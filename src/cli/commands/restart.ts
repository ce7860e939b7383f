// `restart`: stop (and wait), then start. `try-restart`: the same, only if running.
import { resolve } from "node:path";
import type { CommandContext } from "../context.js";
import { configName, daemonState, pidFilePath } from "../../daemon/pid-file.js";
import { stopDaemon } from "./stop.js";
import { run as start } from "./start.js";
import { loadConfig } from "../../config/index.js";

/** Run restart or try-restart. */
export async function run(ctx: CommandContext): Promise<number> {
  const name = configName(ctx.configArg);
  const state = await daemonState(pidFilePath(resolve(ctx.options.runDir), name));
  if (ctx.command === "try-restart" && state.kind !== "running") return 0;
  // A broken config must not take a running daemon down: check it before stopping (throws ConfigError, exit 2).
  await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
  const stopped = await stopDaemon(ctx);
  if (stopped !== 0) return stopped;
  return start({ ...ctx, command: "start" });
}
