import { describe, expect, it } from "vitest";
import { diffConfig } from "../../../src/daemon/config-diff.js";
import { config, real, virtual } from "../scheduler/fixtures.js";

describe("diffConfig", () => {
  const base = config([virtual(1, [real(1), real(2)]), virtual(2, [real(3)])]);

  it("an identical config (even with other line numbers) is empty", () => {
    const moved = config([virtual(1, [real(1, { source: { file: "/tmp/test.cf", line: 40 } }), real(2)]), virtual(2, [real(3)])]);
    const d = diffConfig(base, moved);
    expect(d.empty).toBe(true);
    expect(d.unchangedVirtuals.map((v) => v.key)).toEqual(["tcp:198.51.100.1:80", "tcp:198.51.100.2:80"]);
    expect(d.unchangedReals).toHaveLength(3);
  });

  it("keys virtuals and reals; sorts them into added, removed, changed, unchanged", () => {
    const next = config([
      virtual(1, [real(1, { weight: 5 }), real(4)], { scheduler: "rr", persistent: 300 }),
      virtual(3, [real(5)]),
    ]);
    const d = diffConfig(base, next);
    expect(d.empty).toBe(false);
    expect(d.addedVirtuals.map((v) => v.key)).toEqual(["tcp:198.51.100.3:80"]);
    expect(d.removedVirtuals.map((v) => v.key)).toEqual(["tcp:198.51.100.2:80"]);
    expect(d.changedVirtuals.map((c) => [c.new.key, c.fields])).toEqual([["tcp:198.51.100.1:80", ["persistent", "scheduler"]]]);
    expect(d.addedReals.map((r) => r.real.address)).toEqual(["192.0.2.4"]);
    expect(d.removedReals.map((r) => r.real.address)).toEqual(["192.0.2.2"]);
    expect(d.changedReals.map((r) => [r.key, r.fields])).toEqual([["192.0.2.1:80", ["weight"]]]);
  });

  it("the same address on another port is another real", () => {
    const d = diffConfig(config([virtual(1, [real(1)])]), config([virtual(1, [real(1, { port: 8080 })])]));
    expect(d.addedReals.map((r) => r.real.port)).toEqual([8080]);
    expect(d.removedReals.map((r) => r.real.port)).toEqual([80]);
  });

  it("a changed global is reported", () => {
    const d = diffConfig(base, config(base.virtuals, { autoreload: true }));
    expect(d.changedGlobals).toEqual(["autoreload"]);
    expect(d.empty).toBe(false);
  });
});
