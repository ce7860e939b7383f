// Runs every check of a config on its own period: the only code that decides WHEN a check runs.
// Identical checks (same checkKey) shared by several virtuals form one job that feeds all of them; a job's next
// run is armed only after its current run settled; first runs are spread with jitter; a global semaphore caps
// checks in flight; a hung check is cut at its timeout (plus a grace) so it costs its own time, never the cycle.
import type { RealServer, VirtualService } from "../config/types.js";
import type { CheckPhase, RunCheckOptions } from "../checks/index.js";
import type { CheckResult } from "../checks/types.js";
import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import { combinedPhase, nextCombinedState, type CombinedState } from "./combined-phase.js";
import { LagHistogram, type LagSnapshot } from "./lag-histogram.js";
import { Semaphore } from "./semaphore.js";

/** One (virtual, real) pair to keep checked. */
export interface CheckTarget {
  readonly virtual: VirtualService;
  readonly real: RealServer;
}

/** A check result as the scheduler hands it on; `maintenance` marks a forced-down result without a probe. */
export type ScheduledResult = CheckResult & { readonly maintenance?: boolean };

/** The check runner (src/checks runCheck, or a wrapper adding maintenance). */
export type RunCheckFn = (virtual: VirtualService, real: RealServer, options: RunCheckOptions) => Promise<ScheduledResult>;

/** Facts about one run, passed with its result. */
export interface RunInfo {
  readonly key: string;
  readonly phase: CheckPhase;
  /** Epoch ms the run was due and actually started. */
  readonly scheduledAt: number;
  readonly startedAt: number;
  /** True for the job's first run since it was added. */
  readonly first: boolean;
}

/** Dependencies and tunables of createScheduler. */
export interface SchedulerOptions {
  readonly runCheck: RunCheckFn;
  readonly checkKey: (virtual: VirtualService, real: RealServer) => string;
  readonly checkTimeoutMs: (virtual: VirtualService, phase: CheckPhase) => number;
  /** Called once per completed run with every target sharing the job. Must not throw. */
  readonly onResult: (members: readonly CheckTarget[], result: ScheduledResult, info: RunInfo) => void;
  readonly clock?: Clock;
  /** Global cap on checks in flight (default 64). */
  readonly concurrency?: number;
  /** First runs are spread uniformly over [0, min(interval, maxSpreadMs)) (default 2000 ms). */
  readonly maxSpreadMs?: number;
  /** Extra time past a check's own timeout before the scheduler gives up on it (default 1000 ms). */
  readonly graceMs?: number;
  /** Random source in [0, 1) for the jitter (tests pass a fixed one). */
  readonly random?: () => number;
}

/** Figures about the scheduler for status and benchmarks. */
export interface SchedulerStats {
  readonly jobs: number;
  readonly targets: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly runs: number;
  readonly maxInFlight: number;
  /** Runs cut by the scheduler because the check did not settle within timeout + grace. */
  readonly hung: number;
}

/** What one job looks like from outside. */
export interface JobInfo {
  readonly key: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Epoch ms the next run is due (undefined while running). */
  readonly nextAt?: number;
  readonly running: boolean;
  readonly runs: number;
}

/** The scheduler. */
export interface Scheduler {
  /** Replace the set of targets: new jobs start (spread), removed ones stop, kept ones keep their timers. */
  setTargets(targets: readonly CheckTarget[]): { readonly added: readonly string[]; readonly removed: readonly string[]; readonly kept: readonly string[] };
  /** The job key of a target (as grouped by setTargets). */
  keyOf(virtual: VirtualService, real: RealServer): string;
  /** Epoch ms by which the job's first run has settled (its first due time + timeout + grace), if still pending. */
  firstRunDeadline(key: string): number | undefined;
  jobs(): readonly JobInfo[];
  lag(): LagSnapshot;
  stats(): SchedulerStats;
  /** Stop every timer and abort every check in flight; resolves when none is left running. */
  stop(): Promise<void>;
}

interface Job {
  readonly key: string;
  members: CheckTarget[];
  timer?: TimerHandle | undefined;
  nextAt?: number | undefined;
  firstDeadline?: number | undefined;
  running?: Promise<void> | undefined;
  abort?: AbortController | undefined;
  combined: CombinedState;
  runs: number;
  removed: boolean;
}

/** The phase a check type runs in (for its timeout); combined alternates (see combinedPhase). */
function staticPhase(virtual: VirtualService): CheckPhase {
  return virtual.checktype === "negotiate" ? "negotiate" : "connect";
}

function intervalOf(members: readonly CheckTarget[]): number {
  // A check shared by virtuals with different intervals runs at the shortest one: nobody is checked less often than asked.
  return Math.max(1, Math.min(...members.map((m) => m.virtual.checkinterval)) * 1000);
}

