// Two directors under Debian's Heartbeat 3 (haresources mode) in the lab kernel, with bin/ldirectord-ts as the
// `ldirectord` resource (issue 8, steps 1 to 5). One boot runs the whole scenario (test/e2e/failover/heartbeat.sh);
// each test below asserts one step from what the script measured inside the lab.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { cleanLab, runInLab, type LabResult } from "./lab/harness.js";
import { assertInstalled, parseResults, SCENARIO_DIR, stepResults, type StepResult } from "./failover/results.js";

// One cut trial in CI (the bench runs more); the whole boot stays within a few minutes even on a loaded machine.
const TRIALS = 1;
let lab: LabResult;
let results: StepResult[] = [];

function one(step: string, extra: Record<string, string> = {}): StepResult {
  const found = stepResults(results, step).filter((r) => Object.entries(extra).every(([k, v]) => r[k] === v));
  expect(found.length, `no RESULT step=${step} ${JSON.stringify(extra)} in:\n${lab.stdout}\n${lab.stderr.slice(-4000)}`).toBeGreaterThan(0);
  return found[0] ?? {};
}

beforeAll(async () => {
  assertInstalled({
    "/usr/libexec/heartbeat/heartbeat": "heartbeat",
    "/usr/share/heartbeat/ResourceManager": "heartbeat",
    "/usr/lib/ocf/resource.d/heartbeat/IPaddr2": "resource-agents",
    "/usr/bin/curl": "curl",
  });
  lab = await runInLab({
    name: "failover-heartbeat",
    script: `bash ${path.join(SCENARIO_DIR, "heartbeat.sh")}`,
    env: { DIRECTOR: "ts", FO_TRIALS: String(TRIALS), FO_STEPS: "status rejoin standby" },
    timeoutMs: 540_000,
  });
  results = parseResults(lab.stdout);
  const fatal = results.find((r) => r["fatal"] !== undefined);
  if (fatal !== undefined) throw new Error(`scenario failed: ${fatal["fatal"]}\n${lab.stdout}\n${lab.stderr.slice(-6000)}`);
}, 600_000);

afterAll(async () => {
  if (lab !== undefined && results.some((r) => r["done"] === "1")) await cleanLab(lab);
});

describe("two directors under Heartbeat (haresources, auto_failback off)", () => {
  it("starts the group on the primary only: VIP and a populated table there, an empty table on the standby, both reals answer", () => {
    const r = one("start", { d1_vip: "1" });
    expect(r).toMatchObject({ d1_vip: "1", d2_vip: "0", d1_reals: "2", d2_reals: "0", d2_services: "0", bodies: "rs1 rs2" });
  });

  it("answers `ldirectord www status` on stdout with LSB codes, so Heartbeat's ResourceManager judges both nodes right", () => {
    const active = one("status", { node: "d1" });
    expect(active["rc"]).toBe("0");
    expect(active["rm_rc"]).toBe("0");
    expect(active["stdout"]).toMatch(/running/);
    expect(active["stdout"]).not.toMatch(/not running/i);
    const standby = one("status", { node: "d2" });
    expect(standby["rc"]).toBe("3");
    expect(standby["rm_rc"]).toBe("3");
    expect(standby["stdout"]).toMatch(/not running|stopped/i);
  });

  it("serves the client through the standby after the primary drops off the network", () => {
    const trials = stepResults(results, "failover");
    expect(trials.length).toBe(TRIALS);
    for (const t of trials) {
      expect(t).toMatchObject({ new_vip: "1", new_reals: "2", bodies: "rs1 rs2" });
      // Heartbeat itself declared the peer dead (the takeover is the engine's, not a side effect of the test).
      expect(Number(t["dead_seen"])).toBeGreaterThanOrEqual(1);
      expect(Number(t["failover_ms"])).toBeGreaterThan(0);
      expect(Number(t["failover_ms"])).toBeLessThan(120_000);
    }
    // The figure the README publishes comes from the bench; CI prints what it saw.
    console.log(`heartbeat failover (cut -> served): ${trials.map((t) => `${t["failover_ms"]} ms (engine ${t["engine_ms"]}, director ${t["director_ms"]})`).join("; ")}`);
  });

  it("lets the old primary rejoin as standby: no flap on the active table, no director start, no VIP on it", () => {
    const r = one("rejoin");
    expect(r).toMatchObject({ flaps: "0", vip_samples_on_returning: "0", director_starts_on_returning: "0", returning_reals: "0", active_vip: "1", served: "1" });
  });

  it("moves the group on hb_standby: the old director's stop returns with a clean table before the new one starts, never two VIP holders", () => {
    const r = one("standby");
    expect(r).toMatchObject({ both_vip_samples: "0", stop_before_start: "1", reals_left_at_stop: "0", old_reals: "0", new_reals: "2", served: "1" });
  });
});
