// service=simpletcp against a real redis-server (PING → +PONG), IPv4 and IPv6, plus hostile peers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, startPeer, startSilentServer } from "../../fixtures/servers/common.js";
import { block, checkOf } from "./config-helper.js";
import { hostilePeers } from "./hostile.js";
import { guardSocketLeaks } from "./leak-guard.js";

let v4: Running;
let v6: Running;

beforeAll(async () => {
  [v4, v6] = await Promise.all([startRedis("127.0.0.1"), startRedis("::1")]);
}, 30_000);
afterAll(async () => {
  await Promise.all([v4?.stop(), v6?.stop()]);
});
guardSocketLeaks();

function simpletcp(real: string, receive: string) {
  return checkOf(block({ real, lines: ["checktype=negotiate", "service=simpletcp", "negotiatetimeout=1", 'request="PING\\n"', `receive="${receive}"`] }));
}

describe("simpletcp", () => {
  it("is up when a line of the answer matches (IPv4 and IPv6)", async () => {
    const a = await simpletcp(`127.0.0.1:${v4.port}`, "^\\+PONG");
    expect(a.message).toBe(`simpletcp tcp 127.0.0.1:${v4.port}: line matched /^\\+PONG/: "+PONG"`);
    expect(a.ok).toBe(true);
    const b = await simpletcp(`[::1]:${v6.port}`, "PONG");
    expect(b.ok, b.message).toBe(true);
  });
  it("is down when no line matches", async () => {
    const r = await simpletcp(`127.0.0.1:${v4.port}`, "^READY");
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`simpletcp tcp 127.0.0.1:${v4.port}: no line matched /^READY/ (7 bytes: "+PONG\\r\\n")`);
  });
  it("is down when refused", async () => {
    const port = await freePort();
    const r = await simpletcp(`127.0.0.1:${port}`, "PONG");
    expect(r.message).toBe(`simpletcp tcp 127.0.0.1:${port}: connect: connection refused`);
  });
  it("ends at its timeout when the server says nothing", async () => {
    const silent = await startSilentServer("127.0.0.1", { allowHalfOpen: true });
    try {
      const r = await simpletcp(`127.0.0.1:${silent.port}`, "PONG");
      expect(r.ok).toBe(false);
      expect(r.message).toBe(`simpletcp tcp 127.0.0.1:${silent.port}: waiting for an answer: timed out after 1000 ms`);
      expect(r.durationMs).toBeGreaterThanOrEqual(980);
      expect(r.durationMs).toBeLessThan(1500);
    } finally {
      await silent.close();
    }
  });
  for (const [name, behaviour] of hostilePeers("+PONG\r\n")) {
    it(`a peer that ${name} costs at most one timeout`, async () => {
      const peer = await startPeer(behaviour);
      try {
        const r = await simpletcp(`127.0.0.1:${peer.port}`, "PONG");
        expect(r.ok).toBe(false);
        expect(r.durationMs).toBeLessThan(1500);
      } finally {
        await peer.close();
      }
    });
  }
});