/** Create a scheduler; nothing runs until setTargets. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxSpreadMs = options.maxSpreadMs ?? 2000;
  const graceMs = options.graceMs ?? 1000;
  const semaphore = new Semaphore(options.concurrency ?? 64);
  const lag = new LagHistogram();
  const jobs = new Map<string, Job>();
  let stopped = false;
  let runs = 0;
  let hung = 0;
  let maxInFlight = 0;

  const phaseOf = (job: Job): CheckPhase => {
    const v = job.members[0]?.virtual;
    if (v === undefined) return "negotiate";
    return v.checktype === "combined" ? combinedPhase(job.combined, v.numConnects) : staticPhase(v);
  };

  const timeoutOf = (job: Job, phase: CheckPhase): number => {
    const v = job.members[0]?.virtual;
    return v === undefined ? 0 : options.checkTimeoutMs(v, phase);
  };

  const arm = (job: Job, delayMs: number): void => {
    if (stopped || job.removed) return;
    const due = clock.now() + delayMs;
    job.nextAt = due;
    job.timer = clock.setTimeout(() => {
      job.timer = undefined;
      job.running = run(job, due).finally(() => {
        job.running = undefined;
      });
    }, delayMs);
  };

  const run = async (job: Job, scheduledAt: number): Promise<void> => {
    job.nextAt = undefined;
    const release = await semaphore.acquire();
    try {
      if (stopped || job.removed) return;
      const startedAt = clock.now();
      lag.record(startedAt - scheduledAt);
      maxInFlight = Math.max(maxInFlight, semaphore.inUse);
      const members = job.members;
      const target = members[0];
      if (target === undefined) return;
      const phase = phaseOf(job);
      const timeoutMs = timeoutOf(job, phase);
      const abort = new AbortController();
      job.abort = abort;
      const first = job.runs === 0;
      job.runs += 1;
      runs += 1;
      const result = await settle(target, phase, timeoutMs, abort);
      job.abort = undefined;
      job.firstDeadline = undefined;
      if (stopped || job.removed) return;
      const v = target.virtual;
      if (v.checktype === "combined") job.combined = nextCombinedState(job.combined, phase, result.ok);
      try {
        options.onResult(job.members, result, { key: job.key, phase, scheduledAt, startedAt, first });
      } catch {
        // onResult must not throw; if it does, the job keeps its period all the same.
      }
    } finally {
      release();
    }
    arm(job, intervalOf(job.members));
  };

  const settle = (target: CheckTarget, phase: CheckPhase, timeoutMs: number, abort: AbortController): Promise<ScheduledResult> => {
    const startedAt = clock.now();
    return new Promise<ScheduledResult>((resolve) => {
      let done = false;
      const finish = (r: ScheduledResult): void => {
        if (done) return;
        done = true;
        clock.clearTimeout(deadline);
        abort.signal.removeEventListener("abort", onAbort);
        resolve(r);
      };
      // The check has its own timeout inside; this one only guards against a check that ignores it.
      const deadline = clock.setTimeout(() => {
        hung += 1;
        finish({ ok: false, message: `check did not finish within its timeout of ${timeoutMs} ms`, durationMs: clock.now() - startedAt });
        abort.abort(new Error("timeout"));
      }, timeoutMs + graceMs);
      const onAbort = (): void => finish({ ok: false, message: "check aborted", durationMs: clock.now() - startedAt });
      abort.signal.addEventListener("abort", onAbort);
      const runOptions: RunCheckOptions = target.virtual.checktype === "combined" ? { signal: abort.signal, phase } : { signal: abort.signal };
      let p: Promise<ScheduledResult>;
      try {
        p = options.runCheck(target.virtual, target.real, runOptions);
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(finish, (err: unknown) =>
        finish({ ok: false, message: `check failed: ${err instanceof Error ? err.message : String(err)}`, durationMs: clock.now() - startedAt, cause: err }),
      );
    });
  };

  const removeJob = (job: Job): void => {
    job.removed = true;
    if (job.timer !== undefined) clock.clearTimeout(job.timer);
    job.timer = undefined;
    job.abort?.abort(new Error("removed"));
    jobs.delete(job.key);
  };

  return {
    setTargets(targets) {
      const groups = new Map<string, CheckTarget[]>();
      for (const t of targets) {
        const key = options.checkKey(t.virtual, t.real);
        const g = groups.get(key);
        if (g === undefined) groups.set(key, [t]);
        else g.push(t);
      }
      const added: string[] = [];
      const removed: string[] = [];
      const kept: string[] = [];
      for (const job of [...jobs.values()]) {
        if (!groups.has(job.key)) {
          removeJob(job);
          removed.push(job.key);
        }
      }
      for (const [key, members] of groups) {
        const job = jobs.get(key);
        if (job !== undefined) {
          job.members = members;
          kept.push(key);
          continue;
        }
        const fresh: Job = { key, members, combined: undefined, runs: 0, removed: false };
        jobs.set(key, fresh);
        added.push(key);
        // Spread first runs so a thousand reals are not probed in the same millisecond (thundering herd).
        const spread = Math.min(intervalOf(members), maxSpreadMs);
        const offset = Math.floor(random() * spread);
        fresh.firstDeadline = clock.now() + offset + timeoutOf(fresh, phaseOf(fresh)) + graceMs;
        arm(fresh, offset);
      }
      return { added, removed, kept };
    },
    keyOf: (virtual, real) => options.checkKey(virtual, real),
    firstRunDeadline: (key) => jobs.get(key)?.firstDeadline,
    jobs: () =>
      [...jobs.values()].map((j) => ({
        key: j.key,
        intervalMs: intervalOf(j.members),
        timeoutMs: timeoutOf(j, phaseOf(j)),
        ...(j.nextAt === undefined ? {} : { nextAt: j.nextAt }),
        running: j.running !== undefined && j.nextAt === undefined,
        runs: j.runs,
      })),
    lag: () => lag.snapshot(),
    stats: () => ({
      jobs: jobs.size,
      targets: [...jobs.values()].reduce((n, j) => n + j.members.length, 0),
      inFlight: semaphore.inUse,
      queued: semaphore.queued,
      runs,
      maxInFlight,
      hung,
    }),
    async stop() {
      stopped = true;
      const running: Promise<void>[] = [];
      for (const job of jobs.values()) {
        if (job.timer !== undefined) clock.clearTimeout(job.timer);
        job.timer = undefined;
        job.abort?.abort(new Error("stopping"));
        if (job.running !== undefined) running.push(job.running);
      }
      await Promise.allSettled(running);
    },
  };
}
