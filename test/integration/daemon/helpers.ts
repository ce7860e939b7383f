// Helpers for the daemon process tests: loopback HTTP real servers, a temp HA/run dir, and the real executable.
import { createServer, type Server } from "node:http";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, mkdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";

/** The real executable under test. */
export const BIN = fileURLToPath(new URL("../../../bin/ldirectord-ts", import.meta.url));

/** A loopback HTTP server answering /health with 200 "OK" while healthy and 503 otherwise. */
export interface RealHttp {
  readonly port: number;
  healthy: boolean;
  hits: number;
  close(): Promise<void>;
}

/** Start a real server on 127.0.0.1:0. */
export async function startReal(): Promise<RealHttp> {
  const state = { healthy: true, hits: 0 };
  const server: Server = createServer((req, res) => {
    state.hits += 1;
    if (req.url === "/health" && state.healthy) {
      res.writeHead(200, { "content-type": "text/plain" }).end("OK\n");
    } else {
      res.writeHead(503).end("down\n");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get healthy() {
      return state.healthy;
    },
    set healthy(v: boolean) {
      state.healthy = v;
    },
    get hits() {
      return state.hits;
    },
    set hits(v: number) {
      state.hits = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A temp directory with ha/ (configs) and run/ (pid and state files). */
export interface Sandbox {
  readonly dir: string;
  readonly haDir: string;
  readonly runDir: string;
  readonly logFile: string;
  cleanup(): Promise<void>;
}

/** Create a sandbox. */
export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "ldts-daemon-"));
  const haDir = join(dir, "ha");
  const runDir = join(dir, "run");
  await mkdir(haDir);
  await mkdir(runDir);
  return { dir, haDir, runDir, logFile: join(dir, "director.log"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A config with one virtual on 127.0.0.1:vport and the given real ports (HTTP negotiate on /health). */
export function httpConfig(o: { logFile: string; vport: number; reals: readonly { port: number; weight?: number }[]; autoreload?: boolean; extra?: string; quiescent?: boolean; cleanstop?: boolean }): string {
  const reals = o.reals.map((r) => `\treal=127.0.0.1:${r.port} masq ${r.weight ?? 1}`).join("\n");
  return [
    `checkinterval=1`,
    `logfile="${o.logFile}"`,
    `autoreload=${o.autoreload === true ? "yes" : "no"}`,
    `quiescent=${o.quiescent === true ? "yes" : "no"}`,
    ...(o.extra === undefined ? [] : [o.extra]),
    `virtual=127.0.0.1:${o.vport}`,
    reals,
    `\tservice=http`,
    `\trequest="/health"`,
    `\treceive="OK"`,
    `\tchecktype=negotiate`,
    `\tnegotiatetimeout=2`,
    `\tcleanstop=${o.cleanstop === false ? "no" : "yes"}`,
    `\tscheduler=wrr`,
    ``,
  ].join("\n");
}

/** The outcome of one CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Run bin/ldirectord-ts with args (bounded by timeoutMs); env extends the test's own. */
export function cli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; argv0?: string } = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(opts.argv0 ?? BIN, [...args], { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`ldirectord-ts ${args.join(" ")} did not finish within ${opts.timeoutMs ?? 60_000} ms; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Poll `fn` every 100 ms until it returns a truthy value or timeoutMs passes (then throw with `what`). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The log file's JSON lines (the daemon logs JSON to logfile=). */
export async function logLines(file: string): Promise<{ msg: string; level: number; [k: string]: unknown }[]> {
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { msg: string; level: number });
}

/** True when pid is alive (signal 0) and not a zombie. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}
