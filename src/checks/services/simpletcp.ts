// service=simpletcp (LDIRECTORD.md §2.3): send the request, half-close, and look for a line matching receive.
import { performance } from "node:perf_hooks";
import { compileReceive } from "../receive.js";
import type { CheckTarget } from "../target.js";
import type { CheckResult } from "../types.js";
import { tcpExchange, udpExchange, type Decide } from "./exchange.js";

/** The bytes ldirectord sends: the request without its leading "/", with a written `\n` turned into a line feed. */
export function simpletcpPayload(request: string): Buffer {
  return Buffer.from(request.replace(/^\//, "").replace(/\\n/g, "\n"), "utf8");
}

/**
 * Up when a line of the answer matches receive. An empty receive (Perl's "last pattern" in ldirectord, i.e.
 * unpredictable) is read as "any answer": up when the server sends at least one byte.
 */
export async function checkSimpletcp(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const receive = compileReceive(target.receive, target.describe());
  if ("failure" in receive) return receive.failure;
  const { pattern } = receive;
  const decide: Decide<string> = (received, ended) => {
    const text = received.toString("utf8");
    const lines = text.split(/\r?\n/);
    // The last piece is an incomplete line until the peer ends (or, for UDP, the datagram is whole).
    const complete = ended ? lines : lines.slice(0, -1);
    if (pattern === undefined) return received.length > 0 ? { answer: complete[0] ?? text } : undefined;
    const hit = complete.find((l) => pattern.test(l));
    if (hit !== undefined) return { answer: hit };
    if (ended) return { fail: `no line matched /${target.receive}/ (${received.length} bytes: ${JSON.stringify(text.slice(0, 80))})` };
    return undefined;
  };
  const payload = simpletcpPayload(target.request);
  const udp = target.protocol === "udp";
  const r = udp ? await udpExchange(target, payload, signal, decide) : await tcpExchange(target, payload, signal, decide, true);
  const what = `simpletcp ${udp ? "udp" : "tcp"} ${target.describe()}`;
  const durationMs = performance.now() - started;
  if (r.kind === "failure") return { ok: false, message: `${what}: ${r.reason}`, durationMs, ...(r.cause !== undefined ? { cause: r.cause } : {}) };
  return { ok: true, message: `${what}: ${pattern === undefined ? "answered" : `line matched /${target.receive}/`}: ${JSON.stringify(r.value.slice(0, 80))}`, durationMs };
}
