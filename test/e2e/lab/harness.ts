// The lab harness: boots the user-mode Linux kernel with real IPVS (/work/shared/LAB.md) around a bash script and
// hands its results back to vitest.
//
// How to use it from a test (any workstream):
//
//   import { runInLab, LAB_LIB } from "../lab/harness.js";      // path relative to your test file
//   const r = await runInLab({
//     name: "my-scenario",                       // names the output folder test/e2e/.lab-out/<name>-<pid>-<n>/
//     script: `. ${LAB_LIB}
//              lab_bridge lab0 10.10.0.1/24      # director side of the test LAN
//              lab_add_host rs1 10.10.0.11/24    # a real server in its own network namespace
//              lab_http rs1 80
//              ipvsadm -A -t 10.10.0.100:80 -s wrr && ipvsadm -a -t 10.10.0.100:80 -r 10.10.0.11:80 -m
//              ipvsadm -S -n`,
//     timeoutMs: 60_000,
//   });
//   expect(r.exitCode, r.stderr).toBe(0);       // r.stdout / r.stderr are the script's; r.outDir keeps any file
//                                               // the script wrote to "$LAB_OUT" (the same folder)
//
// The script runs as root under bash inside the lab kernel, in a fresh /tmp and /run, with the whole host tree
// (this checkout, node, ipvsadm) at the same paths, `lo` up and the modules below loaded. It sees LAB_OUT (its
// result folder, outside /tmp), LAB_REPO (this checkout) and any `env` you pass. Only loopback and addresses the
// script itself creates inside the lab kernel may be used as targets.
//
// A boot costs about 3 s (r.bootMs measures boot + module loading until the script starts): put several scenarios
// of one test file into one script where they do not disturb each other, and let vitest run two files at once
// (maxWorkers 2, one per core). runInLab THROWS (LabError) when the kernel cannot start or the script does not
// finish before timeoutMs (the kernel and all its helper processes are killed then): an e2e test never skips.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The checkout this harness lives in (visible at the same path inside the lab). */
export const LAB_REPO = path.resolve(here, "..", "..", "..");
/** The bash helper library for scenario scripts (source it: `. ${LAB_LIB}`). */
export const LAB_LIB = path.join(here, "lib.sh");
/** Where lab runs leave their output (outside /tmp, which is a fresh tmpfs inside the lab; gitignored). */
export const LAB_OUT_ROOT = path.resolve(here, "..", ".lab-out");
/** The kernel binary of Debian's user-mode-linux package. */
export const LAB_KERNEL = "/usr/bin/linux.uml";

/** Modules every boot loads (dependencies are resolved from modules.dep): IPVS, common schedulers, veth, dummy, bridge. */
export const DEFAULT_MODULES: readonly string[] = [
  "net/netfilter/ipvs/ip_vs",
  "net/netfilter/ipvs/ip_vs_rr",
  "net/netfilter/ipvs/ip_vs_wrr",
  "net/netfilter/ipvs/ip_vs_lc",
  "net/netfilter/ipvs/ip_vs_wlc",
  "net/netfilter/ipvs/ip_vs_sh",
  "drivers/net/veth",
  "drivers/net/dummy",
  "net/bridge/bridge",
];

