// The real bin/ldirectord-ts as a child process, for the check command tests.
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "../../..");
const bin = join(repoRoot, "bin/ldirectord-ts");

/** What one CLI run gave: exit code (-1 when killed), output, and wall time. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Run the CLI with `--ha-dir haDir` and `args` (20 s at most); never rejects on a non-zero exit. */
export function runCli(haDir: string, args: readonly string[]): Promise<CliRun> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, [bin, "--ha-dir", haDir, ...args], { cwd: repoRoot, timeout: 20_000, env: { ...process.env, NODE_OPTIONS: "" } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
