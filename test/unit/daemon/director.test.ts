// The director with fake timers, a scripted check function and a memory table (local fakes of the table edges).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createDirector, type DirectorOptions } from "../../../src/daemon/director.js";
import type { RunCheckFn } from "../../../src/scheduler/scheduler.js";
import type { RealTransition, FallbackChange } from "../../../src/daemon/hooks.js";
import { realKey } from "../../../src/ipvs/desired.js";
import type { FallbackServer, RealServer, VirtualService } from "../../../src/config/types.js";
import { config, real, virtual } from "../scheduler/fixtures.js";
import { FakeTable } from "./table-fakes.js";
import { desiredTable } from "../../../src/ipvs/desired.js";
import { planChanges } from "../../../src/ipvs/plan.js";

const fallback: FallbackServer = { address: "127.0.0.9", family: 4, port: 80, forward: "masq", source: { file: "/tmp/test.cf", line: 2 } };

/** Health script: which real addresses currently answer. */
function scripted(up: Set<string>, calls: string[] = []): RunCheckFn {
  return async (_v, r) => {
    calls.push(r.address);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return up.has(r.address) ? { ok: true, message: "200 OK", durationMs: 10 } : { ok: false, message: `GET / on ${r.address}: connection refused`, durationMs: 10 };
  };
}

function logSink(): { lines: Record<string, unknown>[]; logger: DirectorOptions["logger"] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: pino({ level: "debug" }, stream) };
}

const key = (v: VirtualService, r: RealServer): string => `${v.checktype} ${realKey(r)}`;
const timeout = (v: VirtualService): number => v.checktimeout * 1000;

