// service=radius against a real FreeRADIUS (Debian's configuration plus one user), IPv4 and IPv6.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFreeradius, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, startUdpPeer } from "../../fixtures/servers/common.js";
import { block, checkOf } from "./config-helper.js";
import { guardSocketLeaks } from "./leak-guard.js";

let v4: Running;
let v6: Running;

beforeAll(async () => {
  [v4, v6] = await Promise.all([startFreeradius("127.0.0.1"), startFreeradius("::1")]);
}, 60_000);
afterAll(async () => {
  await Promise.all([v4?.stop(), v6?.stop()]);
});
guardSocketLeaks(["udp"]);

function radius(real: string, login: string, passwd: string, secret = "testing123") {
  const v6 = real.startsWith("[");
  return checkOf(
    block({
      real,
      virtual: v6 ? "virtual6=[2001:db8::1]:1812" : "virtual=192.0.2.1:1812",
      lines: ["checktype=negotiate", "service=radius", "negotiatetimeout=2", "protocol=udp", `login=${login}`, `passwd=${passwd}`, `secret=${secret}`],
    }),
  );
}

describe("radius", () => {
  it("is up on Access-Accept (IPv4 and IPv6)", async () => {
    const a = await radius(`127.0.0.1:${v4.port}`, "alice", "wonderland");
    expect(a.message).toBe(`radius Access-Request for "alice" via udp 127.0.0.1:${v4.port}: Access-Accept`);
    expect(a.ok, v4.output()).toBe(true);
    const b = await radius(`[::1]:${v6.port}`, "alice", "wonderland");
    expect(b.ok, `${b.message}\n${v6.output()}`).toBe(true);
  });
  it("is down on Access-Reject (wrong password), and never prints the password", async () => {
    const r = await radius(`127.0.0.1:${v4.port}`, "alice", "not-the-password");
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`radius Access-Request for "alice" via udp 127.0.0.1:${v4.port}: answer Access-Reject`);
    expect(r.message).not.toContain("not-the-password");
  });
  it("is down with a wrong secret (FreeRADIUS drops the request: timeout; never up)", async () => {
    const r = await radius(`127.0.0.1:${v4.port}`, "alice", "wonderland", "wrong-secret");
    expect(r.ok).toBe(false);
    expect(r.message).not.toContain("wrong-secret");
    expect(r.durationMs).toBeLessThan(2500);
  });
  it("is down when the port is unreachable", async () => {
    const port = await freePort();
    const r = await radius(`127.0.0.1:${port}`, "alice", "wonderland");
    expect(r.ok).toBe(false);
    // UDP has no refusal: the kernel's ICMP port unreachable says so at once, unless its global ICMP rate limit
    // (shared with everything else on the machine) swallowed it; then the check ends at its timeout.
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/port unreachable \(ICMP\)$|no answer: timed out after 2000 ms$/);
    expect(r.durationMs).toBeLessThan(2000 + 500);
  });
  it("ends at its timeout when the server says nothing", async () => {
    const silent = await startUdpPeer("127.0.0.1", () => undefined);
    try {
      const r = await radius(`127.0.0.1:${silent.port}`, "alice", "wonderland");
      expect(r.ok).toBe(false);
      expect(r.message).toContain("timed out after 2000 ms");
      expect(r.durationMs).toBeGreaterThanOrEqual(1980);
      expect(r.durationMs).toBeLessThan(2500);
    } finally {
      await silent.close();
    }
  });
  it("is down at once on garbage", async () => {
    const peer = await startUdpPeer("127.0.0.1", () => Buffer.from("garbage, not radius"));
    try {
      const r = await radius(`127.0.0.1:${peer.port}`, "alice", "wonderland");
      expect(r.ok).toBe(false);
      expect(r.durationMs).toBeLessThan(500);
    } finally {
      await peer.close();
    }
  });
});
