// The lab harness itself, on the real user-mode kernel: the boot works, IPVS and the network helpers work, exit
// codes and output come back, and a script that hangs is killed at its timeout (no stray kernel processes).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanLab, LabError, labResults, labSection, runInLab } from "./lab/harness.js";

function umlProcessesOf(outDir: string): number {
  const out = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(`LAB_DIR=${outDir}`)).length;
}

describe("lab harness", () => {
  it("boots a kernel with IPVS, namespaced hosts and an HTTP server reachable through a virtual service", async () => {
    const r = await runInLab({
      name: "harness-smoke",
      timeoutMs: 90_000,
      script: `. "$LAB_LIB"
lab_begin net
lab_bridge 10.10.0.1/24 fd00:10::1/64
lab_add_host rs1 10.10.0.11/24 fd00:10::11/64
lab_http rs1 8080
lab_vip 10.10.9.1/32
ipvsadm -A -t 10.10.9.1:80 -s rr || lab_die "ipvsadm -A"
ipvsadm -a -t 10.10.9.1:80 -r 10.10.0.11:8080 -m -w 3 || lab_die "ipvsadm -a"
body=$(curl -s --max-time 5 http://10.10.9.1/ 2>/dev/null || node -e 'fetch("http://10.10.9.1/").then(r => r.text()).then(t => process.stdout.write(t))')
lab_result "body=$body"
lab_http_down rs1 8080
code=$(node -e 'fetch("http://[fd00:10::11]:8080/health").then(r => process.stdout.write(String(r.status)))')
lab_result "health_down=$code"
lab_end net
ipvsadm -S -n
lab_ipvs_snapshot final
exit 3`,
    });
    expect(r.exitCode, r.stderr).toBe(3);
    const res = labResults(r.stdout);
    expect(res["body"]).toBe("rs1");
    expect(res["health_down"]).toBe("503");
    expect(labSection(r.stdout, "net")).toContain("RESULT body=rs1");
    expect(r.stdout).toContain("-a -t 10.10.9.1:80 -r 10.10.0.11:8080 -m -w 3");
    expect(r.bootMs).toBeGreaterThan(0);
    expect(r.bootMs).toBeLessThan(30_000);
    console.log(`lab boot (spawn → script start, modules loaded): ${r.bootMs} ms; whole run ${r.wallMs} ms`);
    await cleanLab(r);
  }, 120_000);

  it("kills the kernel and all its helpers when the script outlives its timeout, and says so", async () => {
    let err: unknown;
    try {
      await runInLab({ name: "harness-timeout", timeoutMs: 8_000, script: "echo started >&2; sleep 600" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabError);
    const le = err as LabError;
    expect(le.code).toBe("LAB_TIMEOUT");
    expect(le.message).toMatch(/did not finish within 8000 ms/);
    const outDir = le.partial?.outDir ?? "";
    expect(outDir).not.toBe("");
    expect(umlProcessesOf(outDir)).toBe(0);
    await cleanLab({ outDir });
  }, 60_000);
});