function make(cfgVirtuals: VirtualService[], table: FakeTable, up: Set<string>, extra: Partial<DirectorOptions> = {}) {
  const calls: string[] = [];
  const transitions: RealTransition[] = [];
  const fallbacks: FallbackChange[] = [];
  const log = logSink();
  const director = createDirector({
    config: config(cfgVirtuals),
    backend: table,
    logger: log.logger,
    runCheck: scripted(up, calls),
    checkKey: key,
    checkTimeoutMs: timeout,
    // The real desired table and planner of src/ipvs; only the kernel is a memory stand-in.
    random: () => 0.5,
    maxSpreadMs: 1000,
    hooks: { onTransition: (t) => transitions.push(t), onFallback: (f) => fallbacks.push(f) },
    ...extra,
  });
  return { director, calls, transitions, fallbacks, log };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

async function startNow(d: { start(): Promise<void> }): Promise<void> {
  const p = d.start();
  await vi.advanceTimersByTimeAsync(2000);
  await p;
}

describe("director start", () => {
  it("cold start: waits for the first round, then writes the table once; a healthy pool never sees the fallback", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1), real(2)], { fallback, checkinterval: 5 });
    const { director, fallbacks } = make([v], table, new Set(["192.0.2.1", "192.0.2.2"]));
    await startNow(director);
    expect(table.applied).toHaveLength(1);
    expect(table.opLog()).toEqual(["add-service tcp:198.51.100.1:80", "add-real tcp:198.51.100.1:80 192.0.2.1:80 w1", "add-real tcp:198.51.100.1:80 192.0.2.2:80 w1"]);
    expect(fallbacks.map((f) => f.state)).toEqual(["off"]);
    // Steady state: further rounds write nothing.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(table.applied).toHaveLength(1);
    expect(director.status().status).toBe("running");
    await director.stop();
  });

  it("cold start with every real down: the fallback goes in once, and out when a real recovers", async () => {
    const table = new FakeTable();
    const up = new Set<string>();
    const v = virtual(1, [real(1), real(2)], { fallback, checkinterval: 5 });
    const { director, fallbacks, transitions } = make([v], table, up);
    await startNow(director);
    expect(table.opLog()).toEqual(["add-service tcp:198.51.100.1:80", "add-real tcp:198.51.100.1:80 127.0.0.9:80 w1"]);
    up.add("192.0.2.2");
    await vi.advanceTimersByTimeAsync(6000);
    expect(table.weight(v.key, "192.0.2.2:80")).toBe(1);
    expect(table.weight(v.key, "127.0.0.9:80")).toBeUndefined();
    expect(fallbacks.map((f) => f.state)).toEqual(["on", "off"]);
    expect(transitions.map((t) => `${realKey(t.real)} ${t.from}>${t.to}`)).toEqual(["192.0.2.1:80 unknown>down", "192.0.2.2:80 unknown>down", "192.0.2.2:80 down>up"]);
    expect(transitions[2]!.reason).toBe("200 OK");
    await director.stop();
  });

  it("adopts reals already in the table with weight > 0: zero table operations while they stay healthy", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1, { weight: 3 }), real(2)], { fallback, checkinterval: 5 });
    await table.apply(planChanges([], desiredTable(config([v]), { health: () => "up" })));
    table.applied.length = 0;
    const { director, transitions } = make([v], table, new Set(["192.0.2.1", "192.0.2.2"]));
    await startNow(director);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(table.applied).toEqual([]);
    expect(transitions).toEqual([]);
    expect(director.status().virtuals[0]!.reals.map((r) => [r.key, r.health, r.tableWeight])).toEqual([
      ["192.0.2.1:80", "up", 3],
      ["192.0.2.2:80", "up", 1],
    ]);
    await director.stop();
  });

  it("leaves virtual services it does not own alone, and purges nothing outside its config", async () => {
    const table = new FakeTable();
    table.services.set("tcp:203.0.113.1:80", { key: "tcp:203.0.113.1:80", protocol: "tcp", family: 4, address: "203.0.113.1", port: 80, scheduler: "rr", ops: false, reals: [] });
    const { director } = make([virtual(1, [real(1)])], table, new Set(["192.0.2.1"]));
    await startNow(director);
    await director.stop();
    expect(table.services.has("tcp:203.0.113.1:80")).toBe(true);
    expect(table.opLog().some((l) => l.includes("203.0.113.1"))).toBe(false);
  });
  it("a real whose first check hangs holds the first write only until its timeout; the healthy one is written then", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1), real(2)], { checktimeout: 30, negotiatetimeout: 30, checkinterval: 5, fallback });
    const hang: RunCheckFn = (_v, r) => (r.address === "192.0.2.2" ? new Promise(() => undefined) : Promise.resolve({ ok: true, message: "200 OK", durationMs: 1 }));
    const { director, fallbacks } = make([v], table, new Set(), { runCheck: hang });
    let started = false;
    const p = director.start().then(() => (started = true));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(started).toBe(false);
    expect(table.applied).toEqual([]);
    // 0.5 s jitter + 30 s timeout + 1 s grace (+ 0.1 s margin).
    await vi.advanceTimersByTimeAsync(12_000);
    await p;
    expect(table.opLog()).toEqual(["add-service tcp:198.51.100.1:80", "add-real tcp:198.51.100.1:80 192.0.2.1:80 w1"]);
    expect(fallbacks.map((f) => f.state)).toEqual(["off"]);
    await director.stop();
  });

  it("stop during start ends the start at once and writes nothing but cleanstop", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1)], { checktimeout: 30, negotiatetimeout: 30 });
    const { director } = make([v], table, new Set(), { runCheck: () => new Promise(() => undefined) });
    const p = director.start();
    await vi.advanceTimersByTimeAsync(1000);
    await director.stop();
    await p;
    expect(table.applied).toEqual([]);
    expect(director.status().status).toBe("stopped");
  });
});

