// Failover benchmark: cut -> served-again through the other director, ldirectord-ts next to Debian's ldirectord
// 4.12, under Heartbeat and under Corosync + Pacemaker, in the lab kernel. Not part of `npm test` (minutes per run).
//   npx vite-node test/e2e/failover/bench.ts -- [--trials N] [--engines heartbeat,pacemaker] [--directors ts,ldirectord]
// Runs one boot per (engine, director), directors interleaved so both see the same machine load, and writes
// test/e2e/failover/bench-results.json plus a Markdown table on stdout.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { runInLab } from "../lab/harness.js";
import { assertInstalled, median, parseResults, SCENARIO_DIR, stepResults } from "./results.js";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    trials: { type: "string", default: "3" },
    engines: { type: "string", default: "heartbeat,pacemaker" },
    directors: { type: "string", default: "ts,ldirectord" },
  },
});
const trials = Number(values.trials);
const engines = values.engines.split(",");
const directors = values.directors.split(",");
if (directors.includes("ldirectord")) assertInstalled({ "/usr/sbin/ldirectord": "ldirectord" });

interface Row { engine: string; director: string; trial: number; failoverMs: number; engineMs: number | null; directorMs: number | null }
const rows: Row[] = [];
const started = new Date().toISOString();
for (const engine of engines) {
  for (const director of directors) {
    const t0 = Date.now();
    const lab = await runInLab({
      name: `failover-bench-${engine}-${director}`,
      script: `bash ${path.join(SCENARIO_DIR, `${engine}.sh`)}`,
      // No extra steps: cut, measure, let the old node rejoin, cut the other way, and so on.
      env: { DIRECTOR: director, FO_TRIALS: String(trials), FO_STEPS: "none" },
      timeoutMs: 300_000 + trials * 240_000,
    });
    const results = parseResults(lab.stdout);
    const fatal = results.find((r) => r["fatal"] !== undefined);
    if (fatal !== undefined) console.error(`${engine}/${director}: ${fatal["fatal"]} (see ${lab.outDir})`);
    for (const r of stepResults(results, "failover")) {
      const num = (k: string): number | null => (r[k] !== undefined && /^-?\d+$/.test(r[k] ?? "") ? Number(r[k]) : null);
      rows.push({ engine, director, trial: Number(r["trial"]), failoverMs: Number(r["failover_ms"]), engineMs: num("engine_ms"), directorMs: num("director_ms") });
    }
    console.error(`${engine}/${director}: ${Math.round((Date.now() - t0) / 1000)} s, ${rows.filter((x) => x.engine === engine && x.director === director).length} trials`);
  }
}

const s = (ms: number): string => (Number.isNaN(ms) ? "-" : (ms / 1000).toFixed(1));
const lines = ["| engine | director | trials | cut → served, median (min–max) s | engine part, median s | director part, median s |", "|---|---|---|---|---|---|"];
for (const engine of engines) {
  for (const director of directors) {
    const sel = rows.filter((r) => r.engine === engine && r.director === director);
    const f = sel.map((r) => r.failoverMs);
    const e = sel.flatMap((r) => (r.engineMs === null ? [] : [r.engineMs]));
    const d = sel.flatMap((r) => (r.directorMs === null ? [] : [r.directorMs]));
    lines.push(`| ${engine} | ${director === "ts" ? "ldirectord-ts" : "ldirectord 4.12"} | ${sel.length} | ${s(median(f))} (${s(Math.min(...f))}–${s(Math.max(...f))}) | ${s(median(e))} | ${s(median(d))} |`);
  }
}
console.log(lines.join("\n"));
await writeFile(path.join(SCENARIO_DIR, "bench-results.json"), JSON.stringify({ started, finished: new Date().toISOString(), trials, rows }, null, 2) + "\n");
