// service=ldap / ldaps against a real OpenLDAP slapd on loopback: anonymous and simple bind, DN receive match,
// missing base, wrong password, refused, silent, abort; ldaps with a self-signed certificate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLdap } from "../../../src/checks/services/ldap.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { startSlapd } from "../../fixtures/servers/part2-slapd.js";
import type { Slapd } from "../../fixtures/servers/part2-slapd.js";
import { guardSocketLeaks } from "./leak-guard.js";

let slapd: Slapd;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let startupMs = 0;

beforeAll(async () => {
  const t0 = Date.now();
  slapd = await startSlapd("adm1n-Secret");
  startupMs = Date.now() - t0;
  silent = await startSilentServer();
});
afterAll(async () => {
  console.log(`slapd start-up (slapadd + start): ${startupMs} ms`);
  await silent?.close();
  await slapd?.stop();
});
guardSocketLeaks();

function target(over: Partial<ProbeTarget>): ProbeTarget {
  return { host: "127.0.0.1", port: 389, request: "/ou=health,dc=example,dc=org", receive: "ou=health", login: "", passwd: "", database: "", timeoutMs: 5000, ...over };
}

describe.each([
  { name: "ldap", tls: false, port: () => slapd.ldap },
  { name: "ldaps", tls: true, port: () => slapd.ldaps },
])("service=$name (slapd)", ({ tls, port }) => {
  it("is up with an anonymous bind when the one entry's DN matches receive", async () => {
    const r = await checkLdap(target({ port: port() }), new AbortController().signal, tls);
    expect(r).toMatchObject({ ok: true, message: `anonymous bind ok, search found "ou=health,dc=example,dc=org" on 127.0.0.1:${port()}` });
  });

  it("is up with a simple bind when login and passwd are both set", async () => {
    const r = await checkLdap(target({ port: port(), login: slapd.adminDn, passwd: slapd.adminPassword }), new AbortController().signal, tls);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^bind as cn=admin,dc=example,dc=org ok/);
  });

  it("is up over IPv6", async () => {
    const r = await checkLdap(target({ host: "::1", port: port(), login: slapd.adminDn, passwd: slapd.adminPassword }), new AbortController().signal, tls);
    expect(r).toMatchObject({ ok: true, message: `bind as cn=admin,dc=example,dc=org ok, search found "ou=health,dc=example,dc=org" on [::1]:${port()}` });
  });

  it("binds anonymously when only login is set (as ldirectord)", async () => {
    const r = await checkLdap(target({ port: port(), login: slapd.adminDn }), new AbortController().signal, tls);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^anonymous bind ok/);
  });

  it("is down when the DN does not match receive", async () => {
    const r = await checkLdap(target({ port: port(), receive: "^ou=status" }), new AbortController().signal, tls);
    expect(r).toMatchObject({ ok: false, message: `search base "ou=health,dc=example,dc=org" on 127.0.0.1:${port()}: DN "ou=health,dc=example,dc=org" did not match /^ou=status/` });
  });

  it("is down when the base entry does not exist", async () => {
    const r = await checkLdap(target({ port: port(), request: "ou=gone,dc=example,dc=org" }), new AbortController().signal, tls);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^search base "ou=gone,dc=example,dc=org" on 127\.0\.0\.1:\d+: NoSuchObjectError/);
  });

  it("is down for a wrong password, without leaking it", async () => {
    const r = await checkLdap(target({ port: port(), login: slapd.adminDn, passwd: "not-the-Secret" }), new AbortController().signal, tls);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^bind as cn=admin,dc=example,dc=org on 127\.0\.0\.1:\d+: InvalidCredentialsError/);
    expect(JSON.stringify(r)).not.toContain("not-the-Secret");
  });

  it("is down at once when the connection is refused", async () => {
    const r = await checkLdap(target({ port: await freePort() }), new AbortController().signal, tls);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^anonymous bind on 127\.0\.0\.1:\d+: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await checkLdap(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal, tls);
    expect(r).toMatchObject({ ok: false, message: `anonymous bind on 127.0.0.1:${silent.port}: timed out after 1000 ms` });
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await checkLdap(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal, tls);
    expect(r).toMatchObject({ ok: false, message: `anonymous bind on 127.0.0.1:${silent.port}: aborted` });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("service=ldaps certificate verification", () => {
  it("is down when verification is asked for and the certificate is self-signed", async () => {
    const r = await checkLdap(target({ port: slapd.ldaps, tlsVerify: true }), new AbortController().signal, true);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/self[- ]signed/i);
  });
});
