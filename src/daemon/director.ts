// The director: wires checks → health → desired table → plan → backend. It owns the health state and the
// order of table writes; the scheduler owns time, the checks own the probes, the backend owns the kernel.
import type { Logger } from "pino";
import type { DaemonStatus, DirectorConfig, RealServer, VirtualService } from "../config/types.js";
import { checkKey as defaultCheckKey, checkTimeoutMs as defaultCheckTimeoutMs, runCheck as defaultRunCheck, type CheckPhase } from "../checks/index.js";
import type { IpvsBackend, IpvsTable, TableOp, TableReal } from "../ipvs/types.js";
import { desiredTable as defaultDesiredTable, realKey, type HealthView, type RealHealth } from "../ipvs/desired.js";
import { planChanges as defaultPlanChanges } from "../ipvs/plan.js";
import { applyToTable } from "../ipvs/table-model.js";
import type { DirectorHooks } from "./hooks.js";
import { systemClock, type Clock, type TimerHandle } from "../scheduler/clock.js";
import { ADOPTED_UP, UNKNOWN, nextHealth, type HealthState } from "../scheduler/health-state.js";
import { createScheduler, type CheckTarget, type RunCheckFn, type Scheduler, type ScheduledResult } from "../scheduler/scheduler.js";
import type { LagSnapshot } from "../scheduler/lag-histogram.js";
import { diffConfig, type ConfigDiff } from "./config-diff.js";
import { describeOp } from "./describe-op.js";

/** The planner: the operations that turn `current` into `desired` (src/ipvs planChanges). */
export type PlanFn = (current: IpvsTable, desired: IpvsTable) => readonly TableOp[];

/** Dependencies of createDirector; production wiring is in the start command, tests inject fakes for the edges. */
export interface DirectorOptions {
  readonly config: DirectorConfig;
  readonly backend: IpvsBackend;
  readonly logger: Logger;
  readonly hooks?: DirectorHooks;
  readonly clock?: Clock;
  /** The check runner (default: src/checks runCheck). */
  readonly runCheck?: RunCheckFn;
  readonly checkKey?: (virtual: VirtualService, real: RealServer) => string;
  readonly checkTimeoutMs?: (virtual: VirtualService, phase: CheckPhase) => number;
  readonly desiredTable?: (config: DirectorConfig, health: HealthView) => IpvsTable;
  /** The planner (default: src/ipvs planChanges, purging reals the config does not list in its own services). */
  readonly planChanges?: PlanFn;
  /** Consecutive successes a down real needs to come back (extension; default 1 = ldirectord). */
  readonly rise?: number;
  /** Global cap on checks in flight (default 64). */
  readonly concurrency?: number;
  /** First runs spread over at most this many ms (default 2000). */
  readonly maxSpreadMs?: number;
  readonly random?: () => number;
  /** Period of the drift repair (re-read the table, fix what differs); default max(10 s, checkinterval). */
  readonly reconcileIntervalMs?: number;
  /** First retry delay after a failed table write (doubles up to retryMaxMs); default 1000. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Log each transition at info here (default true); false when the operations hooks log it already. */
  readonly logTransitions?: boolean;
  /** Called after every table write and every reconcile (state file writer). Must not throw. */
  readonly onChange?: () => void;
}

/** One real as status reports it. */
export interface RealStatus {
  readonly key: string;
  readonly health: RealHealth;
  readonly failures: number;
  /** Configured weight. */
  readonly weight: number;
  /** Weight in the last table read; undefined = absent. */
  readonly tableWeight?: number;
  readonly maintenance: boolean;
  readonly lastCheck?: { readonly ok: boolean; readonly message: string; readonly at: number; readonly durationMs: number };
}

