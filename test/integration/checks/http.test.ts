// service=http, https, http_proxy against a real nginx on loopback (IPv4 and IPv6), plus hostile peers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, type Nginx } from "../../fixtures/servers/nginx.js";
import { endless, freePort, garbage, resetAfter, socketsSettled, startPeer, startSilentServer, steadySockets, trickle } from "../../fixtures/servers/common.js";
import { block, checkOf } from "./config-helper.js";
import { guardSocketLeaks } from "./leak-guard.js";

let nginx: Nginx;
const T = 1; // negotiatetimeout in seconds for every check here

beforeAll(async () => {
  nginx = await startNginx();
}, 30_000);
afterAll(async () => {
  await nginx?.stop();
});
guardSocketLeaks();

function http(real: string, lines: readonly string[], service = "http"): Promise<ReturnType<typeof checkOf> extends Promise<infer R> ? R : never> {
  return checkOf(block({ real, lines: ["checktype=negotiate", `service=${service}`, `negotiatetimeout=${T}`, ...lines] }));
}

describe("http", () => {
  it("is up when the virtual host answers 2xx and the body matches; Host is the virtualhost", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/health"', 'receive="OK a host=a\\.test"', "virtualhost=a.test"]);
    expect(r.message).toBe(`GET http://a.test/health via 127.0.0.1:${nginx.http}: status 200, body matched /OK a host=a\\.test/`);
    expect(r.ok).toBe(true);
  });
  it("sends the other virtual host to the other server block", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/health"', 'receive="OK b host=b\\.test"', "virtualhost=b.test"]);
    expect(r.ok, r.message).toBe(true);
  });
  it("uses the real's address as Host without a virtualhost, on IPv6 bracketed", async () => {
    const r = await http(`[::1]:${nginx.http}`, ['request="/health"', 'receive="OK b host=\\[::1\\]"']);
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain(`GET http://[::1]/health via [::1]:${nginx.http}`);
  });
  it("is down on 503, naming the status", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/down"', "virtualhost=a.test"]);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`GET http://a.test/down via 127.0.0.1:${nginx.http}: status 503`);
  });
  it("is down when the body does not match", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/wrong"', 'receive="OK"', "virtualhost=a.test"]);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`GET http://a.test/wrong via 127.0.0.1:${nginx.http}: body did not match /OK/`);
  });
  it("HEAD without receive is up on 2xx", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/health"', "httpmethod=HEAD"]);
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toMatch(/^HEAD /);
  });
  it("follows a redirect to the same server, not to another one, and not forever", async () => {
    const moved = await http(`127.0.0.1:${nginx.http}`, ['request="/moved"', 'receive="OK a"', "virtualhost=a.test"]);
    expect(moved.ok, moved.message).toBe(true);
    const away = await http(`127.0.0.1:${nginx.http}`, ['request="/away"', "virtualhost=a.test"]);
    expect(away.ok).toBe(false);
    expect(away.message).toContain("redirect to http://other.example/health not followed (another server)");
    const loop = await http(`127.0.0.1:${nginx.http}`, ['request="/loop"', "virtualhost=a.test"]);
    expect(loop.ok).toBe(false);
    expect(loop.message).toContain("more than 5 redirects");
  });
  it("is down when refused", async () => {
    const port = await freePort();
    const r = await http(`127.0.0.1:${port}`, ['request="/health"']);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`GET http://127.0.0.1/health via 127.0.0.1:${port}: connection refused`);
  });
  it("ends at its timeout when the server accepts and says nothing", async () => {
    const silent = await startSilentServer("127.0.0.1", { allowHalfOpen: true });
    try {
      const r = await http(`127.0.0.1:${silent.port}`, ['request="/health"']);
      expect(r.ok).toBe(false);
      expect(r.message).toContain(`: timed out after ${T * 1000} ms`);
      expect(r.durationMs).toBeGreaterThanOrEqual(T * 1000 - 20);
      expect(r.durationMs).toBeLessThan(T * 1000 + 500);
    } finally {
      await silent.close();
    }
  });
});

