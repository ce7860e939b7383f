// Scheduler timing with vitest fake timers: the real scheduler, a scripted check function.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createScheduler, type CheckTarget, type RunCheckFn, type ScheduledResult } from "../../../src/scheduler/scheduler.js";
import { realKey } from "../../../src/ipvs/desired.js";
import type { RealServer, VirtualService } from "../../../src/config/types.js";
import { real, virtual } from "./fixtures.js";

const keyOf = (v: VirtualService, r: RealServer): string => `${v.checktype}:${realKey(r)}`;
const timeoutOf = (v: VirtualService): number => v.checktimeout * 1000;

/** A check that takes `ms` (ignoring nothing: it honours the abort signal) and records start/end times. */
function timedCheck(ms: (r: RealServer) => number, log: { key: string; start: number; end?: number }[]): RunCheckFn {
  return (_v, r, o) =>
    new Promise<ScheduledResult>((resolve) => {
      const entry: { key: string; start: number; end?: number } = { key: realKey(r), start: Date.now() };
      log.push(entry);
      const t = setTimeout(() => {
        entry.end = Date.now();
        resolve({ ok: true, message: "ok", durationMs: ms(r) });
      }, ms(r));
      o.signal?.addEventListener("abort", () => {
        clearTimeout(t);
        entry.end = Date.now();
        resolve({ ok: false, message: "aborted", durationMs: 0 });
      });
    });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("scheduler", () => {
  it("never overlaps runs of one check: the next run is armed after the current one settled", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const v = virtual(1, [real(1)], { checkinterval: 5, checktimeout: 30 });
    const s = createScheduler({ runCheck: timedCheck(() => 7000, log), checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: () => undefined, random: () => 0 });
    s.setTargets([{ virtual: v, real: real(1) }]);
    await vi.advanceTimersByTimeAsync(60_000);
    await s.stop();
    expect(log.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < log.length; i++) {
      const prev = log[i - 1]!;
      // Starts exactly one interval after the previous run ended: no overlap, no catch-up burst.
      expect(log[i]!.start - prev.end!).toBe(5000);
    }
  });

  it("spreads first runs over min(interval, maxSpreadMs) with jitter", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const reals = Array.from({ length: 200 }, (_, i) => real(i + 1));
    const v = virtual(1, reals, { checkinterval: 10 });
    const t0 = Date.now();
    const s = createScheduler({ runCheck: timedCheck(() => 1, log), checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: () => undefined, maxSpreadMs: 3000, concurrency: 1000 });
    s.setTargets(reals.map((r) => ({ virtual: v, real: r })));
    await vi.advanceTimersByTimeAsync(3000);
    await s.stop();
    const offsets = log.map((e) => e.start - t0);
    expect(offsets).toHaveLength(200);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(3000);
    // Not a herd: no single millisecond holds more than a handful of first runs.
    const perMs = new Map<number, number>();
    for (const o of offsets) perMs.set(o, (perMs.get(o) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeLessThanOrEqual(5);
    expect(new Set(offsets.map((o) => Math.floor(o / 500))).size).toBe(6);
  });

  it("a hung check costs its own timeout (plus grace), never the other checks' period", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const hungReal = real(66);
    const runCheck: RunCheckFn = (v, r, o) => (r.address === hungReal.address ? new Promise<ScheduledResult>(() => undefined) : timedCheck(() => 10, log)(v, r, o));
    const results: { key: string; ok: boolean; message: string; at: number }[] = [];
    const v = virtual(1, [real(1), hungReal], { checkinterval: 2, checktimeout: 3 });
    const s = createScheduler({
      runCheck,
      checkKey: keyOf,
      checkTimeoutMs: timeoutOf,
      graceMs: 500,
      random: () => 0,
      onResult: (m, r) => results.push({ key: realKey(m[0]!.real), ok: r.ok, message: r.message, at: Date.now() }),
    });
    const t0 = Date.now();
    s.setTargets(v.reals.map((r) => ({ virtual: v, real: r })));
    await vi.advanceTimersByTimeAsync(20_000);
    await s.stop();
    const healthy = results.filter((r) => r.key === "192.0.2.1:80");
    const hung = results.filter((r) => r.key === "192.0.2.66:80");
    // The healthy real keeps its 2 s period (+10 ms check) while the other one hangs: ~9 runs in 20 s.
    expect(healthy.length).toBeGreaterThanOrEqual(9);
    expect(healthy.every((r) => r.ok)).toBe(true);
    // The hung one is cut after 3 s + 0.5 s grace, then waits its interval: results at 3.5, 9, 14.5, 20 s.
    expect(hung.map((r) => r.at - t0)).toEqual([3500, 9000, 14500, 20000]);
    expect(hung[0]!.ok).toBe(false);
    expect(hung[0]!.message).toMatch(/did not finish within its timeout of 3000 ms/);
    expect(s.stats().hung).toBe(4);
  });

  it("caps checks in flight and records the queueing as lag", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const reals = Array.from({ length: 10 }, (_, i) => real(i + 1));
    const v = virtual(1, reals, { checkinterval: 60 });
    let inFlight = 0;
    let peak = 0;
    const inner = timedCheck(() => 1000, log);
    const runCheck: RunCheckFn = async (vv, r, o) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await inner(vv, r, o);
      } finally {
        inFlight -= 1;
      }
    };
    const s = createScheduler({ runCheck, checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: () => undefined, concurrency: 2, random: () => 0 });
    s.setTargets(reals.map((r) => ({ virtual: v, real: r })));
    await vi.advanceTimersByTimeAsync(10_000);
    await s.stop();
    expect(log).toHaveLength(10);
    expect(peak).toBe(2);
    expect(s.stats().maxInFlight).toBe(2);
    const lag = s.lag();
    expect(lag.count).toBe(10);
    // Two at a time, one second each: the last pair waited four seconds for a slot.
    expect(lag.maxMs).toBe(4000);
    expect(lag.p50Ms).toBeGreaterThan(0);
  });

  it("runs a check shared by several virtuals once per period and feeds every one of them", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const r = real(7);
    const targets: CheckTarget[] = [1, 2, 3].map((n) => ({ virtual: virtual(n, [r], { checkinterval: 5 }), real: r }));
    const fed: string[][] = [];
    const s = createScheduler({ runCheck: timedCheck(() => 5, log), checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: (m) => fed.push(m.map((t) => t.virtual.key)), random: () => 0 });
    const { added } = s.setTargets(targets);
    expect(added).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(12_000);
    await s.stop();
    expect(log).toHaveLength(3); // at 0, 5.005, 10.01 s
    expect(fed).toHaveLength(3);
    expect(fed[0]).toEqual(["tcp:198.51.100.1:80", "tcp:198.51.100.2:80", "tcp:198.51.100.3:80"]);
  });

  it("setTargets keeps running jobs untouched, starts new ones and stops removed ones", async () => {
    const log: { key: string; start: number; end?: number }[] = [];
    const v = virtual(1, [real(1), real(2)], { checkinterval: 4 });
    const s = createScheduler({ runCheck: timedCheck(() => 10, log), checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: () => undefined, random: () => 0.5 });
    s.setTargets(v.reals.map((r) => ({ virtual: v, real: r })));
    await vi.advanceTimersByTimeAsync(5_000);
    const v2 = virtual(1, [real(1), real(3)], { checkinterval: 4 });
    const change = s.setTargets(v2.reals.map((r) => ({ virtual: v2, real: r })));
    expect(change.kept).toEqual(["negotiate:192.0.2.1:80"]);
    expect(change.added).toEqual(["negotiate:192.0.2.3:80"]);
    expect(change.removed).toEqual(["negotiate:192.0.2.2:80"]);
    await vi.advanceTimersByTimeAsync(8_000);
    await s.stop();
    const r2After = log.filter((e) => e.key === "192.0.2.2:80" && e.start > 1_005_000);
    expect(r2After).toHaveLength(0);
    expect(log.filter((e) => e.key === "192.0.2.3:80").length).toBeGreaterThanOrEqual(2);
    // The kept job went on with its own rhythm (1 s jitter, then 10 ms check + 4 s): 1, 5.01, 9.02 s.
    expect(log.filter((e) => e.key === "192.0.2.1:80").map((e) => e.start - 1_000_000)).toEqual([1000, 5010, 9020]);
  });
  it("checktype=N (combined) runs negotiate, N connects, negotiate …, and a failed connect forces a negotiate", async () => {
    const phases: string[] = [];
    let n = 0;
    const runCheck: RunCheckFn = async (_v, _r, o) => {
      phases.push(o.phase ?? "none");
      n += 1;
      // The 3rd run (the second connect) fails.
      return { ok: n !== 3, message: n !== 3 ? "ok" : "refused", durationMs: 0 };
    };
    const v = virtual(1, [real(1)], { checktype: "combined", numConnects: 2, checkinterval: 1 });
    const s = createScheduler({ runCheck, checkKey: keyOf, checkTimeoutMs: timeoutOf, onResult: () => undefined, random: () => 0 });
    s.setTargets([{ virtual: v, real: real(1) }]);
    await vi.advanceTimersByTimeAsync(7_500);
    await s.stop();
    // Runs at 0 … 7 s: negotiate, connect, connect (fails) → negotiate, connect, connect, negotiate, connect.
    expect(phases.map((p) => p[0]).join("")).toBe("nccnccnc");
  });
});