/** The director's state, JSON-ready (status --json, the state file). */
export interface DirectorStatus {
  readonly status: DaemonStatus | "stopped";
  readonly config: string;
  readonly virtuals: readonly {
    readonly key: string;
    readonly checktype: string;
    /** Waiting for its first round of checks (no table writes yet). */
    readonly pending: boolean;
    readonly fallback?: "on" | "off";
    readonly reals: readonly RealStatus[];
  }[];
  readonly scheduler: ReturnType<Scheduler["stats"]>;
  readonly lag: LagSnapshot;
  readonly table: {
    readonly syncs: number;
    readonly opsApplied: number;
    readonly applyFailures: number;
    readonly reconcileRepairs: number;
    /** The last operations written (newest last, at most 50). */
    readonly lastOps: readonly string[];
    readonly lastSyncAt?: number;
  };
}

/** What a reload did. */
export interface ReloadSummary {
  readonly diff: ConfigDiff;
  readonly ops: readonly string[];
}

/** The running director. */
export interface Director {
  /** Read the table, adopt what is healthy, run the first round of checks, write the table once. */
  start(): Promise<void>;
  /** Switch to a new config as a keyed diff (health of unchanged reals is kept). */
  reload(config: DirectorConfig): Promise<ReloadSummary>;
  /** Stop checking; with cleanstop remove this config's virtual services. */
  stop(): Promise<void>;
  status(): DirectorStatus;
  /** Scheduler lag histogram (actual − scheduled start of each check). */
  lag(): LagSnapshot;
  readonly config: DirectorConfig;
}

const pairKey = (vk: string, rk: string): string => `${vk} ${rk}`;

/** True when a table real is the kernel's entry for config real `r` of virtual `v` (gate/ipip store the virtual port). */
export function sameReal(t: TableReal, r: RealServer, v: VirtualService): boolean {
  if (t.address !== r.address) return false;
  return t.port === r.port || r.port === 0 || (r.forward !== "masq" && t.port === v.port);
}

