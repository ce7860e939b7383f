#!/usr/bin/env node
// Profile ldirectord-ts under the host benchmark load: runs the daemon with --cpu-prof for one host run
// and prints where the CPU time went (self time by function and by file/package).
//   node bench/profile.mjs [N=10000] [windowS=15]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { hostRun } from "./host/host-bench.mjs";

const n = Number(process.argv[2] ?? 10000);
const windowS = Number(process.argv[3] ?? 15);
const profDir = mkdtempSync(path.join(tmpdir(), "bench-prof-"));
const run = await hostRun(n, { windowS, nodeArgs: ["--cpu-prof", "--cpu-prof-dir", profDir] });
console.log(JSON.stringify(run));
const files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
if (files.length === 0) {
  console.error(`no profile written in ${profDir}: the daemon must exit through process.exit/normal exit on SIGTERM`);
  process.exit(1);
}
console.log(summarize(JSON.parse(readFileSync(path.join(profDir, files[0]), "utf8"))));
console.log(`profile: ${path.join(profDir, files[0])}`);

/** Self time per function and per file (node_modules package or project file), top entries. */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const file = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const url = cf.url.replace(/^file:\/\//, "");
    const where = url.includes("node_modules/") ? url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "$1") : url === "" ? `(${cf.functionName || "native"})` : path.relative(process.cwd(), url);
    const fk = `${cf.functionName || "(anonymous)"}  ${where}:${cf.lineNumber + 1}`;
    fn.set(fk, (fn.get(fk) ?? 0) + us);
    file.set(where, (file.get(where) ?? 0) + us);
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`).join("\n");
  return `total sampled ${(total / 1e6).toFixed(1)} s\n\nby file/package:\n${top(file, 15)}\n\nby function (self):\n${top(fn, 25)}`;
}
