// Builds (virtual, real) pairs for check tests through the real config parser, so tests use what users write.
import { parseConfig } from "../../../src/config/index.js";
import type { RealServer, VirtualService } from "../../../src/config/types.js";
import { runCheck, type CheckPhase, type CheckResult } from "../../../src/checks/index.js";

/** Parse config text; fail with every diagnostic when it has errors. */
export async function virtualsOf(text: string): Promise<readonly VirtualService[]> {
  const result = await parseConfig(text, "/test/ldirectord.cf");
  if (result.config === undefined) throw new Error(`config rejected:\n${result.diagnostics.map((d) => `${d.line}: ${d.message}`).join("\n")}\n${text}`);
  return result.config.virtuals;
}

/** The first virtual of `text` and its first real. */
export async function pairOf(text: string): Promise<{ virtual: VirtualService; real: RealServer }> {
  const [virtual] = await virtualsOf(text);
  const real = virtual?.reals[0];
  if (virtual === undefined || real === undefined) throw new Error(`no virtual with a real in:\n${text}`);
  return { virtual, real };
}

/** Run the check of the first real of the first virtual of `text`. */
export async function checkOf(text: string, phase?: CheckPhase, signal?: AbortSignal): Promise<CheckResult> {
  const { virtual, real } = await pairOf(text);
  return runCheck(virtual, real, { ...(phase !== undefined ? { phase } : {}), ...(signal !== undefined ? { signal } : {}) });
}

/** A config block: a virtual on a documentation address (never contacted) with one real at host:port. */
export function block(opts: { real: string; lines: readonly string[]; virtual?: string; global?: readonly string[] }): string {
  const isV6 = opts.real.startsWith("[");
  const virtual = opts.virtual ?? (isV6 ? "virtual6=[2001:db8::1]:80" : "virtual=192.0.2.1:80");
  return [...(opts.global ?? []), virtual, `\treal=${opts.real} masq`.replace("real=[", isV6 ? "real6=[" : "real=["), ...opts.lines.map((l) => `\t${l}`), ""].join("\n");
}
