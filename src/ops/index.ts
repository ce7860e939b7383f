// Operations wiring: e-mail alerts, monitorfile, maintenancedir, fallbackcommand, execute=, transition logs.
// CONTRACT (owned by the operations work): the daemon's start command calls createOperations and passes its hooks
// to the director; reload() swaps the config; reopen() reopens monitorfiles (logrotate, with the logger's reopen);
// close() flushes pending mail within a bound.
import { hostname as osHostname, userInfo } from "node:os";
import type { DirectorConfig } from "../config/types.js";
import type { DirectorHooks } from "../daemon/hooks.js";
import { realKey } from "../ipvs/desired.js";
import { createAlerter, DEFAULT_BATCH_WINDOW_MS } from "../alerts/alerter.js";
import { createMailer, nodemailerTransport, type MailTransport } from "../alerts/mailer.js";
import { scrubberOf, type Logger } from "./logger.js";
import { createScrubber, secretsOf } from "./scrub.js";
import { createMonitorFiles } from "./monitor-file.js";
import { createMaintenance } from "./maintenance.js";
import { createFallbackCommands } from "./fallback-command.js";
import { createInstances, executePlan } from "./execute.js";
import { fallbackText, transitionAction, transitionText } from "./labels.js";

/** What createOperations returns. */
export interface Operations {
  readonly hooks: DirectorHooks;
  reload(config: DirectorConfig): void;
  /** Reopen monitorfiles (call with the logger's reopen after logrotate). */
  reopen(): void;
  close(): Promise<void>;
}

/** Dependencies of createOperations; everything but the logger is optional (tests inject short timings). */
export interface OperationsDeps {
  readonly logger: Logger;
  /** Host name in mails and the default From (default os.hostname()). */
  readonly hostname?: string;
  /** Mail transport factory (default nodemailer: SMTP relay or sendmail). */
  readonly mailTransport?: (key: string, timeoutMs: number) => MailTransport;
  /** The sendmail program for mail without smtp= (default /usr/sbin/sendmail). */
  readonly sendmailPath?: string;
  /** Batching window for alerts (default 2 s). */
  readonly batchWindowMs?: number;
  /** Bound on one mail delivery attempt (default 15 s). */
  readonly mailTimeoutMs?: number;
  /** First retry delay of a failed mail (default 5 s, doubling, at most 6 attempts). */
  readonly mailRetryBaseMs?: number;
  /** Bound on one fallbackcommand run (default 30 s). */
  readonly fallbackTimeoutMs?: number;
  /** argv prefix invoking ldirectord-ts for execute= instances (default: this node + bin/ldirectord-ts). */
  readonly selfCommand?: readonly string[];
  /** maintenancedir poll period (default 1 s). */
  readonly maintenanceIntervalMs?: number;
  /** How long close() waits for mail delivery (default 5 s). */
  readonly closeTimeoutMs?: number;
}

function defaultFrom(host: string): string {
  try {
    return `${userInfo().username}@${host}`;
  } catch {
    return `root@${host}`;
  }
}

