// `start`: run the daemon. Daemonizes (a detached child of the real executable, in its own session, stdio on
// /dev/null) unless -d or supervised=yes; the parent waits for the child's readiness report and exits 0 once the
// daemon runs, or 1 with the child's error. Already running: exit 0, start nothing.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandContext } from "../context.js";
import { loadConfig } from "../../config/index.js";
import { configName, daemonState, pidFilePath, stateFilePath } from "../../daemon/pid-file.js";

/** Set in the environment of the detached child: "this process is the daemon, run in the foreground". */
export const DAEMON_ENV = "LDIRECTORD_TS_DAEMON_CHILD";

/** The real executable (never a symlink name): the daemon is re-spawned from it. */
export const BIN_PATH = fileURLToPath(new URL("../../../bin/ldirectord-ts", import.meta.url));

/** Run the start command. */
export async function run(ctx: CommandContext): Promise<number> {
  const name = configName(ctx.configArg);
  const runDir = resolve(ctx.options.runDir);
  const pidFile = pidFilePath(runDir, name);
  const isChild = process.env[DAEMON_ENV] === "1";
  const before = await daemonState(pidFile);
  if (before.kind === "running" && before.pid !== process.pid) {
    if (!isChild) ctx.stdout.write(`ldirectord-ts for ${name} is already running with pid: ${before.pid}\n`);
    return 0;
  }
  const config = await loadConfig(ctx.configArg, { haDir: ctx.options.haDir });
  for (const w of config.warnings) ctx.stderr.write(`${w.file}:${w.line}: warning: ${w.message}\n`);
  const foreground = ctx.options.debug || config.globals.supervised;
  if (!foreground && !isChild) return daemonize(ctx, config.globals.checkinterval, Math.max(0, ...config.virtuals.map((v) => Math.max(v.checktimeout, v.negotiatetimeout))));

  // The daemon itself (foreground, or the detached child reporting readiness on fd 3). Imported here so the
  // daemonizing parent does not load the checks and their client libraries (seconds inside a slow VM).
  const { AlreadyRunningError, runDaemon } = await import("../../daemon/run-daemon.js");
  const report = isChild ? createWriteStream("", { fd: 3 }) : undefined;
  report?.on("error", () => undefined);
  if (isChild) process.chdir("/");
  try {
    return await runDaemon({
      config,
      pidFile,
      stateFile: stateFilePath(runDir, name),
      backend: ctx.options.backend,
      ...(ctx.options.ipvsadm === undefined ? {} : { ipvsadm: ctx.options.ipvsadm }),
      debug: ctx.options.debug,
      onReady: (pid) => {
        report?.end(`ready ${pid}\n`);
      },
    });
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      report?.end(`ready ${err.pid}\n`);
      return 0;
    }
    report?.end(`error ${err instanceof Error ? err.message.replace(/\n/g, " ") : String(err)}\n`);
    throw err;
  }
}

/** Spawn the detached daemon and wait for its report (bounded by the first round of checks plus a margin). */
async function daemonize(ctx: CommandContext, checkinterval: number, maxTimeoutS: number): Promise<number> {
  const child = spawn(process.execPath, [BIN_PATH, ...ctx.argv], {
    detached: true,
    stdio: ["ignore", "ignore", "ignore", "pipe"],
    env: { ...process.env, [DAEMON_ENV]: "1" },
  });
  const pipe = child.stdio[3] as NodeJS.ReadableStream | null;
  const boundMs = Math.min(checkinterval, 2) * 1000 + maxTimeoutS * 1000 + 20_000;
  const outcome = await new Promise<{ ok: true; pid: number } | { ok: false; message: string }>((done) => {
    let text = "";
    const timer = setTimeout(() => done({ ok: false, message: `the daemon did not report ready within ${Math.round(boundMs / 1000)} s` }), boundMs);
    pipe?.setEncoding("utf8");
    pipe?.on("data", (chunk: string) => {
      text += chunk;
      const line = text.split("\n")[0] ?? "";
      if (!text.includes("\n")) return;
      clearTimeout(timer);
      if (line.startsWith("ready ")) done({ ok: true, pid: Number(line.slice(6)) });
      else done({ ok: false, message: line.replace(/^error /, "") });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      done({ ok: false, message: text.replace(/^error /, "").trim() || `the daemon exited with ${code ?? signal} before it was ready` });
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      done({ ok: false, message: err.message });
    });
  });
  (pipe as { destroy?: () => void } | null)?.destroy?.();
  child.unref();
  if (outcome.ok) return 0;
  if (child.exitCode === null) child.kill("SIGTERM");
  ctx.stderr.write(`ldirectord-ts: start failed: ${outcome.message}\n`);
  return 1;
}
