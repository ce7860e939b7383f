// `status`: exit 0 and "… is running with pid: N" on stdout (Heartbeat reads stdout), 3 and "… is stopped (not
// running)" when not running, 1 for a stale pid file. --json adds the daemon's state file.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CommandContext } from "../context.js";
import { loadConfig } from "../../config/index.js";
import { ConfigError } from "../../errors.js";
import { describeError } from "../exit-codes.js";
import { configName, daemonState, pidFilePath, stateFilePath } from "../../daemon/pid-file.js";

/** Report config errors on stderr as a warning (stop/status/reload work from the config NAME alone). */
export async function warnConfigProblems(ctx: CommandContext): Promise<boolean> {
  try {
    await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
    return true;
  } catch (err) {
    const what = err instanceof ConfigError ? describeError(err) : err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`ldirectord-ts: warning: configuration problem (the running daemon is unaffected):\n${what}\n`);
    return false;
  }
}

/** Run the status command. */
export async function run(ctx: CommandContext): Promise<number> {
  const name = configName(ctx.configArg);
  const runDir = resolve(ctx.options.runDir);
  const pidFile = pidFilePath(runDir, name);
  await warnConfigProblems(ctx);
  const state = await daemonState(pidFile);
  if (ctx.options.json) {
    let daemon: unknown;
    if (state.kind === "running") {
      try {
        daemon = JSON.parse(await readFile(stateFilePath(runDir, name), "utf8")) as unknown;
      } catch {
        daemon = undefined;
      }
    }
    ctx.stdout.write(`${JSON.stringify({ config: name, running: state.kind === "running", ...(state.kind === "stopped" ? {} : { pid: state.pid, pidFile }), stale: state.kind === "stale", ...(daemon === undefined ? {} : { daemon }) }, null, 2)}\n`);
    return state.kind === "running" ? 0 : state.kind === "stale" ? 1 : 3;
  }
  switch (state.kind) {
    case "running":
      ctx.stdout.write(`ldirectord-ts for ${name} is running with pid: ${state.pid}\n`);
      return 0;
    case "stale":
      ctx.stdout.write(`ldirectord-ts stale pid file ${pidFile} for ${name}\nldirectord-ts for ${name} is stopped (not running)\n`);
      return 1;
    case "stopped":
      ctx.stdout.write(`ldirectord-ts for ${name} is stopped (not running)\n`);
      return 3;
  }
}
