// Shared by the ipvs lab scenarios (run with node INSIDE the lab kernel, see test/e2e/lab/harness.ts). They drive the
// compiled program (dist/) and record the kernel table as ipvsadm and /proc print it, for the vitest side to assert.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

export const REPO = process.env.LAB_REPO;
export const OUT = process.env.LAB_OUT;
if (!REPO || !OUT) throw new Error("run inside the lab: LAB_REPO and LAB_OUT are not set");

/** The compiled modules under test. */
export const ipvs = await import(path.join(REPO, "dist/ipvs/index.js"));
export const cfg = await import(path.join(REPO, "dist/config/index.js"));
export const checks = await import(path.join(REPO, "dist/checks/index.js"));

/** ipvsadm as a plain command (hand edits, read back): argv, no shell. */
export function ipvsadm(...args) {
  return execFileSync("ipvsadm", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Record the kernel table now: NAME.save (ipvsadm -S -n), NAME.proc (/proc/net/ip_vs), NAME.thresholds. */
export function snapshot(name) {
  writeFileSync(path.join(OUT, `${name}.save`), ipvsadm("-S", "-n"));
  writeFileSync(path.join(OUT, `${name}.proc`), execFileSync("cat", ["/proc/net/ip_vs"], { encoding: "utf8" }));
  writeFileSync(path.join(OUT, `${name}.thresholds`), ipvsadm("-L", "-n", "--thresholds"));
}

/** A machine-readable result line for the vitest side (labResults). */
export function result(key, value) {
  process.stdout.write(`RESULT ${key}=${JSON.stringify(String(value))}\n`);
}

/** Parse config text the way the daemon does (no DNS: addresses only). */
export async function config(text, file = "/tmp/scenario.cf") {
  const r = await cfg.parseConfig(text, file, { resolveHost: async () => undefined });
  if (!r.config) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join("\n"));
  return r.config;
}

/** A health view answering `up` for every real. */
export const allUp = { health: () => "up" };

/** Elapsed ms of an async function. */
export async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}
