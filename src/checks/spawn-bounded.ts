// Run a program with an argv (never a shell) in its own process group, killing the whole group when the signal
// fires, so a check script that forks cannot outlive its check.
import { spawn } from "node:child_process";

/** How a bounded run ended. */
export type SpawnOutcome =
  | { readonly kind: "exit"; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly output: string }
  | { readonly kind: "aborted"; readonly output: string }
  | { readonly kind: "error"; readonly error: Error };

/** Most output kept for a message: check commands may print a lot, the reason is at the end. */
const MAX_OUTPUT = 4096;

/** Spawn `file` with `args`; resolves when it exits, cannot start, or `signal` fires (then the group is SIGKILLed). */
export function spawnBounded(file: string, args: readonly string[], signal: AbortSignal): Promise<SpawnOutcome> {
  return new Promise<SpawnOutcome>((resolve) => {
    let output = "";
    let settled = false;
    const child = spawn(file, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-MAX_OUTPUT);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const finish = (outcome: SpawnOutcome): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      // A background grandchild may hold the pipes open; do not wait for their end.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(outcome);
    };
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => {
      killGroup();
      finish({ kind: "aborted", output: output.trim() });
    };
    child.once("error", (error) => finish({ kind: "error", error }));
    child.once("exit", (code, sig) => {
      // The command is done; children it left behind in its group are part of the check and go with it.
      killGroup();
      finish({ kind: "exit", code, signal: sig, output: output.trim() });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}
