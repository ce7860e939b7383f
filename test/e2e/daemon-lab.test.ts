// The daemon against the REAL IPVS table of the lab kernel (user-mode Linux), --backend ipvsadm, with real HTTP
// servers in network namespaces. One boot carries every scenario; each assertion reads the kernel's own table.
import { afterAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanLab, labResults, runInLab, type LabResult } from "./lab/harness.js";

const CHECKINTERVAL_S = 1;
const TIMEOUT_S = 2;

const SCRIPT = String.raw`
set -u
. "$LAB_LIB"
lab_bridge 10.10.0.1/24
lab_add_host rs1 10.10.0.11/24
lab_add_host rs2 10.10.0.12/24
lab_add_host fb 10.10.0.13/24
lab_vip 10.10.0.100/32
lab_http rs1 80
lab_http rs2 80
mkdir -p /tmp/ha /tmp/run
write_cfg() {
cat > /tmp/ha/www <<CFG
checkinterval=$CHECKINTERVAL_S
logfile="$LAB_OUT/director.log"
quiescent=yes
virtual=10.10.0.100:80
	real=10.10.0.11:80 masq 2
	real=10.10.0.12:80 masq 3
	fallback=10.10.0.13:80 masq
	service=http
	request="/health"
	receive="ok"
	checktype=negotiate
	negotiatetimeout=$TIMEOUT_S
	scheduler=wrr
	cleanstop=$1
CFG
}
LD="node $LAB_REPO/bin/ldirectord-ts --ha-dir /tmp/ha --run-dir /tmp/run --backend ipvsadm"
has() { ipvsadm -S -n | grep -q -- "$1"; }
wait_ms() { local t0; t0=$(lab_now_ms); lab_wait "$1" has "$2" || { lab_result "$3_ms=timeout"; return 1; }; lab_result "$3_ms=$(( $(lab_now_ms) - t0 ))"; }

write_cfg no
lab_begin start
t0=$(lab_now_ms); $LD www start; lab_result start_rc=$? start_ms=$(( $(lab_now_ms) - t0 ))
$LD www status; lab_result status_rc=$?
lab_ipvs_snapshot started
lab_end start

lab_begin kill
kill "$(cat /tmp/lab-http/rs1-80.pid)"
wait_ms 10 "-r 10.10.0.11:80 -m -w 0" kill
lab_ipvs_snapshot killed
lab_http rs1 80
wait_ms 10 "-r 10.10.0.11:80 -m -w 2" back
lab_end kill

lab_begin fallback
lab_http_down rs1 80; lab_http_down rs2 80
wait_ms 10 "-r 10.10.0.13:80 -m -w 1" fallback_in
lab_ipvs_snapshot fallback
lab_http_up rs1 80; lab_http_up rs2 80
lab_wait 10 sh -c '! ipvsadm -S -n | grep -q -- "-r 10.10.0.13:80"' && lab_result fallback_out=yes
lab_wait 10 has "-r 10.10.0.12:80 -m -w 3"
lab_end fallback

lab_begin restart
ipvsadm -S -n > "$LAB_OUT/before-restart.save"
# Watch the kernel table every 20 ms while the daemon restarts (cleanstop=no: the table stays during the gap).
( while [ ! -e /tmp/stop-watch ]; do ipvsadm -S -n | md5sum; sleep 0.02; done ) | sort -u > "$LAB_OUT/restart-digests" &
watch=$!
$LD www restart; lab_result restart_rc=$?
sleep 3
: > /tmp/stop-watch; wait $watch
lab_result restart_table_states=$(wc -l < "$LAB_OUT/restart-digests")
$LD --json www status > "$LAB_OUT/status-after-restart.json"
ipvsadm -S -n > "$LAB_OUT/after-restart.save"
lab_end restart

lab_begin cleanstop
write_cfg yes
$LD www reload; lab_result reload_rc=$?
sleep 2
t0=$(lab_now_ms); $LD www stop; lab_result stop_rc=$? stop_ms=$(( $(lab_now_ms) - t0 ))
lab_result after_stop_entries=$(ipvsadm -S -n | wc -l)
$LD www status; lab_result final_status_rc=$?
lab_end cleanstop
`;