describe("https", () => {
  it("sends the virtualhost as SNI and as Host; a self-signed certificate is accepted by default", async () => {
    const r = await http(`127.0.0.1:${nginx.https}`, ['request="/health"', 'receive="OK a host=a\\.test sni=a\\.test"', "virtualhost=a.test"], "https");
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain(`GET https://a.test/health via 127.0.0.1:${nginx.https}`);
  });
  it("sends no SNI for an address (IPv6 too)", async () => {
    const r = await http(`[::1]:${nginx.https}`, ['request="/health"', 'receive="sni=\\s*$"'], "https");
    expect(r.ok, r.message).toBe(true);
  });
  it("verifies the chain when LDIRECTORD_TS_TLS_VERIFY=1", async () => {
    process.env["LDIRECTORD_TS_TLS_VERIFY"] = "1";
    try {
      const r = await http(`127.0.0.1:${nginx.https}`, ['request="/health"', "virtualhost=a.test"], "https");
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/TLS certificate not accepted: .*self[- ]signed/i);
    } finally {
      delete process.env["LDIRECTORD_TS_TLS_VERIFY"];
    }
  });
  it("is down on 503 over TLS", async () => {
    const r = await http(`127.0.0.1:${nginx.https}`, ['request="/down"', "virtualhost=b.test"], "https");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("status 503");
  });
  it("is down when plain HTTP answers a TLS handshake", async () => {
    const r = await http(`127.0.0.1:${nginx.http}`, ['request="/health"'], "https");
    expect(r.ok).toBe(false);
    expect(r.durationMs).toBeLessThan(T * 1000 + 500);
  });
});

describe("http_proxy", () => {
  it("sends the absolute URL to the proxy; Host comes from the URL", async () => {
    const r = await http(`127.0.0.1:${nginx.proxy}`, ['request="http://a.test/health"', 'receive="OK a host=a\\.test"'], "http_proxy");
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain(`GET http://a.test/health via 127.0.0.1:${nginx.proxy}`);
  });
  it("is down when the proxied answer is 503 or does not match", async () => {
    const down = await http(`[::1]:${nginx.proxy}`, ['request="http://a.test/down"'], "http_proxy");
    expect(down.ok).toBe(false);
    expect(down.message).toContain("status 503");
    const wrong = await http(`127.0.0.1:${nginx.proxy}`, ['request="http://b.test/wrong"', 'receive="OK"'], "http_proxy");
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain("body did not match /OK/");
  });
});

describe("hostile HTTP peers cost at most one timeout and leak no socket", () => {
  const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";
  const cases: ReadonlyArray<readonly [string, Parameters<typeof startPeer>[0]]> = [
    ["trickles one byte per second", trickle(`${head}Content-Length: 2\r\n\r\nOK`)],
    ["sends an endless body", endless(`${head}Transfer-Encoding: chunked\r\n\r\n`, `4000\r\n${"x".repeat(0x4000)}\r\n`)],
    ["resets mid-response", resetAfter(`${head}Content-Length: 1000\r\n\r\nOK partial`)],
    ["sends garbage", garbage()],
  ];
  for (const [name, behaviour] of cases) {
    it(name, async () => {
      const peer = await startPeer(behaviour);
      try {
        const r = await http(`127.0.0.1:${peer.port}`, ['request="/health"', 'receive="OK"']);
        expect(r.ok).toBe(false);
        expect(r.message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1/health via 127\\.0\\.0\\.1:${peer.port}: `));
        expect(r.durationMs).toBeLessThan(T * 1000 + 500);
      } finally {
        await peer.close();
      }
    });
  }
});

it("https: a peer that trickles during the TLS handshake is cut at the timeout, not later", async () => {
  const baselineNow = await steadySockets();
  const peer = await startPeer(trickle("\x16\x03\x01\x00\x05hello"));
  try {
    const r = await http(`127.0.0.1:${peer.port}`, ['request="/health"'], "https");
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`GET https://127.0.0.1/health via 127.0.0.1:${peer.port}: timed out after ${T * 1000} ms`);
    expect(r.durationMs).toBeLessThan(T * 1000 + 200);
  } finally {
    await peer.close();
  }
  expect(await socketsSettled(baselineNow)).toBeLessThanOrEqual(baselineNow);
});