/** One lab run. */
export interface LabRunOptions {
  /** Short name (letters, digits, - and _): names the output folder. */
  readonly name: string;
  /** Bash script run as root inside the lab kernel. */
  readonly script: string;
  /** Wall-clock limit for the whole boot, default 120 s; on expiry the kernel is killed and runInLab throws. */
  readonly timeoutMs?: number;
  /** Lab kernel memory, default 1024 MB. */
  readonly memMB?: number;
  /** Extra modules by path under kernel/ without .ko (e.g. `net/netfilter/ipvs/ip_vs_sed`), after DEFAULT_MODULES. */
  readonly modules?: readonly string[];
  /** Extra environment for the script (names must be shell identifiers). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What a lab run produced. */
export interface LabResult {
  /** The script's exit code. */
  readonly exitCode: number;
  /** The script's stdout and stderr. */
  readonly stdout: string;
  readonly stderr: string;
  /** Kernel console (boot messages, panics): useful when something went wrong. */
  readonly console: string;
  /** The run's folder on the host: the script's $LAB_OUT. */
  readonly outDir: string;
  /** From spawning the kernel to the script starting (boot + module loading), ms. */
  readonly bootMs: number;
  /** The script's own run time inside the lab, ms. */
  readonly scriptMs: number;
  /** From spawn to the kernel's exit, ms. */
  readonly wallMs: number;
}

/** The lab kernel did not start, or the script did not finish in time: an operator/CI problem, never a skip. */
export class LabError extends Error {
  /** Stable code for callers. */
  readonly code: "LAB_MISSING" | "LAB_BOOT_FAILED" | "LAB_TIMEOUT";
  /** What the run left behind (partial stdout/stderr/console), when it got that far. */
  readonly partial: Partial<LabResult> | undefined;
  constructor(code: LabError["code"], message: string, partial?: Partial<LabResult>) {
    super(message);
    this.name = "LabError";
    this.code = code;
    this.partial = partial;
  }
}

let runCounter = 0;

/** Fail loudly (LabError LAB_MISSING) when the lab kernel or its modules are not installed. */
export function assertLabInstalled(): void {
  if (!existsSync(LAB_KERNEL)) {
    throw new LabError("LAB_MISSING", `${LAB_KERNEL} not found: install the Debian package user-mode-linux (see .ci/apt-packages)`);
  }
  if (!existsSync("/usr/lib/uml/modules")) {
    throw new LabError("LAB_MISSING", "/usr/lib/uml/modules not found: the user-mode-linux package is incomplete");
  }
  for (const tool of ["/usr/sbin/ipvsadm", "/usr/sbin/ip"]) {
    if (!existsSync(tool) && !existsSync(tool.replace("/usr/sbin", "/sbin"))) {
      throw new LabError("LAB_MISSING", `${tool} not found: install ipvsadm and iproute2 (see .ci/apt-packages)`);
    }
  }
}

/** Quote a value for a POSIX shell single-quoted string. */
function shq(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Kill the kernel's whole process group (linux.uml forks helper processes that outlive the main one otherwise). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone: nothing to clean up
  }
}

async function readIf(file: string): Promise<string> {
  return existsSync(file) ? readFile(file, "utf8") : "";
}

async function readNs(file: string): Promise<number | undefined> {
  const text = (await readIf(file)).trim();
  return text === "" ? undefined : Number(BigInt(text) / 1_000_000n);
}

