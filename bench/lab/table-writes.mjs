// Runs INSIDE the lab kernel: time to apply real-server changes to the kernel IPVS table through ipvsadm,
// one `ipvsadm -R` batch vs. one ipvsadm process per change, and (when built) through ldirectord-ts's own
// ipvsadm backend. Writes one JSON object to --out.
// Usage: node table-writes.mjs --out FILE [--changes 10000] [--single 1000]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { readRealWeights } from "../lib/ipvs-proc.mjs";
import { round } from "../lib/stats.mjs";

const { values: opt } = parseArgs({
  options: {
    out: { type: "string" },
    changes: { type: "string", default: "10000" },
    single: { type: "string", default: "1000" },
    dist: { type: "string", default: new URL("../../dist", import.meta.url).pathname },
  },
});
const CHANGES = Number(opt.changes);
const SINGLE = Number(opt.single);
const PER_VIRTUAL = 100;
const virtuals = Math.ceil(CHANGES / PER_VIRTUAL);

// Reals must be routable: one dummy interface carries the whole 10.201.0.0/16 lab subnet.
execFileSync("ip", ["link", "add", "bench0", "type", "dummy"]);
execFileSync("ip", ["addr", "add", "10.201.255.254/16", "dev", "bench0"]);
execFileSync("ip", ["link", "set", "bench0", "up"]);

const vip = (v) => `10.100.${Math.floor(v / 250)}.${(v % 250) + 1}:80`;
const rip = (i) => `10.201.${Math.floor(i / 250)}.${(i % 250) + 1}:80`;
/** Change i: real i of virtual ⌊i/100⌋. */
const realOf = (i) => ({ v: vip(Math.floor(i / PER_VIRTUAL)), r: rip(i) });

function resetTable() {
  execFileSync("ipvsadm", ["-C"]);
  const lines = [];
  for (let v = 0; v < virtuals; v++) lines.push(`-A -t ${vip(v)} -s wrr`);
  execFileSync("ipvsadm", ["-R"], { input: lines.join("\n") + "\n" });
}

function countReals(pred = () => true) {
  let n = 0;
  for (const w of readRealWeights().values()) if (pred(w)) n++;
  return n;
}

function batch(lines) {
  const t0 = performance.now();
  const r = spawnSync("ipvsadm", ["-R"], { input: lines.join("\n") + "\n", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0 || r.stderr.length > 0) throw new Error(`ipvsadm -R: ${r.status} ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

function singles(argvs) {
  const t0 = performance.now();
  for (const a of argvs) {
    const r = spawnSync("ipvsadm", a);
    if (r.status !== 0) throw new Error(`ipvsadm ${a.join(" ")}: ${r.status} ${r.stderr}`);
  }
  return performance.now() - t0;
}

const out = { changes: CHANGES, singleSample: SINGLE, virtuals };
// 1. One batch: add CHANGES reals, then change every weight.
resetTable();
const adds = [];
const edits = [];
for (let i = 0; i < CHANGES; i++) {
  const { v, r } = realOf(i);
  adds.push(`-a -t ${v} -r ${r} -g -w 1`);
  edits.push(`-e -t ${v} -r ${r} -g -w 2`);
}
out.batchAddMs = round(batch(adds));
if (countReals((w) => w === 1) !== CHANGES) throw new Error("batch add: table incomplete");
out.batchEditMs = round(batch(edits));
if (countReals((w) => w === 2) !== CHANGES) throw new Error("batch edit: table incomplete");

// 2. One process per change, on a sample (a full 10,000 would take minutes in the lab); per-change cost is linear.
resetTable();
const singleAdds = [];
const singleEdits = [];
for (let i = 0; i < SINGLE; i++) {
  const { v, r } = realOf(i);
  singleAdds.push(["-a", "-t", v, "-r", r, "-g", "-w", "1"]);
  singleEdits.push(["-e", "-t", v, "-r", r, "-g", "-w", "2"]);
}
out.singleAddMs = round(singles(singleAdds));
out.singleEditMs = round(singles(singleEdits));
if (countReals((w) => w === 2) !== SINGLE) throw new Error("single edits: table incomplete");
out.singlePerChangeMs = round((out.singleAddMs + out.singleEditMs) / (2 * SINGLE), 2);
out.batchPerChangeMs = round((out.batchAddMs + out.batchEditMs) / (2 * CHANGES), 3);
out.singleExtrapolatedMs = round(out.singlePerChangeMs * CHANGES);

// 3. ldirectord-ts's own ipvsadm backend, found the way the daemon finds it (src/daemon/ipvs-wiring.ts).
async function findCreateBackend() {
  for (const f of ["index.js", "backend.js", "backends.js", "create-backend.js"]) {
    const file = `${opt.dist}/ipvs/${f}`;
    if (!existsSync(file)) continue;
    const mod = await import(file);
    if (typeof mod.createBackend === "function") return mod.createBackend;
  }
  return undefined;
}
const createBackend = await findCreateBackend();
if (createBackend !== undefined) {
  try {
    const backend = await createBackend("ipvsadm", { log: () => undefined });
    resetTable();
    const svc = (v) => {
      const [address, port] = vip(v).split(":");
      return { key: `tcp:${address}:${port}`, protocol: "tcp", family: 4, address, port: Number(port), scheduler: "wrr", ops: false };
    };
    const real = (i, weight) => {
      const [address, port] = rip(i).split(":");
      return { address, family: 4, port: Number(port), forward: "gate", weight, upperThreshold: 0, lowerThreshold: 0 };
    };
    const mk = (kind, weight) => Array.from({ length: CHANGES }, (_, i) => ({ kind, service: svc(Math.floor(i / PER_VIRTUAL)), real: real(i, weight) }));
    let t0 = performance.now();
    let res = await backend.apply(mk("add-real", 1));
    out.backendAddMs = round(performance.now() - t0);
    out.backendAddFailed = res.failed.length;
    t0 = performance.now();
    res = await backend.apply(mk("edit-real", 2));
    out.backendEditMs = round(performance.now() - t0);
    out.backendEditFailed = res.failed.length;
    if (countReals((w) => w === 2) !== CHANGES) out.backendError = `table incomplete after backend edits (failed: ${JSON.stringify(res.failed.slice(0, 2))})`;
    t0 = performance.now();
    const table = await backend.read();
    out.backendReadMs = round(performance.now() - t0);
    out.backendReadReals = table.reduce((a, s) => a + s.reals.length, 0);
  } catch (err) {
    out.backendError = String(err?.stack ?? err);
  }
} else {
  out.backendError = `not measured: no createBackend in ${opt.dist}/ipvs/ (src/ipvs not built yet)`;
}
writeFileSync(opt.out, JSON.stringify(out, null, 2));
