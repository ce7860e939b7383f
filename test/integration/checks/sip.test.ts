// service=sip against a real SIPp UAS answering OPTIONS, over UDP and TCP, IPv4 and IPv6.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSipp, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, startPeer, startSilentServer, startUdpPeer } from "../../fixtures/servers/common.js";
import { block, checkOf } from "./config-helper.js";
import { hostilePeers } from "./hostile.js";
import { guardSocketLeaks } from "./leak-guard.js";

let udp4: Running;
let udp6: Running;
let tcp4: Running;
let busy: Running;

beforeAll(async () => {
  [udp4, udp6, tcp4, busy] = await Promise.all([
    startSipp("127.0.0.1", "udp", "200 OK"),
    startSipp("::1", "udp", "200 OK"),
    startSipp("127.0.0.1", "tcp", "200 OK"),
    startSipp("127.0.0.1", "udp", "503 Service Unavailable"),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([udp4?.stop(), udp6?.stop(), tcp4?.stop(), busy?.stop()]);
});
guardSocketLeaks(["tcp", "udp"]);

function sip(real: string, udp: boolean) {
  const v6 = real.startsWith("[");
  return checkOf(
    block({
      real,
      virtual: v6 ? "virtual6=[2001:db8::1]:5060" : "virtual=192.0.2.1:5060",
      lines: ["checktype=negotiate", "service=sip", "negotiatetimeout=1", `protocol=${udp ? "udp" : "tcp"}`, "login=health@lb.test"],
    }),
  );
}

describe("sip", () => {
  it("is up on 200 OK over UDP (IPv4 and IPv6) and TCP", async () => {
    const a = await sip(`127.0.0.1:${udp4.port}`, true);
    expect(a.message).toBe(`sip OPTIONS sip:health@lb.test via udp 127.0.0.1:${udp4.port}: SIP/2.0 200 OK`);
    expect(a.ok).toBe(true);
    const b = await sip(`[::1]:${udp6.port}`, true);
    expect(b.ok, b.message).toBe(true);
    const c = await sip(`127.0.0.1:${tcp4.port}`, false);
    expect(c.ok, `${c.message}\n${tcp4.output()}`).toBe(true);
  });
  it("is down on another status", async () => {
    const r = await sip(`127.0.0.1:${busy.port}`, true);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`sip OPTIONS sip:health@lb.test via udp 127.0.0.1:${busy.port}: answer "SIP/2.0 503 Service Unavailable"`);
  });
  it("is down when refused (tcp) or unreachable (udp)", async () => {
    const port = await freePort();
    const tcp = await sip(`127.0.0.1:${port}`, false);
    expect(tcp.message).toContain("connect: connection refused");
    const udp = await sip(`127.0.0.1:${port}`, true);
    // UDP has no refusal: the kernel's ICMP port unreachable says so at once, unless its global ICMP rate limit
    // (shared with everything else on the machine) swallowed it; then the check ends at its timeout.
    expect(udp.ok).toBe(false);
    expect(udp.message).toMatch(/port unreachable \(ICMP\)$|no answer: timed out after 1000 ms$/);
    expect(udp.durationMs).toBeLessThan(1000 + 500);
  });
  it("ends at its timeout when the server says nothing (udp and tcp)", async () => {
    const silentUdp = await startUdpPeer("127.0.0.1", () => undefined);
    const silentTcp = await startSilentServer("127.0.0.1", { allowHalfOpen: true });
    try {
      for (const [port, udp] of [[silentUdp.port, true], [silentTcp.port, false]] as const) {
        const r = await sip(`127.0.0.1:${port}`, udp);
        expect(r.ok).toBe(false);
        expect(r.message).toContain("timed out after 1000 ms");
        expect(r.durationMs).toBeLessThan(1500);
      }
    } finally {
      await Promise.all([silentUdp.close(), silentTcp.close()]);
    }
  });
  it("is down at once on a garbage datagram", async () => {
    const peer = await startUdpPeer("127.0.0.1", () => Buffer.from("HTTP/1.0 200 OK\r\n\r\n"));
    try {
      const r = await sip(`127.0.0.1:${peer.port}`, true);
      expect(r.ok).toBe(false);
      expect(r.message).toContain('answer "HTTP/1.0 200 OK"');
      expect(r.durationMs).toBeLessThan(500);
    } finally {
      await peer.close();
    }
  });
  for (const [name, behaviour] of hostilePeers("SIP/2.0 200 OK\r\n")) {
    it(`tcp peer that ${name} costs at most one timeout`, async () => {
      const peer = await startPeer(behaviour);
      try {
        const r = await sip(`127.0.0.1:${peer.port}`, false);
        expect(r.ok).toBe(false);
        expect(r.durationMs).toBeLessThan(1500);
      } finally {
        await peer.close();
      }
    });
  }
});
