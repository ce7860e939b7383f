// service=sip (LDIRECTORD.md §2.3): an OPTIONS request over the virtual's protocol; "SIP/2.0 200 OK" is up.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { bracketHost, type CheckTarget } from "../target.js";
import type { CheckResult } from "../types.js";
import { tcpExchange, udpExchange, type Decide } from "./exchange.js";

/** The OPTIONS request ldirectord sends (its headers), with the Via transport matching the socket actually used. */
export function sipOptions(login: string, transport: "UDP" | "TCP", local: { address: string; port: number }): Buffer {
  const host = bracketHost(local.address);
  const callId = randomBytes(8).toString("hex");
  const branch = `z9hG4bK${randomBytes(6).toString("hex")}`;
  return Buffer.from(
    [
      `OPTIONS sip:${login} SIP/2.0`,
      `Via: SIP/2.0/${transport} ${host}:${local.port};branch=${branch}`,
      "Max-Forwards: 70",
      `To: <sip:${login}>`,
      `From: <sip:${login}>;tag=1928301774`,
      `Call-ID: ${callId}`,
      "CSeq: 63104 OPTIONS",
      `Contact: <sip:${login}>`,
      "Accept: application/sdp",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
    "utf8",
  );
}

/** Up when the status line of the answer is `SIP/2.0 200 OK` (ldirectord's check_sip); login names the SIP URI. */
export async function checkSip(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const udp = target.protocol === "udp";
  const what = `sip OPTIONS sip:${target.login} via ${udp ? "udp" : "tcp"} ${target.describe()}`;
  const decide: Decide<string> = (received, ended) => {
    const text = received.toString("latin1");
    const eol = text.indexOf("\n");
    if (eol < 0 && !ended) return undefined;
    const status = (eol < 0 ? text : text.slice(0, eol)).replace(/\r$/, "");
    // A provisional 1xx is not the answer yet (over TCP more follows; over UDP the next datagram).
    if (/^SIP\/2\.0 1\d\d/.test(status)) return undefined;
    return /^SIP\/2\.0 200 OK/.test(status) ? { answer: status } : { fail: `answer ${JSON.stringify(status.slice(0, 120))}` };
  };
  const payload = (local: { address: string; port: number }): Buffer => sipOptions(target.login, udp ? "UDP" : "TCP", local);
  const r = udp ? await udpExchange(target, payload, signal, decide) : await tcpExchange(target, payload, signal, (received, ended) => {
    // Over TCP a 1xx and the final answer may arrive together: look at the last complete status line.
    const text = received.toString("latin1");
    const finals = text.split("\r\n\r\n").filter((m) => /^SIP\/2\.0 [2-6]\d\d/.test(m));
    const last = finals[0];
    return last !== undefined ? decide(Buffer.from(last, "latin1"), true) : ended ? decide(received, true) : undefined;
  });
  const durationMs = performance.now() - started;
  if (r.kind === "failure") return { ok: false, message: `${what}: ${r.reason}`, durationMs, ...(r.cause !== undefined ? { cause: r.cause } : {}) };
  return { ok: true, message: `${what}: ${r.value}`, durationMs };
}