/** Create a director; nothing runs until start(). */
export function createDirector(options: DirectorOptions): Director {
  const { backend, logger } = options;
  const hooks = options.hooks ?? {};
  const clock = options.clock ?? systemClock;
  const rise = options.rise ?? 1;
  const desiredTableFn = options.desiredTable ?? defaultDesiredTable;
  const plan: PlanFn = options.planChanges ?? ((current, desired) => defaultPlanChanges(current, desired, { purgeUnknownReals: true }));
  const logTransitions = options.logTransitions ?? true;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  let config = options.config;
  let byKey = new Map(config.virtuals.map((v) => [v.key, v]));
  let status: DaemonStatus | "stopped" = "starting";
  const health = new Map<string, HealthState>();
  const maintenance = new Set<string>();
  const lastCheck = new Map<string, NonNullable<RealStatus["lastCheck"]>>();
  /** Virtuals waiting for their first round: key → reals still without a result. */
  const pending = new Map<string, Set<string>>();
  const pendingTimers = new Map<string, TimerHandle>();
  /** Virtual services of an older config still to delete from the table. */
  const toRemove = new Map<string, VirtualService>();
  const fallback = new Map<string, "on" | "off">();
  let lastTable: IpvsTable = [];
  /** lastTable is the kernel's table as far as we know (false after a failed write: read again). */
  let tableFresh = false;
  let syncing: Promise<void> | undefined;
  let dirty = false;
  let dirtyReason = "";
  let retryTimer: TimerHandle | undefined;
  let retryDelay = retryBaseMs;
  let reconcileTimer: TimerHandle | undefined;
  let tickTimer: TimerHandle | undefined;
  let stopping = false;
  let pendingEmpty: (() => void) | undefined;
  const stats = { syncs: 0, opsApplied: 0, applyFailures: 0, reconcileRepairs: 0, lastOps: [] as string[], lastSyncAt: undefined as number | undefined };

  const safe = (what: string, fn: () => void): void => {
    // Hooks never delay or break the table: a throwing hook is logged and forgotten.
    try {
      fn();
    } catch (err) {
      logger.error({ err }, `hook ${what} failed`);
    }
  };
  const setStatus = (s: DaemonStatus): void => {
    status = s;
    safe("onStatus", () => hooks.onStatus?.(s));
  };

  const runCheckBase: RunCheckFn = options.runCheck ?? defaultRunCheck;
  const runCheck: RunCheckFn = async (v, r, o) => {
    if (hooks.inMaintenance !== undefined) {
      let inMaint = false;
      try {
        inMaint = await hooks.inMaintenance(v, r);
      } catch {
        inMaint = false;
      }
      if (inMaint) return { ok: false, message: "Server in maintenance", durationMs: 0, maintenance: true };
    }
    return runCheckBase(v, r, o);
  };

  const view: HealthView = {
    health: (vk, rk) => health.get(pairKey(vk, rk))?.health ?? "unknown",
    inMaintenance: (vk, rk) => maintenance.has(pairKey(vk, rk)),
  };

  const checkedVirtuals = (c: DirectorConfig): VirtualService[] => c.virtuals.filter((v) => v.checktype !== "off" && v.reals.length > 0);
  const targetsOf = (c: DirectorConfig): CheckTarget[] => checkedVirtuals(c).flatMap((v) => v.reals.map((real) => ({ virtual: v, real })));

  const onResult = (members: readonly CheckTarget[], result: ScheduledResult): void => {
    if (stopping) return;
    let changed = false;
    let firstRound = false;
    const now = clock.now();
    for (const m of members) {
      const v = byKey.get(m.virtual.key);
      if (v === undefined) continue;
      const rk = realKey(m.real);
      const key = pairKey(v.key, rk);
      safe("onCheckResult", () => hooks.onCheckResult?.(v, m.real, result));
      lastCheck.set(key, { ok: result.ok, message: result.message, at: now, durationMs: result.durationMs });
      const prev = health.get(key) ?? UNKNOWN;
      const step = nextHealth(prev, { ok: result.ok, ...(result.maintenance === true ? { maintenance: true } : {}) }, { failurecount: v.failurecount, rise });
      health.set(key, step.state);
      if (result.maintenance === true) maintenance.add(key);
      else maintenance.delete(key);
      if (step.transition !== undefined) {
        changed = true;
        const t = step.transition;
        if (logTransitions) logger.info({ vs: v.key, rs: rk, from: t.from, to: t.to, reason: result.message }, `real server ${rk} of ${v.key}: ${t.from} → ${t.to}: ${result.message}`);
        safe("onTransition", () =>
          hooks.onTransition?.({ virtual: v, real: m.real, from: t.from, to: t.to, reason: result.message, durationMs: result.durationMs, maintenance: result.maintenance === true, at: now }),
        );
      } else if (!result.ok && step.state.health === "up") {
        logger.debug({ vs: v.key, rs: rk }, `soft failure of real server ${rk} of ${v.key}: failure ${step.state.failures}/${v.failurecount}: ${result.message}`);
      }
      const waiting = pending.get(v.key);
      if (waiting !== undefined) {
        waiting.delete(rk);
        if (waiting.size === 0) {
          settlePending(v.key);
          firstRound = true;
        }
      }
    }
    if (firstRound) requestSync("first round");
    else if (changed) requestSync("transition");
  };

  const scheduler = createScheduler({
    runCheck,
    checkKey: options.checkKey ?? defaultCheckKey,
    checkTimeoutMs: options.checkTimeoutMs ?? defaultCheckTimeoutMs,
    onResult,
    clock,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.maxSpreadMs === undefined ? {} : { maxSpreadMs: options.maxSpreadMs }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });

  const settlePending = (vk: string): void => {
    pending.delete(vk);
    const t = pendingTimers.get(vk);
    if (t !== undefined) clock.clearTimeout(t);
    pendingTimers.delete(vk);
    if (pending.size === 0 && pendingEmpty !== undefined) {
      const done = pendingEmpty;
      pendingEmpty = undefined;
      // Let the sync this release requests start first, so waitIdle sees it.
      queueMicrotask(done);
    }
  };

  /** Hold a virtual out of table writes until each of its reals has a first result (bounded by the checks' deadlines). */
  const holdUntilFirstRound = (v: VirtualService): void => {
    const waiting = new Set(v.reals.filter((r) => health.get(pairKey(v.key, realKey(r))) === undefined || health.get(pairKey(v.key, realKey(r)))?.health === "unknown").map((r) => realKey(r)));
    if (waiting.size === 0) return;
    pending.set(v.key, waiting);
    const deadlines = v.reals.map((r) => scheduler.firstRunDeadline(scheduler.keyOf(v, r)) ?? clock.now());
    const wait = Math.max(0, Math.max(...deadlines) - clock.now()) + 100;
    pendingTimers.set(
      v.key,
      clock.setTimeout(() => {
        if (!pending.has(v.key)) return;
        logger.warn({ vs: v.key, waiting: [...waiting] }, `first checks of ${v.key} did not all finish in time; writing the table with ${[...waiting].join(", ")} as failed`);
        settlePending(v.key);
        requestSync("first round timeout");
      }, wait),
    );
  };

  const ownedTable = (table: IpvsTable, keys: ReadonlySet<string>): IpvsTable => table.filter((s) => keys.has(s.key));

  const recordOps = (ops: readonly TableOp[]): string[] => {
    const texts = ops.map(describeOp);
    stats.opsApplied += ops.length;
    stats.lastOps.push(...texts);
    if (stats.lastOps.length > 50) stats.lastOps.splice(0, stats.lastOps.length - 50);
    return texts;
  };

  const updateFallback = (): void => {
    for (const v of config.virtuals) {
      if (pending.has(v.key)) continue;
      const anyUp = v.reals.some((r) => {
        const key = pairKey(v.key, realKey(r));
        return health.get(key)?.health === "up" && !maintenance.has(key);
      });
      const state = anyUp ? "off" : "on";
      if (fallback.get(v.key) !== state) {
        fallback.set(v.key, state);
        safe("onFallback", () => hooks.onFallback?.({ virtual: v, state, at: clock.now() }));
      }
    }
    for (const k of [...fallback.keys()]) if (!config.virtuals.some((v) => v.key === k)) fallback.delete(k);
  };

  /** One pass: read the table, compute what it should be, write the difference. Returns the ops written. */
  const syncOnce = async (reason: string): Promise<readonly string[]> => {
    stats.syncs += 1;
    const scope = config.virtuals.filter((v) => !pending.has(v.key));
    const scopeKeys = new Set(scope.map((v) => v.key));
    const desired = desiredTableFn({ ...config, virtuals: scope }, view);
    // A transition plans against the table as last read plus what we applied since (the backend verifies each
    // apply); start, retries and the periodic reconcile read the kernel again, which is where drift is found.
    const table = tableFresh && reason !== "reconcile" && reason !== "retry" ? lastTable : await backend.read();
    lastTable = table;
    tableFresh = true;
    const ops: TableOp[] = [];
    // Virtual services dropped by a reload: delete them whole (their reals go with them).
    for (const [key] of toRemove) {
      const svc = table.find((s) => s.key === key);
      if (svc === undefined) {
        toRemove.delete(key);
        continue;
      }
      const { reals: _reals, ...service } = svc;
      ops.push({ kind: "delete-service", service });
    }
    ops.push(...plan(ownedTable(table, scopeKeys), desired));
    stats.lastSyncAt = clock.now();
    if (ops.length === 0) {
      updateFallback();
      return [];
    }
    const result = await backend.apply(ops);
    // What status reports as the kernel's weights: the table read, plus what was just applied to it.
    lastTable = applyToTable(table, result.applied);
    const texts = recordOps(result.applied);
    if (texts.length > 0) {
      if (reason === "reconcile") {
        stats.reconcileRepairs += result.applied.length;
        logger.warn({ ops: texts }, `reconcile: repaired ${texts.length} table entr${texts.length === 1 ? "y" : "ies"} that differed from the desired table: ${texts.join("; ")}`);
      } else if (reason === "transition") {
        // The transition itself is the info line (the operations hooks word it as ldirectord did); the ops are detail.
        logger.debug({ ops: texts, reason }, `table: ${texts.join("; ")}`);
      } else {
        logger.info({ ops: texts, reason }, `table (${reason}): ${texts.join("; ")}`);
      }
    }
    for (const op of result.applied) if (op.kind === "delete-service") toRemove.delete(op.service.key);
    if (result.failed.length > 0) {
      tableFresh = false;
      stats.applyFailures += 1;
      throw new Error(result.failed.map((f) => `${describeOp(f.op)}: ${f.reason}`).join("; "));
    }
    updateFallback();
    return texts;
  };

  const scheduleRetry = (err: unknown): void => {
    const delay = retryDelay;
    retryDelay = Math.min(retryMaxMs, retryDelay * 2);
    logger.error({ err: err instanceof Error ? err.message : String(err), retryInMs: delay }, `table write failed, retrying in ${delay} ms: ${err instanceof Error ? err.message : String(err)}`);
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = clock.setTimeout(() => {
      retryTimer = undefined;
      requestSync("retry");
    }, delay);
  };

  let lastOpsOfRun: string[] = [];
  /** Coalesce sync requests: one pass at a time; requests during a pass cause one more pass. */
  const requestSync = (reason: string): Promise<void> => {
    if (stopping && reason !== "stop") return syncing ?? Promise.resolve();
    dirty = true;
    dirtyReason = dirtyReason === "" || dirtyReason === "reconcile" ? reason : dirtyReason;
    if (syncing !== undefined) return syncing;
    syncing = (async () => {
      while (dirty && !stopping) {
        dirty = false;
        const why = dirtyReason;
        dirtyReason = "";
        try {
          lastOpsOfRun.push(...(await syncOnce(why)));
          retryDelay = retryBaseMs;
        } catch (err) {
          tableFresh = false;
          scheduleRetry(err);
          break;
        }
      }
      if (options.onChange !== undefined) safe("onChange", options.onChange);
    })().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };

  const armReconcile = (): void => {
    const period = options.reconcileIntervalMs ?? Math.max(10_000, config.globals.checkinterval * 1000);
    reconcileTimer = clock.setTimeout(() => {
      reconcileTimer = undefined;
      void requestSync("reconcile").finally(() => {
        if (!stopping) armReconcile();
      });
    }, period);
  };

  const armTick = (): void => {
    tickTimer = clock.setTimeout(() => {
      tickTimer = undefined;
      if (stopping) return;
      safe("onTick", () => hooks.onTick?.(clock.now()));
      armTick();
    }, 1000);
  };

  const waitIdle = async (): Promise<void> => {
    // Every held virtual is released by its first results or by its deadline timer, so this ends.
    if (pending.size > 0) await new Promise<void>((resolve) => (pendingEmpty = resolve));
    while (syncing !== undefined) await syncing;
  };

  // `svc` is looked up once per virtual by status(): a search of the table per real made status() O(reals ×
  // services) — with 10,000 reals in 1,000 virtuals it dominated the CPU profile (bench/profile.mjs).
  const realStatus = (v: VirtualService, r: RealServer, svc: IpvsTable[number] | undefined): RealStatus => {
    const key = pairKey(v.key, realKey(r));
    const h = health.get(key) ?? UNKNOWN;
    const tr = svc?.reals.find((t) => sameReal(t, r, v));
    const lc = lastCheck.get(key);
    return {
      key: realKey(r),
      health: h.health,
      failures: h.failures,
      weight: r.weight,
      ...(tr === undefined ? {} : { tableWeight: tr.weight }),
      maintenance: maintenance.has(key),
      ...(lc === undefined ? {} : { lastCheck: lc }),
    };
  };

  return {
    get config() {
      return config;
    },
    async start() {
      setStatus("starting");
      const table = await backend.read();
      lastTable = table;
      tableFresh = true;
      // Adopt what the table already serves (a restart, a failover back): no weight change, no flap.
      let adopted = 0;
      for (const v of config.virtuals) {
        const svc = table.find((s) => s.key === v.key);
        if (svc === undefined) continue;
        for (const r of v.reals) {
          if (svc.reals.some((t) => t.weight > 0 && sameReal(t, r, v))) {
            health.set(pairKey(v.key, realKey(r)), ADOPTED_UP);
            adopted += 1;
          }
        }
      }
      if (adopted > 0) logger.info({ adopted }, `adopted ${adopted} real server${adopted === 1 ? "" : "s"} already in the table with weight > 0`);
      scheduler.setTargets(targetsOf(config));
      for (const v of checkedVirtuals(config)) holdUntilFirstRound(v);
      if (pending.size === 0) await requestSync("start");
      await waitIdle();
      lastOpsOfRun = [];
      if (stopping) return;
      armReconcile();
      armTick();
      setStatus("running");
    },
    async reload(next) {
      const diff = diffConfig(config, next);
      setStatus("reloading");
      const carried = new Map<string, HealthState>();
      for (const v of next.virtuals) {
        for (const r of v.reals) {
          const key = pairKey(v.key, realKey(r));
          const h = health.get(key);
          if (h !== undefined) carried.set(key, h);
        }
      }
      health.clear();
      for (const [k, h] of carried) health.set(k, h);
      for (const k of [...maintenance]) if (!carried.has(k)) maintenance.delete(k);
      for (const k of [...lastCheck.keys()]) if (!carried.has(k)) lastCheck.delete(k);
      for (const v of diff.removedVirtuals) {
        toRemove.set(v.key, v);
        settlePending(v.key);
      }
      config = next;
      byKey = new Map(config.virtuals.map((v) => [v.key, v]));
      scheduler.setTargets(targetsOf(config));
      for (const v of checkedVirtuals(config)) if (!pending.has(v.key) && !v.reals.some((r) => health.has(pairKey(v.key, realKey(r))))) holdUntilFirstRound(v);
      lastOpsOfRun = [];
      await requestSync("reload");
      const ops = lastOpsOfRun;
      lastOpsOfRun = [];
      if (!stopping) setStatus("running");
      return { diff, ops };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      setStatus("stopping");
      for (const t of [retryTimer, reconcileTimer, tickTimer, ...pendingTimers.values()]) if (t !== undefined) clock.clearTimeout(t);
      // A start still waiting for its first round ends now.
      pendingEmpty?.();
      pendingEmpty = undefined;
      await scheduler.stop();
      if (syncing !== undefined) await syncing.catch(() => undefined);
      const clean = config.virtuals.filter((v) => v.cleanstop);
      if (clean.length > 0) {
        try {
          const table = await backend.read();
          const ops: TableOp[] = [];
          for (const v of clean) {
            const svc = table.find((s) => s.key === v.key);
            if (svc === undefined) continue;
            const { reals: _reals, ...service } = svc;
            ops.push({ kind: "delete-service", service });
          }
          if (ops.length > 0) {
            const result = await backend.apply(ops);
            const texts = recordOps(result.applied);
            logger.info({ ops: texts }, `cleanstop: removed ${texts.join("; ")}`);
            for (const f of result.failed) logger.error({ op: describeOp(f.op) }, `cleanstop: ${describeOp(f.op)} failed: ${f.reason}`);
          }
        } catch (err) {
          logger.error({ err: err instanceof Error ? err.message : String(err) }, `cleanstop failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      status = "stopped";
      if (options.onChange !== undefined) safe("onChange", options.onChange);
    },
    status() {
      return {
        status,
        config: config.file,
        virtuals: (() => {
          const services = new Map(lastTable.map((s) => [s.key, s]));
          return config.virtuals.map((v) => {
            const fb = fallback.get(v.key);
            const svc = services.get(v.key);
            return { key: v.key, checktype: v.checktype, pending: pending.has(v.key), ...(fb === undefined ? {} : { fallback: fb }), reals: v.reals.map((r) => realStatus(v, r, svc)) };
          });
        })(),
        scheduler: scheduler.stats(),
        lag: scheduler.lag(),
        table: { syncs: stats.syncs, opsApplied: stats.opsApplied, applyFailures: stats.applyFailures, reconcileRepairs: stats.reconcileRepairs, lastOps: [...stats.lastOps], ...(stats.lastSyncAt === undefined ? {} : { lastSyncAt: stats.lastSyncAt }) },
      };
    },
    lag: () => scheduler.lag(),
  };
}
