// Runs INSIDE the lab kernel (see boot.mjs): one director (ldirectord, keepalived or ldirectord-ts) against
// real HTTP servers in namespaces. Measures cold start (start → every real in the kernel table with its
// weight) for 3 and for 200 reals, CPU seconds over 10 s of steady state, and detection latency (a real
// refuses or hangs → its kernel weight is 0). Writes one JSON object to --out.
// Usage: node side-by-side.mjs --director NAME --out FILE [--runs 3] [--trials 20] [--logs DIR]
import { execFileSync, spawn } from "node:child_process";
import { openSync, writeFileSync, mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { addressesByNamespace, keepalivedConfig, ldirectordConfig, makeLayout } from "./configs.mjs";
import { control, setupRealServers } from "./net.mjs";
import { readRealWeights, realKey } from "../lib/ipvs-proc.mjs";
import { treeCpuSeconds, treeRssMb } from "../lib/proc-stat.mjs";
import { median, percentile, round } from "../lib/stats.mjs";

const { values: opt } = parseArgs({
  options: {
    director: { type: "string" },
    out: { type: "string" },
    runs: { type: "string", default: "3" },
    "runs-200": { type: "string" },
    trials: { type: "string", default: "20" },
    logs: { type: "string", default: "/tmp" },
    timeout: { type: "string", default: "2" },
    "cpu-seconds": { type: "string", default: "10" },
    keepalivedAlpha: { type: "string", default: "yes" },
    "converge-timeout": { type: "string", default: "120" },
  },
});
const RUNS = Number(opt.runs);
// ldirectord needs minutes per 200-real start, so the 200-real runs can be fewer than the 3-real ones.
const RUNS_200 = Number(opt["runs-200"] ?? opt.runs);
const TRIALS = Number(opt.trials);
const TIMEOUT = Number(opt.timeout);
const CPU_WINDOW_S = Number(opt["cpu-seconds"]);
const bin = fileURLToPath(new URL("../../bin/ldirectord-ts", import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
mkdirSync(opt.logs, { recursive: true });

/** How to start each director on a layout; every one stays in the foreground. */
const DIRECTORS = {
  ldirectord: (layout, tag) => {
    const cfg = `/tmp/bench-${tag}.cf`;
    writeFileSync(cfg, ldirectordConfig(layout, { timeout: TIMEOUT, logfile: `/tmp/ldirectord-${tag}.log` }));
    return ["/usr/sbin/ldirectord", [cfg, "start"]];
  },
  "ldirectord-ts": (layout, tag) => {
    const cfg = `/tmp/bench-${tag}.cf`;
    writeFileSync(cfg, ldirectordConfig(layout, { timeout: TIMEOUT, logfile: `/tmp/ldirectord-ts-${tag}.log` }));
    return [process.execPath, [bin, "--backend", "ipvsadm", "--run-dir", "/tmp", cfg, "start"]];
  },
  keepalived: (layout, tag) => {
    const cfg = `/tmp/keepalived-${tag}.conf`;
    writeFileSync(cfg, keepalivedConfig(layout, { timeout: TIMEOUT, alpha: opt.keepalivedAlpha === "yes" }));
    return ["/usr/sbin/keepalived", ["--check", "--dont-fork", "--log-console", "-f", cfg, "-p", `/tmp/ka-${tag}.pid`, "-c", `/tmp/ka-c-${tag}.pid`]];
  },
};
const makeCommand = DIRECTORS[opt.director];
if (makeCommand === undefined) throw new Error(`--director must be one of ${Object.keys(DIRECTORS).join(", ")}`);

function clearTable() {
  execFileSync("ipvsadm", ["-C"]);
}

function satisfied(layout, weights, pred) {
  for (const vs of layout) for (const r of vs.reals) if (!pred(weights.get(realKey(vs, r)), r)) return false;
  return true;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  if ((await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)])) === false) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** Start the director on `layout`; resolve when every real has its configured weight (or time out). */
async function coldStart(layout, tag) {
  clearTable();
  const [cmd, args] = makeCommand(layout, tag);
  const log = openSync(`${opt.logs}/${opt.director}-${tag}.out`, "w");
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", log, log] });
  let exitInfo;
  child.on("exit", (code, sig) => { exitInfo = { code, sig }; });
  const limitS = Number(opt["converge-timeout"]);
  const deadline = t0 + limitS * 1000;
  for (;;) {
    if (satisfied(layout, readRealWeights(), (w, r) => w === r.weight)) return { child, ms: performance.now() - t0 };
    if (exitInfo !== undefined) return { child, ms: undefined, error: `exited early: ${JSON.stringify(exitInfo)}` };
    if (performance.now() > deadline) return { child, ms: undefined, error: `not converged after ${limitS} s` };
    await sleep(10);
  }
}

/** CPU seconds used by the director tree over the steady-state window. */
async function steadyCpu(child) {
  await sleep(2000);
  const a = treeCpuSeconds(child.pid);
  await sleep(CPU_WINDOW_S * 1000);
  const b = treeCpuSeconds(child.pid);
  return { cpuS: b - a, rssMb: treeRssMb(child.pid) };
}

/** Deterministic pseudo-random numbers (so runs are comparable). */
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Make one real refuse or hang, time until its kernel weight is 0, then restore it and time recovery. */
async function detectionTrials(layout, servers, mode) {
  const rand = rng(mode === "refuse" ? 7 : 11);
  const detect = [];
  const recover = [];
  let misses = 0;
  for (let t = 0; t < TRIALS; t++) {
    const vs = layout[(t * 7) % layout.length];
    const r = vs.reals[t % vs.reals.length];
    const key = realKey(vs, r);
    const srv = servers.find((s) => s.n === r.ns);
    // A random phase against the check schedule, so the trials sample it fairly.
    await sleep(Math.floor(rand() * 1000));
    await control(srv.control, `${mode} ${r.ip}`);
    const t0 = performance.now();
    let down;
    while (performance.now() - t0 < 60_000) {
      const w = readRealWeights().get(key);
      if (w === undefined || w === 0) { down = performance.now() - t0; break; }
      await sleep(5);
    }
    await control(srv.control, `ok ${r.ip}`);
    const t1 = performance.now();
    let up;
    while (performance.now() - t1 < 60_000) {
      if (readRealWeights().get(key) === r.weight) { up = performance.now() - t1; break; }
      await sleep(5);
    }
    if (down === undefined) misses++;
    else detect.push(down);
    if (up !== undefined) recover.push(up);
    else throw new Error(`${key} did not come back within 60 s after trial ${t}`);
  }
  return {
    trials: TRIALS,
    misses,
    p50Ms: round(percentile(detect, 50)),
    p99Ms: round(percentile(detect, 99)),
    maxMs: round(Math.max(...detect)),
    recoverP50Ms: round(percentile(recover, 50)),
    samplesMs: detect.map((x) => round(x)),
  };
}

const big = makeLayout(50, 4);
const small = makeLayout(1, 3);
const servers = await setupRealServers(addressesByNamespace(big));
const result = { director: opt.director, runs: RUNS, runs200: RUNS_200, trials: TRIALS, timeoutS: TIMEOUT, checkintervalS: 1, cold3Ms: [], cold200Ms: [], cpu10s: [], errors: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const s = await coldStart(small, `3-${i}`);
    if (s.ms === undefined) result.errors.push(`3 reals run ${i}: ${s.error}`);
    else result.cold3Ms.push(round(s.ms));
    await stop(s.child);
  }
  for (let i = 0; i < RUNS_200; i++) {
    const s = await coldStart(big, `200-${i}`);
    if (s.ms === undefined) {
      result.errors.push(`200 reals run ${i}: ${s.error}`);
      await stop(s.child);
      continue;
    }
    result.cold200Ms.push(round(s.ms));
    const c = await steadyCpu(s.child);
    result.cpu10s.push(round(c.cpuS, 2));
    result.rssMb = round(c.rssMb);
    if (i === RUNS_200 - 1 && TRIALS > 0) {
      result.refused = await detectionTrials(big, servers, "refuse");
      result.hung = await detectionTrials(big, servers, "hang");
    }
    await stop(s.child);
  }
} catch (err) {
  result.errors.push(String(err?.stack ?? err));
}
result.cold3MedianMs = round(median(result.cold3Ms));
result.cold200MedianMs = round(median(result.cold200Ms));
result.cpu10sMedian = round(median(result.cpu10s), 2);
writeFileSync(opt.out, JSON.stringify(result, null, 2));
for (const s of servers) s.child.kill("SIGTERM");
process.exit(0);
