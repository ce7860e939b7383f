// Host benchmark: ldirectord-ts (the real bin, --backend dry-run) checking N real servers over HTTP
// (negotiate, checkinterval=1) against one nginx listening on N loopback ports. Everything is measured
// from outside the director: check rate and schedule lag from nginx's arrival log, CPU and peak RSS from /proc.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, openSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLoopbackNginx, readArrivals } from "./loopback-nginx.mjs";
import { treeCpuSeconds, memoryMb } from "../lib/proc-stat.mjs";
import { percentile, round } from "../lib/stats.mjs";

const bin = fileURLToPath(new URL("../../bin/ldirectord-ts", import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** First loopback port of the real servers. */
export const FIRST_PORT = 20000;
const REALS_PER_VIRTUAL = 10;

/** An ldirectord.cf with `n` reals on 127.0.0.1:FIRST_PORT…, 10 per virtual (VIPs are never contacted: dry-run). */
export function hostConfig(n, logfile) {
  const lines = ["checkinterval=1", "negotiatetimeout=5", "checktimeout=5", "quiescent=yes", "supervised=yes", "autoreload=no", `logfile="${logfile}"`, ""];
  for (let v = 0; v * REALS_PER_VIRTUAL < n; v++) {
    lines.push(`virtual=127.2.${Math.floor(v / 250)}.${(v % 250) + 1}:80`);
    for (let j = 0; j < REALS_PER_VIRTUAL && v * REALS_PER_VIRTUAL + j < n; j++) lines.push(`\treal=127.0.0.1:${FIRST_PORT + v * REALS_PER_VIRTUAL + j} masq 1`);
    lines.push("\tservice=http", '\trequest="check.html"', '\treceive="OK"', "\tchecktype=negotiate", "\tscheduler=wrr", "");
  }
  return lines.join("\n");
}

/** Lateness of each check vs. its schedule: gap between consecutive arrivals on a port minus the 1 s interval. */
export function lagsMs(arrivals, fromMs, toMs, intervalMs = 1000) {
  const last = new Map();
  const lags = [];
  for (const [t, port] of arrivals) {
    if (t < fromMs - 2 * intervalMs || t > toMs) continue;
    const prev = last.get(port);
    if (prev !== undefined && t >= fromMs) lags.push(t - prev - intervalMs);
    last.set(port, t);
  }
  return lags;
}

/** One run for `n` reals: warm up, then measure over `windowS` seconds. */
export async function hostRun(n, { warmupS = 5, windowS = 15, extraArgs = [], nodeArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-host-"));
  const cfg = path.join(dir, "bench.cf");
  writeFileSync(cfg, hostConfig(n, path.join(dir, "ldirectord-ts.log")));
  const nginx = await startLoopbackNginx(FIRST_PORT, n);
  const log = openSync(path.join(dir, "director.out"), "w");
  const child = spawn(process.execPath, [...nodeArgs, bin, "--backend", "dry-run", "--run-dir", dir, ...extraArgs, cfg, "start"], { stdio: ["ignore", log, log], cwd: dir });
  let exited;
  child.on("exit", (code, sig) => { exited = { code, sig }; });
  try {
    await sleep(warmupS * 1000);
    if (exited) throw new Error(`ldirectord-ts exited during warm-up: ${JSON.stringify(exited)} (see ${dir}/director.out)`);
    const cpu0 = treeCpuSeconds(child.pid);
    const t0 = Date.now();
    await sleep(windowS * 1000);
    const cpu1 = treeCpuSeconds(child.pid);
    const t1 = Date.now();
    const mem = memoryMb(child.pid);
    if (exited) throw new Error(`ldirectord-ts exited: ${JSON.stringify(exited)} (see ${dir}/director.out)`);
    nginx.flush();
    await sleep(1500);
    const arrivals = readArrivals(nginx.logFile);
    const inWindow = arrivals.filter(([t]) => t >= t0 && t < t1).length;
    const seconds = (t1 - t0) / 1000;
    const checksPerS = inWindow / seconds;
    const cpuS = cpu1 - cpu0;
    const lags = lagsMs(arrivals, t0, t1);
    // The daemon's own lag histogram (cumulative since start, bucketed), from its state file when it writes one.
    const stateFile = path.join(dir, "ldirectord-ts.bench.cf.state.json");
    const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : undefined;
    return {
      n,
      checksPerS: round(checksPerS),
      sustained: round(checksPerS / n, 3),
      cpuCores: round(cpuS / seconds, 3),
      cpuSPer1000: round(cpuS / (inWindow / 1000), 4),
      peakRssMb: round(mem?.peakRssMb),
      lagP50Ms: round(percentile(lags, 50)),
      lagP99Ms: round(percentile(lags, 99)),
      daemonLag: state?.lag === undefined ? undefined : { count: state.lag.count, p50Ms: state.lag.p50Ms, p99Ms: state.lag.p99Ms, maxMs: round(state.lag.maxMs) },
      dir,
    };
  } finally {
    if (!exited) {
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await done;
      clearTimeout(t);
    }
    await nginx.stop();
  }
}
