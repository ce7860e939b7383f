// checktype=external and external-perl: run checkcommand with ldirectord's four arguments; exit 0 = up.
import { performance } from "node:perf_hooks";
import { abortReason, describeError } from "./deadline.js";
import { spawnBounded } from "./spawn-bounded.js";
import { bracketHost, type CheckTarget } from "./target.js";
import type { CheckResult } from "./types.js";

/** The argv after the command: VIP (or the fwmark), VPORT, RIP, RPORT, exactly as ldirectord's check_external. */
export function externalArgs(target: CheckTarget): string[] {
  const v = target.virtual;
  // ldirectord's address form: IPv6 in brackets (scripts written for it expect that).
  const vip = v.fwmark !== undefined ? String(v.fwmark) : bracketHost(v.address ?? "");
  return [vip, String(v.port), bracketHost(target.real.address), String(target.real.port)];
}

/**
 * Run the check command (the whole checkcommand value is the program path, as ldirectord: no shell, no splitting)
 * in its own process group, killed at the timeout. external-perl runs the same way: the file is executed, not
 * loaded into an interpreter, so it needs its #! line and the execute bit.
 */
export async function checkExternal(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const args = externalArgs(target);
  const what = `${target.checkcommand} ${args.join(" ")}`;
  const outcome = await spawnBounded(target.checkcommand, args, signal);
  const durationMs = performance.now() - started;
  const tail = (output: string): string => (output === "" ? "" : ` (${output.split("\n").slice(-1)[0]?.slice(0, 200)})`);
  switch (outcome.kind) {
    case "error":
      return { ok: false, message: `${what}: cannot run: ${describeError(outcome.error)}`, durationMs, cause: outcome.error };
    case "aborted":
      return { ok: false, message: `${what}: ${abortReason(signal, target.timeoutMs)}, killed${tail(outcome.output)}`, durationMs };
    case "exit":
      if (outcome.code === 0) return { ok: true, message: `${what}: exit 0`, durationMs };
      return {
        ok: false,
        message: `${what}: ${outcome.code !== null ? `exit ${outcome.code}` : `killed by ${outcome.signal ?? "a signal"}`}${tail(outcome.output)}`,
        durationMs,
      };
  }
}
