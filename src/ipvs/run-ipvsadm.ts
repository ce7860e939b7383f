// Running the ipvsadm binary: locate it, spawn it with argv (never a shell), bound it in time, collect its output.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { IpvsUnavailableError } from "../errors.js";

/** What one ipvsadm run produced. */
export interface IpvsadmRun {
  readonly argv: readonly string[];
  /** Exit code; null when killed (timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The ipvsadm binary: `explicit` (--ipvsadm) if given, else /sbin/ipvsadm, /usr/sbin/ipvsadm, then PATH. */
export function locateIpvsadm(explicit?: string, envPath = process.env["PATH"] ?? ""): string {
  if (explicit !== undefined) {
    if (!executable(explicit)) throw new IpvsUnavailableError(`ipvsadm not found or not executable at ${explicit} (--ipvsadm)`);
    return explicit;
  }
  const tried = ["/sbin/ipvsadm", "/usr/sbin/ipvsadm", ...envPath.split(":").filter((d) => d !== "").map((d) => path.join(d, "ipvsadm"))];
  for (const candidate of tried) if (executable(candidate)) return candidate;
  throw new IpvsUnavailableError(`ipvsadm not found (tried ${tried.join(", ")}): install the ipvsadm package or pass --ipvsadm PATH`);
}

/** Run `bin argv…` with optional stdin; resolves (never rejects for a non-zero exit) within timeoutMs. */
export function runIpvsadm(bin: string, argv: readonly string[], opts: { readonly input?: string; readonly timeoutMs?: number } = {}): Promise<IpvsadmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    // A wedged ipvsadm (netlink stuck) must not stall the director forever.
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new IpvsUnavailableError(`cannot run ${bin}: ${err.message}`, { cause: err }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ argv, code, stdout, stderr });
    });
    child.stdin.on("error", () => {
      // ipvsadm exiting before reading all of stdin is reported through its exit code and stderr.
    });
    child.stdin.end(opts.input ?? "");
  });
}
