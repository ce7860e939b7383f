// `reload` / `force-reload`: SIGHUP to the running daemon, exit 0; not running: exit 1 (as ldirectord). A config
// with errors is reported and not sent (the daemon would refuse it too): exit 2.
import { resolve } from "node:path";
import type { CommandContext } from "../context.js";
import { configName, daemonState, pidFilePath } from "../../daemon/pid-file.js";
import { signalDaemon } from "../../daemon/control.js";
import { loadConfig } from "../../config/index.js";

/** Run the reload command. */
export async function run(ctx: CommandContext): Promise<number> {
  const name = configName(ctx.configArg);
  const state = await daemonState(pidFilePath(resolve(ctx.options.runDir), name));
  if (state.kind !== "running") {
    ctx.stderr.write(`ldirectord-ts is stopped for ${name}\n`);
    return 1;
  }
  // Throws ConfigError (exit 2, every error with file:line) before anything is signalled.
  await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
  if (!signalDaemon(state.pid, "SIGHUP")) {
    ctx.stderr.write(`ldirectord-ts is stopped for ${name}\n`);
    return 1;
  }
  return 0;
}
