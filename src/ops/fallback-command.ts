// fallbackcommand (§3.3): `CMD start|stop VIP:VPORT PROTO` when a virtual's fallback state changes, edge-triggered
// per virtual, run as argv without a shell (quotes and backslashes respected), bounded in time, one at a time
// per virtual so a start is never overtaken by the following stop.
import { parse } from "shell-quote";
import type { Logger } from "pino";
import type { VirtualService } from "../config/types.js";
import { runBounded, type RunOutcome } from "./run-bounded.js";

/** Default bound on one run of the fallback command. */
export const FALLBACK_TIMEOUT_MS = 30_000;

/** Split a command line into argv without a shell; `$VAR` stays literal. Shell operators are an error (returned). Pure. */
export function splitCommand(line: string): { readonly argv: string[] } | { readonly error: string } {
  const argv: string[] = [];
  for (const e of parse(line, (key) => `$${key}`)) {
    if (typeof e === "string") argv.push(e);
    else if ("op" in e && e.op === "glob") argv.push(e.pattern);
    else if ("op" in e) return { error: `shell operator "${e.op}" in "${line}": fallbackcommand runs without a shell; put the pipeline in a script` };
    else if ("comment" in e) break;
  }
  if (argv.length === 0) return { error: "empty command" };
  return { argv };
}

/**
 * The arguments after the command: `start|stop VIP:VPORT PROTO` (`[v6]:PORT` for IPv6). For fwmark virtuals
 * ldirectord passes `:0 fwm` (no address); we pass `MARK:0 fwm` so the script can tell virtuals apart. Pure.
 */
export function fallbackArgs(state: "on" | "off", v: Pick<VirtualService, "protocol" | "family" | "address" | "port" | "fwmark">): string[] {
  const where = v.protocol === "fwm" || v.address === undefined ? `${v.fwmark ?? 0}:0` : v.family === 6 ? `[${v.address}]:${v.port}` : `${v.address}:${v.port}`;
  return [state === "on" ? "start" : "stop", where, v.protocol];
}

/** The fallback command runner of a director. */
export interface FallbackCommands {
  /** The fallback state of a virtual changed (as the director sees it). */
  change(v: VirtualService, state: "on" | "off"): void;
  /** Config reloaded: keep the edge state of virtuals whose command did not change. */
  reload(virtuals: readonly VirtualService[]): void;
  /** Wait for running commands (bounded by their own timeout). */
  idle(): Promise<void>;
}

/** Create the runner. `onRun` observes each outcome (tests, metrics). */
export function createFallbackCommands(deps: {
  readonly logger: Logger;
  readonly scrub: (s: string) => string;
  readonly timeoutMs?: number;
  readonly onRun?: (o: RunOutcome) => void;
}): FallbackCommands {
  const last = new Map<string, { command: string; state: "on" | "off" }>();
  const chains = new Map<string, Promise<void>>();
  const badWarned = new Set<string>();

  const run = async (v: VirtualService, command: string, state: "on" | "off"): Promise<void> => {
    const split = splitCommand(command);
    if ("error" in split) {
      if (!badWarned.has(command)) deps.logger.error({ vs: v.key, fallbackcommand: deps.scrub(command) }, `fallbackcommand not run: ${deps.scrub(split.error)}`);
      badWarned.add(command);
      return;
    }
    const argv = [...split.argv, ...fallbackArgs(state, v)];
    const shown = deps.scrub(argv.join(" "));
    const out = await runBounded(argv, { timeoutMs: deps.timeoutMs ?? FALLBACK_TIMEOUT_MS });
    deps.onRun?.(out);
    const fields = { vs: v.key, command: shown, code: out.code, signal: out.signal, durationMs: out.durationMs, output: deps.scrub(out.output.trim()) };
    if (out.error !== undefined) deps.logger.error(fields, `system(${shown}) failed: ${out.error}`);
    else if (out.timedOut) deps.logger.error(fields, `system(${shown}) killed after ${deps.timeoutMs ?? FALLBACK_TIMEOUT_MS} ms`);
    else if (out.code !== 0) deps.logger.error(fields, `system(${shown}) failed: exit ${out.code ?? out.signal ?? "?"}`);
    else deps.logger.info(fields, `fallbackcommand: ${shown}`);
  };

  return {
    change(v, state) {
      const command = v.fallbackcommand;
      if (command === undefined || command.trim() === "") return;
      const prev = last.get(v.key);
      // Edge-triggered: the same state twice runs the command once.
      if (prev !== undefined && prev.command === command && prev.state === state) return;
      last.set(v.key, { command, state });
      const chain = (chains.get(v.key) ?? Promise.resolve()).then(() => run(v, command, state));
      chains.set(v.key, chain);
      void chain.finally(() => {
        if (chains.get(v.key) === chain) chains.delete(v.key);
      });
    },
    reload(virtuals) {
      const keep = new Map(virtuals.map((v) => [v.key, v.fallbackcommand]));
      for (const [key, s] of last) if (keep.get(key) !== s.command) last.delete(key);
    },
    async idle() {
      await Promise.all([...chains.values()]);
    },
  };
}