let lab: LabResult | undefined;
let results: Record<string, string> = {};

async function boot(): Promise<LabResult> {
  if (lab === undefined) {
    lab = await runInLab({ name: "daemon", script: SCRIPT, timeoutMs: 240_000, env: { CHECKINTERVAL_S: String(CHECKINTERVAL_S), TIMEOUT_S: String(TIMEOUT_S) } });
    results = labResults(lab.stdout);
  }
  return lab;
}
const save = async (name: string): Promise<string> => readFile(join((await boot()).outDir, `${name}.save`), "utf8");

afterAll(async () => {
  // Figures for the README/benchmarks: start, kill detection, recovery, fallback, stop (ms, inside the lab kernel).
  const figures = ["start_ms", "kill_ms", "back_ms", "fallback_in_ms", "stop_ms"].map((k) => `${k}=${results[k] ?? "?"}`).join(" ");
  console.info(`daemon lab figures: boot ${lab?.bootMs ?? "?"} ms, ${figures}`);
  if (lab !== undefined && lab.exitCode === 0) await cleanLab(lab);
});

describe("daemon in the lab kernel (real IPVS, --backend ipvsadm)", () => {
  it("starts, and the kernel holds the service with both reals at their weights (no fallback)", { timeout: 300_000 }, async () => {
    const r = await boot();
    expect(r.exitCode, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(results.start_rc).toBe("0");
    expect(results.status_rc).toBe("0");
    const t = await save("started");
    expect(t).toMatch(/-A -t 10\.10\.0\.100:80 -s wrr/);
    expect(t).toMatch(/-a -t 10\.10\.0\.100:80 -r 10\.10\.0\.11:80 -m -w 2/);
    expect(t).toMatch(/-a -t 10\.10\.0\.100:80 -r 10\.10\.0\.12:80 -m -w 3/);
    expect(t).not.toMatch(/10\.10\.0\.13/);
  });

  it("a killed server is at weight 0 within checkinterval + timeout + 1 s, and back at its weight when it returns", async () => {
    await boot();
    expect(results.kill_ms).not.toBe("timeout");
    expect(Number(results.kill_ms)).toBeLessThanOrEqual((CHECKINTERVAL_S + TIMEOUT_S + 1) * 1000);
    expect(await save("killed")).toMatch(/-r 10\.10\.0\.11:80 -m -w 0/);
    expect(results.back_ms).not.toBe("timeout");
  });

  it("all servers failing puts the fallback in; recovery takes it out", async () => {
    await boot();
    expect(results.fallback_in_ms).not.toBe("timeout");
    const t = await save("fallback");
    expect(t).toMatch(/-a -t 10\.10\.0\.100:80 -r 10\.10\.0\.13:80 -m -w 1/);
    expect(t).toMatch(/-r 10\.10\.0\.11:80 -m -w 0/);
    expect(results.fallback_out).toBe("yes");
  });

  it("a restart while serving changes no kernel entry", async () => {
    await boot();
    expect(results.restart_rc).toBe("0");
    expect(results.restart_table_states).toBe("1");
    // The new daemon adopted the table and has written nothing.
    const st = JSON.parse(await readFile(join((await boot()).outDir, "status-after-restart.json"), "utf8")) as { running: boolean; daemon?: { table: { opsApplied: number }; virtuals: { reals: { health: string }[] }[] } };
    expect(st.running).toBe(true);
    expect(st.daemon?.table.opsApplied).toBe(0);
    expect(st.daemon?.virtuals[0]?.reals.map((r) => r.health)).toEqual(["up", "up"]);
    expect(await save("after-restart")).toBe(await save("before-restart"));
  });

  it("stop with cleanstop=yes waits and leaves no entry in the kernel", async () => {
    await boot();
    expect(results.reload_rc).toBe("0");
    expect(results.stop_rc).toBe("0");
    expect(results.after_stop_entries).toBe("0");
    expect(results.final_status_rc).toBe("3");
  });
});