/** Build the operations side for a config. */
export function createOperations(initial: DirectorConfig, deps: OperationsDeps): Operations {
  const { logger } = deps;
  let config = initial;
  const host = deps.hostname ?? osHostname();
  const scrubber = scrubberOf(logger) ?? createScrubber();
  scrubber.setSecrets(secretsOf(config));
  const scrub = (s: string): string => scrubber.text(s);

  const mailer = createMailer({
    logger,
    ...(deps.mailTransport !== undefined
      ? { createTransport: deps.mailTransport }
      : deps.sendmailPath !== undefined
        ? { createTransport: (key: string, ms: number) => nodemailerTransport(key, ms, deps.sendmailPath) }
        : {}),
    ...(deps.mailTimeoutMs === undefined ? {} : { timeoutMs: deps.mailTimeoutMs }),
    ...(deps.mailRetryBaseMs === undefined ? {} : { retryBaseMs: deps.mailRetryBaseMs }),
  });
  const alerter = createAlerter({ logger, mailer, hostname: host, defaultFrom: defaultFrom(host), scrub, windowMs: deps.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS });
  const monitor = createMonitorFiles({ logger, scrub });
  const maintenance = createMaintenance({
    dir: config.globals.maintenancedir,
    logger,
    ...(deps.maintenanceIntervalMs === undefined ? {} : { intervalMs: deps.maintenanceIntervalMs }),
  });
  const fallback = createFallbackCommands({ logger, scrub, ...(deps.fallbackTimeoutMs === undefined ? {} : { timeoutMs: deps.fallbackTimeoutMs }) });
  const instances = createInstances({ logger, ...(deps.selfCommand === undefined ? {} : { self: deps.selfCommand }) });
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  // logrotate's `kill -USR1` reopens the monitorfiles too (the logger reopens its own file on the same signal).
  const onUsr1 = (): void => monitor.reopen();
  process.on("SIGUSR1", onUsr1);

  if (config.globals.fork) logger.info("fork=yes: ignored, every check already runs concurrently in one process");

  const hooks: DirectorHooks = {
    onCheckResult(v, r, result) {
      monitor.record(v, r, result);
      if (logger.isLevelEnabled("debug")) logger.debug({ vs: v.key, rs: realKey(r), ok: result.ok, durationMs: Math.round(result.durationMs) }, `check ${result.ok ? "up" : "down"}: ${result.message}`);
    },
    onTransition(t) {
      const text = transitionText(transitionAction({ from: t.from, to: t.to, quiescent: t.virtual.quiescent }), t.virtual, t.real);
      logger.info({ vs: t.virtual.key, rs: realKey(t.real), from: t.from, to: t.to, reason: t.reason, durationMs: Math.round(t.durationMs), maintenance: t.maintenance }, text);
      alerter.transition(t);
    },
    onFallback(c) {
      const text = fallbackText(c.state, c.virtual);
      logger.info({ vs: c.virtual.key, fallback: c.state }, text ?? `fallback ${c.state === "on" ? "start" : "stop"}: no real server of ${c.virtual.key} is ${c.state === "on" ? "up" : "down any more"}`);
      fallback.change(c.virtual, c.state);
      alerter.fallback(c);
    },
    onStatus(s) {
      alerter.status(s);
      if (s === "starting" && config.globals.execute.length > 0) track(instances.run(config.globals.execute, "start"));
      if (s === "stopping" && config.globals.execute.length > 0) track(instances.run(config.globals.execute, "stop"));
    },
    inMaintenance: (_v, r) => maintenance.inMaintenance(r),
    onTick: (now) => alerter.tick(now),
  };

  return {
    hooks,
    reload(next) {
      const plan = executePlan(config.globals.execute, next.globals.execute);
      config = next;
      scrubber.setSecrets(secretsOf(next));
      alerter.reload(next);
      fallback.reload(next.virtuals);
      maintenance.setDir(next.globals.maintenancedir);
      monitor.reopen();
      if (plan.stop.length > 0) track(instances.run(plan.stop, "stop"));
      if (plan.reload.length > 0) track(instances.run(plan.reload, "reload"));
      if (plan.start.length > 0) track(instances.run(plan.start, "start"));
    },
    reopen: () => monitor.reopen(),
    async close() {
      const bound = deps.closeTimeoutMs ?? 5_000;
      process.off("SIGUSR1", onUsr1);
      maintenance.close();
      const delivered = await alerter.close(bound);
      if (!delivered) logger.warn({ withinMs: bound }, "email alerts still undelivered at stop");
      const rest = Promise.all([fallback.idle(), ...pending]).then(() => undefined);
      await Promise.race([rest, new Promise((resolve) => setTimeout(resolve, bound).unref())]);
      await monitor.close();
    },
  };
}
