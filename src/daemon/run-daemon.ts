// The daemon's life in the foreground process: pid file, logger, operations, backend, director, signals,
// reload and autoreload, state file, and a clean stop. The start command calls runDaemon (directly with -d or
// supervised=yes, in the detached child otherwise).
import { readFile } from "node:fs/promises";
import type { DirectorConfig } from "../config/types.js";
import { parseConfig } from "../config/index.js";
import { createLogger, type DaemonLogger } from "../ops/logger.js";
import { createOperations, type Operations } from "../ops/index.js";
import { createDirector, type Director } from "./director.js";
import { createIpvsBackend, loadPlanner, type BackendKind } from "./ipvs-wiring.js";
import { daemonState, removePidFile, removePidFileSync, writePidFile } from "./pid-file.js";
import { createStateFileWriter } from "./state-file.js";
import { fileDigest, watchConfig, type ConfigWatcher } from "./config-watcher.js";
import { runCallback } from "./callback.js";
import { LdError } from "../errors.js";

/** Everything runDaemon needs. */
export interface DaemonOptions {
  readonly config: DirectorConfig;
  readonly pidFile: string;
  readonly stateFile: string;
  readonly backend: BackendKind;
  readonly ipvsadm?: string;
  readonly debug: boolean;
  /** Called once the first table write is done (the daemonizing parent exits 0 then). */
  readonly onReady?: (pid: number) => void;
}

/** The daemon is already running (pid file names a live director). */
export class AlreadyRunningError extends LdError {
  constructor(readonly pid: number) {
    super("ERR_RUNNING", `already running with pid ${pid}`);
  }
}

