// service=dns against a real dnsmasq on loopback (UDP for udp virtuals, TCP for tcp virtuals, IPv4 and IPv6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsmasq, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, startPeer, startSilentServer, startUdpPeer } from "../../fixtures/servers/common.js";
import { block, checkOf } from "./config-helper.js";
import { hostilePeers } from "./hostile.js";
import { guardSocketLeaks } from "./leak-guard.js";

let v4: Running;
let v6: Running;

beforeAll(async () => {
  [v4, v6] = await Promise.all([startDnsmasq("127.0.0.1"), startDnsmasq("::1")]);
}, 30_000);
afterAll(async () => {
  await Promise.all([v4?.stop(), v6?.stop()]);
});
guardSocketLeaks(["tcp", "udp"]);

/** A dns check; `udp` picks the virtual's protocol (port 53 is UDP in ldirectord, so tcp needs protocol=tcp). */
function dns(real: string, request: string, receive: string | undefined, udp: boolean) {
  const v6 = real.startsWith("[");
  return checkOf(
    block({
      real,
      virtual: v6 ? "virtual6=[2001:db8::1]:53" : "virtual=192.0.2.1:53",
      lines: ["checktype=negotiate", "service=dns", "negotiatetimeout=1", `protocol=${udp ? "udp" : "tcp"}`, `request="${request}"`, ...(receive !== undefined ? [`receive="${receive}"`] : [])],
    }),
  );
}

describe("dns", () => {
  for (const udp of [true, false]) {
    const t = udp ? "udp" : "tcp";
    it(`is up when the A record matches (${t}, IPv4 and IPv6)`, async () => {
      const a = await dns(`127.0.0.1:${v4.port}`, "check.example", "192\\.0\\.2\\.7", udp);
      expect(a.ok, a.message).toBe(true);
      expect(a.message).toBe(`dns A check.example via ${t} 127.0.0.1:${v4.port}: answer 192.0.2.7 matched /192\\.0\\.2\\.7/`);
      const b = await dns(`[::1]:${v6.port}`, "check.example", "192\\.0\\.2\\.7", udp);
      expect(b.ok, b.message).toBe(true);
    });
    it(`asks PTR for an address (${t})`, async () => {
      const r = await dns(`127.0.0.1:${v4.port}`, "192.0.2.7", "check\\.example", udp);
      expect(r.ok, r.message).toBe(true);
      expect(r.message).toContain("dns PTR 7.2.0.192.in-addr.arpa");
    });
    it(`is down on a wrong address or an unknown name (${t})`, async () => {
      const wrong = await dns(`127.0.0.1:${v4.port}`, "check.example", "198\\.51\\.100\\.1", udp);
      expect(wrong.ok).toBe(false);
      expect(wrong.message).toContain("answer 192.0.2.7 did not match /198\\.51\\.100\\.1/");
      const unknown = await dns(`127.0.0.1:${v4.port}`, "unknown.invalid", "1", udp);
      expect(unknown.ok).toBe(false);
      expect(unknown.message).toMatch(/answer (REFUSED|NXDOMAIN|SERVFAIL)|no A record/);
    });
  }
  it("is up on any answer record when receive is empty", async () => {
    const r = await dns(`127.0.0.1:${v4.port}`, "check.example", undefined, true);
    expect(r.ok, r.message).toBe(true);
  });
  it("is down when refused (tcp) or the port is unreachable (udp)", async () => {
    const port = await freePort();
    const tcp = await dns(`127.0.0.1:${port}`, "check.example", "1", false);
    expect(tcp.message).toBe(`dns A check.example via tcp 127.0.0.1:${port}: connect: connection refused`);
    const udp = await dns(`127.0.0.1:${port}`, "check.example", "1", true);
    expect(udp.ok).toBe(false);
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
        const r = await dns(`127.0.0.1:${port}`, "check.example", "1", udp);
        expect(r.ok).toBe(false);
        expect(r.message).toContain("timed out after 1000 ms");
        expect(r.durationMs).toBeGreaterThanOrEqual(980);
        expect(r.durationMs).toBeLessThan(1500);
      }
      expect(silentUdp.received()).toBe(1);
    } finally {
      await Promise.all([silentUdp.close(), silentTcp.close()]);
    }
  });
  it("is down at once on a garbage datagram", async () => {
    const peer = await startUdpPeer("127.0.0.1", () => Buffer.from("\x00\x01garbage"));
    try {
      const r = await dns(`127.0.0.1:${peer.port}`, "check.example", "1", true);
      expect(r.ok).toBe(false);
      expect(r.durationMs).toBeLessThan(1500);
    } finally {
      await peer.close();
    }
  });
  for (const [name, behaviour] of hostilePeers("\x00\x20" + "x".repeat(32))) {
    it(`tcp peer that ${name} costs at most one timeout`, async () => {
      const peer = await startPeer(behaviour);
      try {
        const r = await dns(`127.0.0.1:${peer.port}`, "check.example", "1", false);
        expect(r.ok).toBe(false);
        expect(r.durationMs).toBeLessThan(1500);
      } finally {
        await peer.close();
      }
    });
  }
});
