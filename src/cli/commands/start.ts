// `start`: run the daemon. Daemonizes (a detached child of the real executable, in its own session, stdio on
// /dev/null) unless -d or supervised=yes; the parent waits for the child's readiness report (over an IPC channel
// the child then disconnects) and exits 0 once the daemon runs, or 1 with the child's error. Already running:
// exit 0, start nothing.
import { spawn } from "node:child_process";
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
  // The readiness report goes over Node's IPC channel, which disconnect() closes cleanly (a raw inherited fd
  // closed by a stream left the daemon's timers dead after its next child process).
  const report = (message: { ready: number } | { error: string }): void => {
    if (!isChild || process.send === undefined) return;
    process.send(message, () => process.disconnect());
  };
  if (isChild) process.chdir("/");
  try {
    return await runDaemon({
      config,
      pidFile,
      stateFile: stateFilePath(runDir, name),
      backend: ctx.options.backend,
      ...(ctx.options.ipvsadm === undefined ? {} : { ipvsadm: ctx.options.ipvsadm }),
      debug: ctx.options.debug,
      onReady: (pid) => report({ ready: pid }),
    });
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      report({ ready: err.pid });
      return 0;
    }
    report({ error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/** Spawn the detached daemon and wait for its report (bounded by the first round of checks plus a margin). */
async function daemonize(ctx: CommandContext, checkinterval: number, maxTimeoutS: number): Promise<number> {
  const child = spawn(process.execPath, [BIN_PATH, ...ctx.argv], {
    detached: true,
    stdio: ["ignore", "ignore", "ignore", "ipc"],
    env: { ...process.env, [DAEMON_ENV]: "1" },
  });
  const boundMs = Math.min(checkinterval, 2) * 1000 + maxTimeoutS * 1000 + 20_000;
  const outcome = await new Promise<{ ok: true; pid: number } | { ok: false; message: string }>((done) => {
    const timer = setTimeout(() => done({ ok: false, message: `the daemon did not report ready within ${Math.round(boundMs / 1000)} s` }), boundMs);
    child.once("message", (m: { ready?: number; error?: string }) => {
      clearTimeout(timer);
      if (typeof m.ready === "number") done({ ok: true, pid: m.ready });
      else done({ ok: false, message: m.error ?? "unknown error" });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      done({ ok: false, message: `the daemon exited with ${code ?? signal} before it was ready` });
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      done({ ok: false, message: err.message });
    });
  });
  if (child.connected) child.disconnect();
  child.unref();
  if (outcome.ok) return 0;
  if (child.exitCode === null) child.kill("SIGTERM");
  ctx.stderr.write(`ldirectord-ts: start failed: ${outcome.message}\n`);
  return 1;
}
