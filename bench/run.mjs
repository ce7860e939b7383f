#!/usr/bin/env node
// `npm run bench`: the figures this project publishes (issue 7). Prints a table and writes
// bench/results/latest.json. Installs nothing: a part whose tools are missing is skipped with the exact
// package to install.
//   npm run bench -- --only host|lab|table[,…]   run a subset (default: all)
//   --directors ldirectord-ts,ldirectord,keepalived   which directors the lab part runs (default: all three)
//   --runs N        runs per figure (median reported; default 3)
//   --trials N      detection trials per mode (default 20)
//   --sizes LIST    host part real-server counts (default 100,1000,10000)
//   --print         only print the table from bench/results/latest.json
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { cpus, totalmem, release, loadavg } from "node:os";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { hostRun } from "./host/host-bench.mjs";
import { runInLab } from "./lab/boot.mjs";
import { missingFor, installHint } from "./lib/preflight.mjs";
import { median, round } from "./lib/stats.mjs";
import { renderTable } from "./lib/render.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsFile = path.join(here, "results", "latest.json");
const { values: opt } = parseArgs({
  options: {
    only: { type: "string", default: "host,lab,table" },
    directors: { type: "string", default: "ldirectord-ts,ldirectord,keepalived" },
    runs: { type: "string", default: "3" },
    trials: { type: "string", default: "20" },
    sizes: { type: "string", default: "100,1000,10000" },
    print: { type: "boolean", default: false },
  },
});
const parts = new Set(opt.only.split(",").map((s) => s.trim()));
for (const p of parts) if (!["host", "lab", "table"].includes(p)) throw new Error(`--only: unknown part "${p}"; expected host, lab, table`);
const RUNS = Number(opt.runs);

const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : {};
const results = { ...previous, machine: machine(), skipped: [] };

function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? "unknown",
    cores: c.length,
    memGb: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    // Other work on the machine skews CPU-bound figures: the 1-minute load average when the run started.
    loadAvg1: round(loadavg()[0], 2),
    commit: gitDescribe(),
    at: new Date().toISOString(),
  };
}

/** The commit measured ("-dirty" when the working tree had uncommitted changes). */
function gitDescribe() {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], { cwd: here, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "unknown";
  }
}

function skip(part, why) {
  const line = `bench: skipping ${part}: ${why}`;
  console.error(line);
  results.skipped.push(line);
}

const log = (s) => console.error(`bench: ${s}`);

if (opt.print) {
  console.log(renderTable(previous));
  process.exit(0);
}

if (parts.has("host")) {
  const missing = missingFor("host");
  if (missing.length > 0) skip("host", installHint(missing));
  else {
    const host = { runs: RUNS, sizes: [], measuredAt: new Date().toISOString(), loadAvg1AtStart: round(loadavg()[0], 2) };
    for (const n of opt.sizes.split(",").map(Number)) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        log(`host: ${n} reals, run ${i + 1}/${RUNS}`);
        try {
          runs.push(await hostRun(n));
        } catch (err) {
          skip(`host ${n} run ${i + 1}`, String(err?.message ?? err));
        }
      }
      if (runs.length === 0) continue;
      const med = (k) => round(median(runs.map((r) => r[k])), k === "cpuSPer1000" ? 4 : k === "cpuCores" || k === "sustained" ? 3 : 1);
      host.sizes.push({
        n,
        runs: runs.length,
        checksPerS: med("checksPerS"),
        sustained: med("sustained"),
        cpuCores: med("cpuCores"),
        cpuSPer1000: med("cpuSPer1000"),
        peakRssMb: med("peakRssMb"),
        lagP50Ms: med("lagP50Ms"),
        lagP99Ms: med("lagP99Ms"),
        daemonLagP50Ms: round(median(runs.map((r) => r.daemonLag?.p50Ms))),
        daemonLagP99Ms: round(median(runs.map((r) => r.daemonLag?.p99Ms))),
      });
    }
    results.host = host;
  }
}

if (parts.has("lab")) {
  const missing = missingFor("lab");
  if (missing.length > 0) skip("lab", installHint(missing));
  else {
    results.lab = { ...(previous.lab ?? {}) };
    for (const director of opt.directors.split(",")) {
      const m = missingFor(director);
      if (m.length > 0) {
        skip(`lab ${director}`, installHint(m));
        continue;
      }
      // ldirectord needs minutes for one 200-real start (it lists the whole table twice per real), so its
      // 200-real figure is one run; its 3-real figure gets the usual number of runs.
      const extra = director === "ldirectord" ? `--runs-200 1 --converge-timeout 900` : `--converge-timeout 300`;
      log(`lab: ${director} (boots the lab kernel; ldirectord takes about 15 minutes)`);
      const r = await runInLab(`sbs-${director}`, `#!/bin/sh
cd ${path.resolve(here, "..")} && node bench/lab/side-by-side.mjs --director ${director} --runs ${RUNS} --trials ${Number(opt.trials)} ${extra} --out "$LAB_OUT/result.json" --logs "$LAB_OUT/logs"
`, { timeoutMs: 1_800_000 });
      const file = path.join(r.outDir, "result.json");
      if (!existsSync(file)) {
        skip(`lab ${director}`, `the lab run produced no result (rc ${r.rc}); see ${r.outDir}: ${r.stderr.slice(-500)}`);
        continue;
      }
      results.lab[director] = { ...JSON.parse(readFileSync(file, "utf8")), measuredAt: new Date().toISOString() };
      for (const e of results.lab[director].errors) log(`lab ${director}: ${e.split("\n")[0]}`);
    }
  }
}

if (parts.has("table")) {
  const missing = missingFor("table");
  if (missing.length > 0) skip("table", installHint(missing));
  else {
    log("table: 10,000 real-server changes in the lab kernel");
    const r = await runInLab("table", `#!/bin/sh
cd ${path.resolve(here, "..")} && node bench/lab/table-writes.mjs --out "$LAB_OUT/result.json"
`, { timeoutMs: 1_200_000 });
    const file = path.join(r.outDir, "result.json");
    if (existsSync(file)) results.table = { ...JSON.parse(readFileSync(file, "utf8")), measuredAt: new Date().toISOString() };
    else skip("table", `the lab run produced no result (rc ${r.rc}); see ${r.outDir}: ${r.stderr.slice(-500)}`);
  }
}

mkdirSync(path.dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
console.log(renderTable(results));
console.log(`\nwritten: ${path.relative(process.cwd(), resultsFile)}`);
