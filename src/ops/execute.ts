// execute= (§4.5): other configs started, stopped and reloaded together with this one. ldirectord runs
// `ldirectord NAME start|stop|reload` via system(); we invoke our own executable the same way, as argv, bounded.
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { runBounded } from "./run-bounded.js";

/** Bound on one start/stop/reload of another instance. */
export const EXECUTE_TIMEOUT_MS = 60_000;

/** What to do with the execute= instances when the config changes from `before` to `after`. Pure. */
export function executePlan(before: readonly string[], after: readonly string[]): { stop: string[]; reload: string[]; start: string[] } {
  const a = new Set(after);
  const b = new Set(before);
  return { stop: [...b].filter((n) => !a.has(n)), reload: [...a].filter((n) => b.has(n)), start: [...a].filter((n) => !b.has(n)) };
}

/** Our own executable as argv: node + bin/ldirectord-ts (found relative to this module in src/ and dist/). */
export function defaultSelfCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL("../../bin/ldirectord-ts", import.meta.url))];
}

/** Runs `SELF NAME command` for each execute= instance. */
export interface Instances {
  run(names: readonly string[], command: "start" | "stop" | "reload"): Promise<void>;
}

/** Create the runner; `self` is the argv prefix that invokes ldirectord-ts (with any global options). */
export function createInstances(deps: { readonly logger: Logger; readonly self?: readonly string[]; readonly timeoutMs?: number }): Instances {
  const self = deps.self ?? defaultSelfCommand();
  const one = async (name: string, command: "start" | "stop" | "reload"): Promise<boolean> => {
    const argv = [...self, name, command];
    const out = await runBounded(argv, { timeoutMs: deps.timeoutMs ?? EXECUTE_TIMEOUT_MS });
    const ok = out.error === undefined && out.code === 0;
    (ok ? deps.logger.info.bind(deps.logger) : deps.logger.error.bind(deps.logger))(
      { instance: name, command, code: out.code, timedOut: out.timedOut, output: out.output.trim() },
      `execute: ldirectord-ts ${name} ${command} ${ok ? "done" : `failed${out.error === undefined ? "" : `: ${out.error}`}`}`,
    );
    return ok;
  };
  return {
    async run(names, command) {
      await Promise.all(
        names.map(async (n) => {
          // As ldirectord: an instance that cannot reload is started.
          if (!(await one(n, command)) && command === "reload") await one(n, "start");
        }),
      );
    },
  };
}