/** Boot the lab kernel, run `script` in it, wait for the halt and return the script's results. */
export async function runInLab(opts: LabRunOptions): Promise<LabResult> {
  assertLabInstalled();
  if (!/^[A-Za-z0-9_-]+$/.test(opts.name)) throw new Error(`runInLab: bad name ${JSON.stringify(opts.name)}`);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  runCounter += 1;
  const outDir = path.join(LAB_OUT_ROOT, `${opts.name}-${process.pid}-${runCounter}`);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const env: Record<string, string> = {
    LAB_OUT: outDir,
    LAB_REPO,
    LAB_LIB,
    // The host's PATH first, so node and friends resolve inside the lab exactly as on the host.
    PATH: `${process.env["PATH"] ?? ""}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: "/root",
    ...opts.env,
  };
  const envLines = Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`runInLab: bad env name ${k}`);
    return `export ${k}=${shq(v)}`;
  });
  await writeFile(path.join(outDir, "env.sh"), envLines.join("\n") + "\n");
  await writeFile(path.join(outDir, "modules.txt"), [...DEFAULT_MODULES, ...(opts.modules ?? [])].join("\n") + "\n");
  await writeFile(path.join(outDir, "job.sh"), `set -u\n${opts.script}\n`, { mode: 0o755 });

  const args = [
    `mem=${opts.memMB ?? 1024}M`, "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "rw",
    `init=${path.join(here, "init.sh")}`, "quiet", "con=null", "con0=null,fd:2",
    `LAB_DIR=${outDir}`,
  ];
  const started = Date.now();
  // Own process group (detached) so a timeout can kill the kernel and every helper it forked at once.
  const child = spawn(LAB_KERNEL, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let consoleText = "";
  child.stderr.on("data", (d: Buffer) => {
    if (consoleText.length < 200_000) consoleText += d.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeoutMs);
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.on("error", (err) => resolve(err));
    child.on("close", () => resolve(undefined));
  });
  clearTimeout(timer);
  killGroup(child.pid);
  const wallMs = Date.now() - started;

  const rcText = (await readIf(path.join(outDir, "rc"))).trim();
  const tInit = await readNs(path.join(outDir, "t-init"));
  const tJob = await readNs(path.join(outDir, "t-job"));
  const tEnd = await readNs(path.join(outDir, "t-end"));
  const partial: Partial<LabResult> = {
    stdout: await readIf(path.join(outDir, "stdout")),
    stderr: await readIf(path.join(outDir, "stderr")),
    console: consoleText,
    outDir,
    wallMs,
  };
  const tail = (s: string): string => s.slice(-3000);
  if (spawnError !== undefined) {
    throw new LabError("LAB_BOOT_FAILED", `could not start ${LAB_KERNEL}: ${spawnError.message}`, partial);
  }
  if (timedOut) {
    throw new LabError(
      "LAB_TIMEOUT",
      `lab run ${opts.name} did not finish within ${timeoutMs} ms (kernel killed; output kept in ${outDir})\n` +
        `--- script stderr (tail)\n${tail(partial.stderr ?? "")}\n--- console (tail)\n${tail(consoleText)}`,
      partial,
    );
  }
  if (rcText === "" || tInit === undefined) {
    throw new LabError(
      "LAB_BOOT_FAILED",
      `lab kernel for ${opts.name} exited after ${wallMs} ms without ${tInit === undefined ? "running init" : "finishing the script"}` +
        ` (output in ${outDir})\n--- insmod.log\n${tail(await readIf(path.join(outDir, "insmod.log")))}\n` +
        `--- script stderr (tail)\n${tail(partial.stderr ?? "")}\n--- console (tail)\n${tail(consoleText)}`,
      partial,
    );
  }
  return {
    exitCode: Number(rcText),
    stdout: partial.stdout ?? "",
    stderr: partial.stderr ?? "",
    console: consoleText,
    outDir,
    bootMs: tJob !== undefined ? tJob - started : wallMs,
    scriptMs: tJob !== undefined && tEnd !== undefined ? tEnd - tJob : 0,
    wallMs,
  };
}

/** Remove a run's output folder (call it when the test passed; keep it on failure for inspection). */
export async function cleanLab(result: { readonly outDir: string }): Promise<void> {
  await rm(result.outDir, { recursive: true, force: true });
}

/**
 * Register hooks that remove the lab run's folder after the test file, unless one of its tests failed: then the
 * folder (kernel table snapshots, scenario logs) is kept for inspection. `current` returns the run, once booted.
 */
export function cleanLabAfterPassing(current: () => { readonly outDir: string } | undefined): void {
  let anyFailed = false;
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") anyFailed = true;
  });
  afterAll(async () => {
    const lab = current();
    if (lab !== undefined && !anyFailed) await cleanLab(lab);
  });
}

/** `RESULT key=value …` lines (as lib.sh's lab_result prints them) parsed into one record, later keys win. */
export function labResults(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("RESULT ")) continue;
    for (const m of line.slice(7).matchAll(/([A-Za-z0-9_.-]+)=("([^"]*)"|\S*)/g)) {
      const key = m[1];
      if (key !== undefined) out[key] = m[3] ?? m[2] ?? "";
    }
  }
  return out;
}

/** Text between `=== BEGIN name` and `=== END name` markers (lib.sh's lab_section), for several scenarios per boot. */
export function labSection(stdout: string, name: string): string {
  const begin = stdout.indexOf(`=== BEGIN ${name}\n`);
  if (begin < 0) throw new Error(`lab output has no section ${name}`);
  const from = begin + `=== BEGIN ${name}\n`.length;
  const end = stdout.indexOf(`=== END ${name}\n`, from);
  return end < 0 ? stdout.slice(from) : stdout.slice(from, end);
}
