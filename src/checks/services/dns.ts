// service=dns (LDIRECTORD.md §2.3): ask the real server itself for the request name (type A) or, for an address,
// its PTR name; over TCP when the virtual is TCP. Encoding by dns-packet; the socket is ours, so port, timeout
// and abort are honoured (node:dns Resolver cannot take a port per query with a cancel of one query).
import { randomInt } from "node:crypto";
import { isIP } from "node:net";
import { performance } from "node:perf_hooks";
import dnsPacket from "dns-packet";
import { describeError } from "../deadline.js";
import { compileReceive } from "../receive.js";
import type { CheckTarget } from "../target.js";
import type { CheckResult } from "../types.js";
import { tcpExchange, udpExchange, type Decide } from "./exchange.js";

/** The question ldirectord asks: an address becomes a PTR query of its reverse name, anything else an A query. */
export function dnsQuestion(request: string): { readonly type: "A" | "PTR"; readonly name: string } {
  const name = request.replace(/^\/+/, "");
  const family = isIP(name);
  if (family === 4) return { type: "PTR", name: `${name.split(".").reverse().join(".")}.in-addr.arpa` };
  if (family === 6) return { type: "PTR", name: `${expandV6(name).split("").reverse().join(".")}.ip6.arpa` };
  return { type: "A", name };
}

/** 32 hex digits of an IPv6 address. */
function expandV6(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = address.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.map((g) => g.padStart(4, "0")).join("");
}

/**
 * Up when an answer record (A address or PTR name) matches receive. An empty receive is always down in
 * ldirectord; here it means "any answer record of the asked type" (say so in the README).
 */
export async function checkDns(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const q = dnsQuestion(target.request);
  const udp = target.protocol !== "tcp";
  const what = `dns ${q.type} ${q.name} via ${udp ? "udp" : "tcp"} ${target.describe()}`;
  const receive = compileReceive(target.receive, what);
  if ("failure" in receive) return receive.failure;
  const { pattern } = receive;
  if (q.name === "") return { ok: false, message: `${what}: no request name configured`, durationMs: 0 };
  const id = randomInt(0, 65536);
  const query: dnsPacket.Packet = { type: "query", id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: q.type, name: q.name }] };
  const decideOne = (bytes: Buffer): ReturnType<Decide<string>> => {
    let packet: dnsPacket.DecodedPacket;
    try {
      packet = dnsPacket.decode(bytes);
    } catch (err) {
      return { fail: `answer is not a DNS message: ${describeError(err)}` };
    }
    if (packet.id !== id) return undefined; // a late answer to someone else's query
    // dns-packet decodes the response code as a name (its typings omit the field).
    const rcode = (packet as { rcode?: string }).rcode;
    if (rcode !== undefined && rcode !== "NOERROR") return { fail: `answer ${rcode}` };
    const values = (packet.answers ?? []).filter((a) => a.type === q.type).map((a) => String((a as { data?: unknown }).data));
    if (values.length === 0) return { fail: `no ${q.type} record in the answer` };
    const hit = pattern === undefined ? values[0] : values.find((v) => pattern.test(v));
    return hit !== undefined ? { answer: hit } : { fail: `answer ${values.join(", ")} did not match /${target.receive}/` };
  };
  const r = udp
    ? await udpExchange(target, dnsPacket.encode(query), signal, (msg) => decideOne(msg))
    : await tcpExchange(target, dnsPacket.streamEncode(query), signal, (received) => {
        if (received.length < 2) return undefined;
        const len = received.readUInt16BE(0);
        return received.length < 2 + len ? undefined : decideOne(received.subarray(2, 2 + len));
      });
  const durationMs = performance.now() - started;
  if (r.kind === "failure") return { ok: false, message: `${what}: ${r.reason}`, durationMs, ...(r.cause !== undefined ? { cause: r.cause } : {}) };
  return { ok: true, message: `${what}: answer ${r.value}${pattern !== undefined ? ` matched /${target.receive}/` : ""}`, durationMs };
}
