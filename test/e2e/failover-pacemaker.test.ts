// Two directors under Debian's Corosync 3 + Pacemaker 2.1 in the lab kernel: a group of ocf:heartbeat:IPaddr2 and our
// OCF agent (examples/ocf/ldirectord-ts) running bin/ldirectord-ts (issue 8, steps 1, 3 and 4, and the agent's
// monitor). One boot runs the whole scenario (test/e2e/failover/pacemaker.sh); each test asserts one step.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { cleanLab, runInLab, type LabResult } from "./lab/harness.js";
import { assertInstalled, parseResults, SCENARIO_DIR, stepResults, type StepResult } from "./failover/results.js";

// One cut trial in CI (the bench runs more).
const TRIALS = 1;
let lab: LabResult;
let results: StepResult[] = [];

function one(step: string): StepResult {
  const found = stepResults(results, step);
  expect(found.length, `no RESULT step=${step} in:\n${lab.stdout}\n${lab.stderr.slice(-4000)}`).toBeGreaterThan(0);
  return found[0] ?? {};
}

beforeAll(async () => {
  assertInstalled({
    "/usr/sbin/corosync": "corosync",
    "/usr/sbin/pacemakerd": "pacemaker",
    "/usr/sbin/cibadmin": "pacemaker-cli-utils",
    "/usr/sbin/crm_mon": "pacemaker-cli-utils",
    "/usr/lib/ocf/resource.d/heartbeat/IPaddr2": "resource-agents",
    "/usr/bin/curl": "curl",
  });
  lab = await runInLab({
    name: "failover-pacemaker",
    script: `bash ${path.join(SCENARIO_DIR, "pacemaker.sh")}`,
    env: { DIRECTOR: "ts", FO_TRIALS: String(TRIALS), FO_STEPS: "kill rejoin" },
    timeoutMs: 540_000,
  });
  results = parseResults(lab.stdout);
  const fatal = results.find((r) => r["fatal"] !== undefined);
  if (fatal !== undefined) throw new Error(`scenario failed: ${fatal["fatal"]}\n${lab.stdout}\n${lab.stderr.slice(-6000)}`);
}, 600_000);

afterAll(async () => {
  if (lab !== undefined && results.some((r) => r["done"] === "1")) await cleanLab(lab);
});

describe("two directors under Corosync + Pacemaker (IPaddr2 + ocf:ldirectord-ts:ldirectord-ts group)", () => {
  it("starts the group on the preferred node only: VIP and a populated table there, an empty table on the other, both reals answer", () => {
    expect(one("start")).toMatchObject({ d1_vip: "1", d2_vip: "0", d1_reals: "2", d2_reals: "0", d2_services: "0", bodies: "rs1 rs2" });
  });

  it("notices a killed daemon through the agent's monitor and restarts it in place without touching the VIP", () => {
    const r = one("kill");
    expect(r["new_pid"]).toMatch(/^\d+$/);
    expect(r["new_pid"]).not.toBe(r["old_pid"]);
    expect(r["restarted_after_ms"]).toMatch(/^\d+$/);
    expect(r).toMatchObject({ vip_lost_samples: "0", other_vip: "0", failcount_seen: "1", reals: "2", starts_elsewhere: "0", served: "1" });
  });

  it("serves the client through the other node after the active one drops off the network", () => {
    const trials = stepResults(results, "failover");
    expect(trials.length).toBe(TRIALS);
    for (const t of trials) {
      expect(t).toMatchObject({ new_vip: "1", new_reals: "2", bodies: "rs1 rs2" });
      expect(Number(t["failover_ms"])).toBeGreaterThan(0);
      expect(Number(t["failover_ms"])).toBeLessThan(180_000);
    }
    console.log(`pacemaker failover (cut -> served): ${trials.map((t) => `${t["failover_ms"]} ms (engine ${t["engine_ms"]}, director ${t["director_ms"]})`).join("; ")}`);
  });

  it("keeps the group where it is when the old node rejoins: no flap on the active table, no director start there", () => {
    expect(one("rejoin")).toMatchObject({ flaps: "0", vip_samples_on_returning: "0", director_starts_on_returning: "0", returning_reals: "0", active_vip: "1", served: "1" });
  });
});