function positiveInt(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Run until a stop signal; resolves to the exit code. Throws (before onReady) when start-up fails. */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  let config = o.config;
  const existing = await daemonState(o.pidFile);
  if (existing.kind === "running" && existing.pid !== process.pid) throw new AlreadyRunningError(existing.pid);
  const log: DaemonLogger = createLogger({ target: config.globals.logfile, debug: o.debug, supervised: config.globals.supervised, name: config.name });
  const logger = log.logger;
  let ops: Operations | undefined;
  let director: Director | undefined;
  let watcher: ConfigWatcher | undefined;
  const state = createStateFileWriter(o.stateFile, (err) => logger.warn({ err: String(err) }, `state file ${o.stateFile} not written`));
  const startedAt = new Date().toISOString();
  const writeState = (): void => {
    // A thunk: the writer builds the snapshot only when a write starts, not once per coalesced change (bench-found).
    const d = director;
    if (d !== undefined) void state.write(() => ({ pid: process.pid, startedAt, backend: o.backend, ...d.status() }));
  };
  // Once the 2 s timer runs, changes are not written one by one: the timer picks them up (bench-found).
  let periodicState = false;
  let stopRequested: ((signal: string) => void) | undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = resolve));
  let stopping = false;
  const onTerm = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal while stopping: give up on the clean stop and exit now.
      logger.warn(`second ${signal} while stopping: exiting at once`);
      removePidFileSync(o.pidFile);
      process.exit(1);
    }
    stopping = true;
    stopRequested?.(signal);
  };
  const termSignals: NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGQUIT"];
  for (const s of termSignals) process.on(s, onTerm);
  // A bug must not vanish with the daemon's stderr (/dev/null when daemonized): log it, drop the pid file, exit 70.
  const onFatal = (err: unknown): void => {
    logger.fatal({ err: err instanceof Error ? err.stack ?? err.message : String(err) }, `fatal: ${err instanceof Error ? err.message : String(err)}`);
    removePidFileSync(o.pidFile);
    setTimeout(() => process.exit(70), 1000).unref();
    void log.close().finally(() => process.exit(70));
  };
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);

  let reloading: Promise<void> | undefined;
  let reloadAgain = false;
  const reload = async (why: string): Promise<void> => {
    if (director === undefined || stopping) return;
    if (reloading !== undefined) {
      reloadAgain = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        reloadAgain = false;
        await reloadOnce(why);
      } while (reloadAgain && !stopping);
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  const reloadOnce = async (why: string): Promise<void> => {
    if (director === undefined) return;
    const digest = await fileDigest(config.file);
    let text: Buffer;
    try {
      text = await readFile(config.file);
    } catch (err) {
      logger.error({ file: config.file }, `reload (${why}): cannot read ${config.file}: ${(err as Error).message}; keeping the running configuration`);
      return;
    }
    const parsed = await parseConfig(text, config.file);
    const errors = parsed.diagnostics.filter((d) => d.severity === "error");
    if (parsed.config === undefined || errors.length > 0) {
      for (const d of errors) logger.error({ file: d.file, line: d.line, code: d.code }, `${d.file}:${d.line}: ${d.message}`);
      logger.error({ errors: errors.length }, `reload (${why}) refused: ${errors.length} error${errors.length === 1 ? "" : "s"} in ${config.file}; keeping the running configuration`);
      if (digest !== undefined) watcher?.accept(digest);
      return;
    }
    for (const d of parsed.diagnostics.filter((x) => x.severity === "warning")) logger.warn({ file: d.file, line: d.line, code: d.code }, `${d.file}:${d.line}: ${d.message}`);
    const summary = await director.reload(parsed.config);
    config = parsed.config;
    ops?.reload(config);
    if (digest !== undefined) watcher?.accept(digest);
    const d = summary.diff;
    logger.info(
      { added: d.addedVirtuals.length, removed: d.removedVirtuals.length, changed: d.changedVirtuals.length, realsAdded: d.addedReals.length, realsRemoved: d.removedReals.length, realsChanged: d.changedReals.length, ops: summary.ops.length },
      `reloaded ${config.file} (${why}): ${d.empty ? "no change" : `virtuals +${d.addedVirtuals.length} -${d.removedVirtuals.length} ~${d.changedVirtuals.length}, reals +${d.addedReals.length} -${d.removedReals.length} ~${d.changedReals.length}`}; ${summary.ops.length} table operation${summary.ops.length === 1 ? "" : "s"}`,
    );
    writeState();
  };
  const onHup = (): void => {
    log.reopen();
    ops?.reopen();
    void reload("SIGHUP");
  };
  process.on("SIGHUP", onHup);

  try {
    await writePidFile(o.pidFile);
    const backend = await createIpvsBackend(o.backend, {
      ...(o.ipvsadm === undefined ? {} : { ipvsadm: o.ipvsadm }),
      log: (line) => logger.info({ backend: "dry-run" }, line),
    });
    const planChanges = await loadPlanner();
    ops = createOperations(config, { logger });
    // Tunables without a config directive (ldirectord has none): the cap on checks in flight and the rise count.
    const concurrency = positiveInt(process.env.LDIRECTORD_TS_MAX_CHECKS);
    const rise = positiveInt(process.env.LDIRECTORD_TS_RISE);
    director = createDirector({
      config,
      backend,
      logger,
      hooks: ops.hooks,
      planChanges,
      logTransitions: false,
      onChange: () => {
        if (!periodicState) writeState();
      },
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(rise === undefined ? {} : { rise }),
    });
    logger.info({ config: config.file, backend: backend.name, pid: process.pid }, `starting ldirectord-ts for ${config.file} (backend ${backend.name})`);
    await director.start();
  } catch (err) {
    for (const s of termSignals) process.off(s, onTerm);
    process.off("SIGHUP", onHup);
    process.off("uncaughtException", onFatal);
    process.off("unhandledRejection", onFatal);
    logger.error({ err: err instanceof Error ? err.message : String(err) }, `start failed: ${err instanceof Error ? err.message : String(err)}`);
    await director?.stop().catch(() => undefined);
    await ops?.close().catch(() => undefined);
    await removePidFile(o.pidFile);
    await log.close();
    throw err;
  }
  writeState();
  const stateTimer = setInterval(writeState, 2000);
  periodicState = true;
  const digest = await fileDigest(config.file);
  if ((config.globals.autoreload || config.globals.callback !== undefined) && digest !== undefined) {
    watcher = watchConfig(config.file, digest, (err) => logger.warn({ err: String(err) }, `watching ${config.file}: ${String(err)}`), () => {
      logger.info(`configuration file ${config.file} has changed on disk${config.globals.autoreload ? "; reloading" : "; ignored (autoreload=no)"}`);
      // As ldirectord: reread first, then the callback of the configuration now in force.
      void (config.globals.autoreload ? reload("autoreload") : Promise.resolve()).then(() => {
        const cb = config.globals.callback;
        return cb === undefined ? undefined : runCallback(cb, config.file, logger);
      });
    });
  }
  logger.info({ pid: process.pid }, `ldirectord-ts for ${config.file} running with pid ${process.pid}`);
  o.onReady?.(process.pid);

  const signal = await stopped;
  logger.info({ signal }, `stopping on ${signal}`);
  clearInterval(stateTimer);
  await watcher?.close();
  if (reloading !== undefined) await reloading.catch(() => undefined);
  await director.stop();
  await ops.close();
  await state.remove();
  await removePidFile(o.pidFile);
  logger.info({ signal }, `ldirectord-ts terminated on signal ${signal}`);
  for (const s of termSignals) process.off(s, onTerm);
  process.off("SIGHUP", onHup);
  process.off("uncaughtException", onFatal);
  process.off("unhandledRejection", onFatal);
  await log.close();
  return 0;
}