describe("director health", () => {
  it("failurecount counts one failure per check even when the real is shared by several virtuals (no ldirectord bug O)", async () => {
    const table = new FakeTable();
    const r = real(1);
    const vs = [virtual(1, [r], { failurecount: 3, checkinterval: 2 }), virtual(2, [r], { failurecount: 3, checkinterval: 2 })];
    const up = new Set(["192.0.2.1"]);
    const { director, calls, transitions } = make(vs, table, up);
    await startNow(director);
    expect(table.weight(vs[0]!.key, "192.0.2.1:80")).toBe(1);
    const before = calls.length;
    up.delete("192.0.2.1");
    // Two failed checks (one shared probe each): still in.
    await vi.advanceTimersByTimeAsync(2 * 2010 + 100);
    expect(calls.length - before).toBe(2);
    expect(table.weight(vs[0]!.key, "192.0.2.1:80")).toBe(1);
    // The third takes it out of both virtuals at once.
    await vi.advanceTimersByTimeAsync(2010);
    expect(calls.length - before).toBe(3);
    expect(table.weight(vs[0]!.key, "192.0.2.1:80")).toBeUndefined();
    expect(table.weight(vs[1]!.key, "192.0.2.1:80")).toBeUndefined();
    expect(transitions.map((t) => `${t.virtual.key} ${t.to}`)).toEqual(["tcp:198.51.100.1:80 up", "tcp:198.51.100.2:80 up", "tcp:198.51.100.1:80 down", "tcp:198.51.100.2:80 down"]);
    await director.stop();
  });

  it("quiescent=yes keeps a failed real at weight 0 and restores its weight", async () => {
    const table = new FakeTable();
    const up = new Set(["192.0.2.1", "192.0.2.2"]);
    const v = virtual(1, [real(1, { weight: 5 }), real(2)], { quiescent: true, checkinterval: 2 });
    const { director } = make([v], table, up);
    await startNow(director);
    up.delete("192.0.2.1");
    await vi.advanceTimersByTimeAsync(2100);
    expect(table.weight(v.key, "192.0.2.1:80")).toBe(0);
    up.add("192.0.2.1");
    await vi.advanceTimersByTimeAsync(2100);
    expect(table.weight(v.key, "192.0.2.1:80")).toBe(5);
    await director.stop();
  });

  it("a transition writes without re-reading the kernel table (one backend call per change)", async () => {
    const table = new FakeTable();
    const up = new Set(["192.0.2.1", "192.0.2.2"]);
    const v = virtual(1, [real(1), real(2)], { checkinterval: 2 });
    const { director } = make([v], table, up, { reconcileIntervalMs: 60_000 });
    await startNow(director);
    const reads = table.reads;
    up.delete("192.0.2.1");
    await vi.advanceTimersByTimeAsync(2100);
    expect(table.weight(v.key, "192.0.2.1:80")).toBeUndefined();
    expect(table.reads).toBe(reads);
    await director.stop();
  });

  it("maintenance forces a real down without running its check", async () => {
    const table = new FakeTable();
    const maint = new Set<string>();
    const v = virtual(1, [real(1), real(2)], { checkinterval: 2 });
    const transitions: RealTransition[] = [];
    const { director, calls } = make([v], table, new Set(["192.0.2.1", "192.0.2.2"]), {
      hooks: { inMaintenance: (_v, r) => maint.has(r.address), onTransition: (t) => transitions.push(t) },
    });
    await startNow(director);
    maint.add("192.0.2.2");
    const before = calls.filter((a) => a === "192.0.2.2").length;
    await vi.advanceTimersByTimeAsync(4100);
    expect(calls.filter((a) => a === "192.0.2.2").length).toBe(before);
    expect(table.weight(v.key, "192.0.2.2:80")).toBeUndefined();
    const t = transitions.find((x) => x.to === "down");
    expect(t?.maintenance).toBe(true);
    expect(t?.reason).toBe("Server in maintenance");
    await director.stop();
  });

  it("a failed table write is retried with backoff until the table converges", async () => {
    const table = new FakeTable();
    const { director, log } = make([virtual(1, [real(1)])], table, new Set(["192.0.2.1"]), { retryBaseMs: 1000 });
    table.failNext = 2;
    const p = director.start();
    await vi.advanceTimersByTimeAsync(2000);
    await p;
    expect(table.weight("tcp:198.51.100.1:80", "192.0.2.1:80")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(3100); // retries after 1 s (fails again) and 2 s more
    expect(table.weight("tcp:198.51.100.1:80", "192.0.2.1:80")).toBe(1);
    expect(log.lines.filter((l) => String(l.msg).startsWith("table write failed")).map((l) => l.retryInMs)).toEqual([1000, 2000]);
    expect(director.status().table.applyFailures).toBe(2);
    await director.stop();
  });

  it("the periodic reconcile repairs a hand edit and logs what it repaired", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1), real(2)], { checkinterval: 5 });
    const { director, log } = make([v], table, new Set(["192.0.2.1", "192.0.2.2"]), { reconcileIntervalMs: 10_000 });
    await startNow(director);
    const s = table.services.get(v.key)!;
    table.services.set(v.key, { ...s, reals: s.reals.filter((r) => r.address !== "192.0.2.2").map((r) => ({ ...r, weight: 7 })) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(table.weight(v.key, "192.0.2.1:80")).toBe(1);
    expect(table.weight(v.key, "192.0.2.2:80")).toBe(1);
    const line = log.lines.find((l) => String(l.msg).startsWith("reconcile: repaired 2"));
    expect(line?.msg).toMatch(/edit-real tcp:198.51.100.1:80 192.0.2.1:80 weight 1; add-real tcp:198.51.100.1:80 192.0.2.2:80 weight 1/);
    await director.stop();
  });
});

