#!/usr/bin/env node
// The host benchmark with the director in this process (createDirector from dist/), for profiling and for
// the daemon's own lag figures. Prints one JSON line. Usage: node in-process.mjs N [warmupS] [windowS] [concurrency]
import { readFile } from "node:fs/promises";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { performance } from "node:perf_hooks";
import { hostConfig, lagsMs, FIRST_PORT } from "./host-bench.mjs";
import { startLoopbackNginx, readArrivals } from "./loopback-nginx.mjs";
import * as standIns from "./stand-ins.mjs";
import { percentile, round } from "../lib/stats.mjs";

const dist = new URL("../../dist/", import.meta.url);
const [n = 1000, warmupS = 5, windowS = 15, concurrency] = process.argv.slice(2).map(Number);
// BENCH_STATE=daemon: write the state file on every change as run-daemon does; =coalesce: the suggested writer.
const stateMode = process.env.BENCH_STATE ?? "none";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { parseConfig } = await import(new URL("config/index.js", dist));
const { createDirector } = await import(new URL("daemon/director.js", dist));
let ipvs;
try {
  ipvs = await import(new URL("ipvs/index.js", dist));
} catch {
  ipvs = undefined;
}
let standIn = ipvs?.createBackend === undefined || ipvs?.planChanges === undefined;
try {
  if (!standIn) (await import(new URL("ipvs/desired.js", dist))).desiredTable({ virtuals: [] }, { health: () => "unknown" });
} catch {
  standIn = true;
}

const dir = mkdtempSync(path.join(tmpdir(), "bench-inproc-"));
const cfgFile = path.join(dir, "bench.cf");
writeFileSync(cfgFile, hostConfig(n, path.join(dir, "ldirectord-ts.log")));
const parsed = await parseConfig(await readFile(cfgFile), cfgFile);
if (parsed.config === undefined) throw new Error(`config: ${JSON.stringify(parsed.diagnostics.slice(0, 3))}`);
const nginx = await startLoopbackNginx(FIRST_PORT, n);
const logger = pino({ level: "info" }, pino.destination({ dest: path.join(dir, "director.log"), sync: false }));
const backend = standIn ? standIns.memoryBackend() : await ipvs.createBackend("memory", { log: () => undefined });
const stateFile = path.join(dir, "state.json");
let onChange;
if (stateMode === "daemon" || stateMode === "coalesce") {
  const { createStateFileWriter } = await import(new URL("daemon/state-file.js", dist));
  const w = createStateFileWriter(stateFile, () => undefined);
  // "daemon": a snapshot built on every change; "coalesce": built only when a write starts (what the daemon does now).
  onChange =
    stateMode === "daemon"
      ? () => void w.write({ pid: process.pid, ...director.status() })
      : () => void w.write(() => ({ pid: process.pid, ...director.status() }));
}
const director = createDirector({
  ...(onChange === undefined ? {} : { onChange }),
  config: parsed.config,
  backend,
  logger,
  planChanges: standIn ? standIns.planChanges : (c, d) => ipvs.planChanges(c, d, { purgeUnknownReals: true }),
  ...(standIn ? { desiredTable: standIns.desiredTable } : {}),
  ...(concurrency === undefined ? {} : { concurrency }),
});
const startT = performance.now();
await director.start();
const startMs = performance.now() - startT;
await sleep(warmupS * 1000);
const lag0 = director.lag();
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await sleep(windowS * 1000);
const cpu1 = process.cpuUsage(cpu0);
const t1 = Date.now();
const lag1 = director.lag();
const status = director.status();
await director.stop();
nginx.flush();
await sleep(1500);
const arrivals = readArrivals(nginx.logFile);
await nginx.stop();
const inWindow = arrivals.filter(([t]) => t >= t0 && t < t1).length;
const seconds = (t1 - t0) / 1000;
const cpuS = (cpu1.user + cpu1.system) / 1e6;
const lags = lagsMs(arrivals, t0, t1);
let up = 0;
for (const v of status.virtuals) for (const r of v.reals) if (r.health === "up") up++;
console.log(JSON.stringify({
  n,
  concurrency: concurrency ?? "default",
  stateFile: stateMode,
  standIns: standIn,
  startMs: round(startMs),
  checksPerS: round(inWindow / seconds),
  sustained: round(inWindow / seconds / n, 3),
  cpuCores: round(cpuS / seconds, 3),
  cpuSPer1000: round(cpuS / (inWindow / 1000), 4),
  peakRssMb: round(process.resourceUsage().maxRSS / 1024),
  lagP50Ms: round(percentile(lags, 50)),
  lagP99Ms: round(percentile(lags, 99)),
  daemonLag: { count: lag1.count - lag0.count, p50Ms: lag1.p50Ms, p99Ms: lag1.p99Ms, maxMs: round(lag1.maxMs) },
  up,
  scheduler: status.scheduler,
}));
process.exit(0);
