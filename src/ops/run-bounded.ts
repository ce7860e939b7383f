// Run a program (argv, no shell) with a time bound: TERM at the deadline, KILL a few seconds later. The outcome
// is a value, never an exception: a fallback command that fails must not disturb the director.
import { spawn } from "node:child_process";

/** How a bounded run ended. */
export interface RunOutcome {
  readonly argv: readonly string[];
  /** Exit code, or null when killed by a signal or never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Why it could not start (ENOENT, EACCES …). */
  readonly error?: string;
  /** The last 2 KB of stdout+stderr. */
  readonly output: string;
  readonly durationMs: number;
}

/** Run argv with a deadline; resolves when the process has exited (or failed to start). */
export function runBounded(argv: readonly string[], o: { readonly timeoutMs: number; readonly killAfterMs?: number; readonly env?: NodeJS.ProcessEnv }): Promise<RunOutcome> {
  const started = Date.now();
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve({ argv, code: null, signal: null, timedOut: false, error: "empty command", output: "", durationMs: 0 });
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let settled = false;
    // Own process group, so a timeout kills the script's children too (a shell's `sleep` would keep running).
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env: o.env ?? process.env, detached: true });
    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const keep = (d: Buffer): void => {
      output = (output + d.toString()).slice(-2048);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let kill: NodeJS.Timeout | undefined;
    const term = setTimeout(() => {
      timedOut = true;
      signalGroup("SIGTERM");
      kill = setTimeout(() => signalGroup("SIGKILL"), o.killAfterMs ?? 5_000);
    }, o.timeoutMs);
    const done = (r: Omit<RunOutcome, "argv" | "output" | "durationMs" | "timedOut">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ argv, ...r, timedOut, output, durationMs: Date.now() - started });
    };
    child.on("error", (err) => done({ code: null, signal: null, error: err.message }));
    child.on("close", (code, signal) => done({ code, signal }));
    // A command that leaves a background process holding its stdout (it started a daemon) has still finished.
    child.on("exit", (code, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        done({ code, signal });
      }, 500).unref();
    });
  });
}
