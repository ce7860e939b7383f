// Shared by the failover test files: parse the scenario scripts' RESULT lines (one record per line, since a
// scenario reports the same step several times) and fail loudly when an HA engine is not installed.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding the scenario scripts (heartbeat.sh, pacemaker.sh, lib.sh). */
export const SCENARIO_DIR = path.dirname(fileURLToPath(import.meta.url));

/** One `RESULT key=value …` line as a record (quoted values unquoted). */
export type StepResult = Readonly<Record<string, string>>;

/** Every RESULT line of a scenario's stdout, in order. */
export function parseResults(stdout: string): StepResult[] {
  const out: StepResult[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("RESULT ")) continue;
    const rec: Record<string, string> = {};
    for (const m of line.slice(7).matchAll(/([A-Za-z0-9_.-]+)=("([^"]*)"|\S*)/g)) {
      const key = m[1];
      if (key !== undefined) rec[key] = m[3] ?? m[2] ?? "";
    }
    out.push(rec);
  }
  return out;
}

/** The RESULT records of one step (e.g. "failover"). */
export function stepResults(results: readonly StepResult[], step: string): StepResult[] {
  return results.filter((r) => r["step"] === step);
}

/** Throw, naming the Debian package, when a file an engine needs is missing: a failover test never skips. */
export function assertInstalled(need: Readonly<Record<string, string>>): void {
  const missing = Object.entries(need).filter(([file]) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`failover scenario cannot run, missing: ${missing.map(([f, pkg]) => `${f} (Debian package ${pkg})`).join(", ")}; see .ci/apt-packages`);
  }
}

/** Median of a list of numbers (NaN for an empty list). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
