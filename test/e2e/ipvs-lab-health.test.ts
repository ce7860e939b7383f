// Issue 4, lab scenarios 2 and 3 on a real IPVS kernel (one boot): real servers in namespaces, real HTTP checks,
// the kernel table read back (ipvsadm -S -n, /proc/net/ip_vs) after each failure and recovery.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanLabAfterPassing, LAB_REPO, labResults, runInLab, type LabResult } from "./lab/harness.js";
import { procTable } from "./lab/ipvs-proc.js";

let lab: LabResult;
let res: Record<string, string>;
cleanLabAfterPassing(() => lab);
const file = (name: string) => readFileSync(path.join(lab.outDir, name), "utf8");
/** `-a` lines of one VIP, sorted. */
const reals = (step: string, vip: string) =>
  file(`${step}.save`).split("\n").filter((l) => l.startsWith(`-a -t ${vip}:80 `)).map((l) => l.replace(`-a -t ${vip}:80 `, "")).sort();

beforeAll(async () => {
  if (!existsSync(path.join(LAB_REPO, "dist/ipvs/index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  lab = await runInLab({ name: "ipvs-health", script: readFileSync(path.join(LAB_REPO, "test/e2e/scenarios/ipvs-health.sh"), "utf8"), timeoutMs: 150_000 });
  if (lab.exitCode !== 0) throw new Error(`scenario script failed (exit ${lab.exitCode}):\n${lab.stderr.slice(-4000)}\n${lab.stdout.slice(-2000)}`);
  res = labResults(lab.stdout);
  console.log(`ipvs-health lab: boot ${lab.bootMs} ms, scenarios ${lab.scriptMs} ms`);
}, 170_000);

describe("scenario 2: a real server leaves and comes back", () => {
  it("all up: both reals at their weights in both virtuals, no fallback", () => {
    expect(res["all-up_failed"]).toBe("0");
    expect(reals("all-up", "10.10.9.1")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 2"]);
    expect(reals("all-up", "10.10.9.2")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 2"]);
  });

  it("its check fails: weight 0 with quiescent=yes, deleted with quiescent=no", () => {
    expect(reals("rs2-down", "10.10.9.1")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 0"]);
    expect(reals("rs2-down", "10.10.9.2")).toEqual(["-r 10.10.0.11:80 -m -w 3"]);
    const proc = procTable(file("rs2-down.proc"));
    expect(proc["TCP 10.10.9.1:80"]?.reals.sort()).toEqual(["10.10.0.11:80 Masq 3", "10.10.0.12:80 Masq 0"]);
    expect(proc["TCP 10.10.9.2:80"]?.reals).toEqual(["10.10.0.11:80 Masq 3"]);
    expect(res["rs2-down_log"]?.split(" | ").sort()).toEqual([
      "reconcile: ipvsadm -d -t 10.10.9.2:80 -r 10.10.0.12:80",
      "reconcile: ipvsadm -e -t 10.10.9.1:80 -x 0 -y 0 -r 10.10.0.12:80 -m -w 0",
    ]);
  });

  it("it recovers: back with its weight in both", () => {
    expect(reals("rs2-back", "10.10.9.1")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 2"]);
    expect(reals("rs2-back", "10.10.9.2")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 2"]);
  });
});

describe("scenario 3: fallback", () => {
  it("all reals fail: the fallback is added with weight 1 and answers through the VIP; the quiescent virtual keeps its reals at 0", () => {
    expect(reals("all-down", "10.10.9.2")).toEqual(["-r 10.10.0.13:80 -m -w 1"]);
    expect(reals("all-down", "10.10.9.1")).toEqual(["-r 10.10.0.11:80 -m -w 0", "-r 10.10.0.12:80 -m -w 0"]);
    expect(procTable(file("all-down.proc"))["TCP 10.10.9.2:80"]?.reals).toEqual(["10.10.0.13:80 Masq 1"]);
    expect(res["all-down_via_10.10.9.2"]).toBe("rs3");
  });

  it("one recovers: the fallback is removed and the real answers", () => {
    expect(reals("rs1-back", "10.10.9.2")).toEqual(["-r 10.10.0.11:80 -m -w 3"]);
    expect(reals("rs1-back", "10.10.9.1")).toEqual(["-r 10.10.0.11:80 -m -w 3", "-r 10.10.0.12:80 -m -w 0"]);
    expect(res["rs1-back_via_10.10.9.2"]).toBe("rs1");
    expect(res["rs1-back_log"]).toContain("reconcile: ipvsadm -d -t 10.10.9.2:80 -r 10.10.0.13:80");
  });

});
