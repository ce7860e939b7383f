// Boot the user-mode Linux IPVS kernel (LAB.md) with a job script as the workload, wait for it to halt and
// return what the job wrote. One boot at a time per caller; every boot is bounded by a timeout.
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where lab runs leave their output (outside /tmp, which is a fresh tmpfs inside the lab). */
export const LAB_OUT_ROOT = path.resolve(here, "..", ".lab-out");

/** Boot the lab kernel running `jobScript` (sh text); resolves with { rc, stdout, stderr, outDir, wallMs }. */
export async function runInLab(name, jobScript, { timeoutMs = 600_000, memMb = 1024 } = {}) {
  const outDir = path.join(LAB_OUT_ROOT, `${name}-${process.pid}-${Date.now()}`);
  await mkdir(outDir, { recursive: true });
  const job = path.join(outDir, "job.sh");
  await writeFile(job, jobScript, { mode: 0o755 });
  const args = [
    `mem=${memMb}M`, "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "rw",
    `init=${path.join(here, "init.sh")}`, "quiet", "con=null", "con0=null,fd:2",
    `LAB_JOB=${job}`, `LAB_OUT=${outDir}`,
  ];
  const started = Date.now();
  const child = spawn("linux.uml", args, { stdio: ["ignore", "ignore", "pipe"] });
  let console = "";
  child.stderr.on("data", (d) => { if (console.length < 200_000) console += d.toString(); });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exit = await new Promise((resolve) => child.on("exit", (code, sig) => resolve({ code, sig })));
  clearTimeout(timer);
  const wallMs = Date.now() - started;
  const read = async (f) => (existsSync(path.join(outDir, f)) ? readFile(path.join(outDir, f), "utf8") : "");
  const rcText = (await read("rc")).trim();
  const result = {
    rc: rcText === "" ? null : Number(rcText),
    stdout: await read("stdout"),
    stderr: await read("stderr"),
    console,
    outDir,
    wallMs,
    killed: exit.sig === "SIGKILL",
  };
  return result;
}

/** Remove a lab output folder (kept on failure for inspection). */
export async function cleanLab(outDir) {
  await rm(outDir, { recursive: true, force: true });
}