describe("director reload and stop", () => {
  it("reload as a keyed diff: unchanged → zero ops and kept health; weight change → one edit; removed virtual → deleted; added real → checked", async () => {
    const table = new FakeTable();
    const v1 = virtual(1, [real(1), real(2)], { checkinterval: 5 });
    const v2 = virtual(2, [real(3)], { checkinterval: 5 });
    const up = new Set(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]);
    const { director, transitions } = make([v1, v2], table, up);
    await startNow(director);
    const opsBefore = table.opLog().length;
    const same = await director.reload(config([virtual(1, [real(1), real(2)], { checkinterval: 5 }), virtual(2, [real(3)], { checkinterval: 5 })]));
    expect(same.diff.empty).toBe(true);
    expect(same.ops).toEqual([]);
    expect(table.opLog().length).toBe(opsBefore);
    const t0 = transitions.length;
    const changed = await director.reload(config([virtual(1, [real(1, { weight: 4 }), real(2), real(4)], { checkinterval: 5 })]));
    expect(changed.ops).toEqual(["delete-service tcp:198.51.100.2:80", "edit-real tcp:198.51.100.1:80 192.0.2.1:80 weight 4"]);
    // Kept reals did not re-transition; the added one comes up after its first check.
    expect(transitions.slice(t0)).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(table.weight(v1.key, "192.0.2.4:80")).toBe(1);
    expect(transitions.slice(t0).map((t) => `${realKey(t.real)} ${t.from}>${t.to}`)).toEqual(["192.0.2.4:80 unknown>up"]);
    expect(table.services.has(v2.key)).toBe(false);
    await director.stop();
  });

  it("reload edits a changed scheduler and persistence in place (no delete/re-add, health kept)", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1), real(2)], { checkinterval: 5 });
    const { director, transitions } = make([v], table, new Set(["192.0.2.1", "192.0.2.2"]));
    await startNow(director);
    const t0 = transitions.length;
    const r = await director.reload(config([virtual(1, [real(1), real(2)], { checkinterval: 5, scheduler: "rr", persistent: 300 })]));
    expect(r.diff.changedVirtuals.map((c) => c.fields)).toEqual([["persistent", "scheduler"]]);
    expect(r.ops).toEqual(["edit-service tcp:198.51.100.1:80 scheduler rr"]);
    expect(table.services.get(v.key)?.persistent).toBe(300);
    expect(table.weight(v.key, "192.0.2.1:80")).toBe(1);
    expect(transitions.length).toBe(t0);
    await director.stop();
  });

  it("stop with cleanstop=yes removes only its virtuals with cleanstop; cleanstop=no leaves them", async () => {
    const table = new FakeTable();
    const a = virtual(1, [real(1)], { cleanstop: true });
    const b = virtual(2, [real(2)], { cleanstop: false });
    const { director } = make([a, b], table, new Set(["192.0.2.1", "192.0.2.2"]));
    await startNow(director);
    await director.stop();
    expect(table.services.has(a.key)).toBe(false);
    expect(table.services.has(b.key)).toBe(true);
    expect(director.status().status).toBe("stopped");
  });

  it("checktype=off is never checked: its reals stay out (the fallback in) unless adopted from the table", async () => {
    const table = new FakeTable();
    const v = virtual(1, [real(1)], { checktype: "off", fallback });
    const { director, calls } = make([v], table, new Set(["192.0.2.1"]));
    await startNow(director);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toEqual([]);
    expect(table.weight(v.key, "192.0.2.1:80")).toBeUndefined();
    expect(table.weight(v.key, "127.0.0.9:80")).toBe(1);
    await director.stop();
  });
});
