// service=pop, pops, imap, imaps against a real Dovecot on loopback (one instance for the file):
// healthy with and without login, wrong login, refused, silent server, abort; TLS with a self-signed cert.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkImap } from "../../../src/checks/services/imap.js";
import { checkPop } from "../../../src/checks/services/pop.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import type { CheckResult } from "../../../src/checks/types.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { startDovecot } from "../../fixtures/servers/part2-dovecot.js";
import type { Dovecot } from "../../fixtures/servers/part2-dovecot.js";
import { guardSocketLeaks } from "./leak-guard.js";

let dovecot: Dovecot;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let startupMs = 0;

beforeAll(async () => {
  const t0 = Date.now();
  dovecot = await startDovecot("alice", "s3cret-Pw");
  startupMs = Date.now() - t0;
  silent = await startSilentServer();
});
afterAll(async () => {
  console.log(`dovecot start-up: ${startupMs} ms`);
  await silent?.close();
  await dovecot?.stop();
});
guardSocketLeaks();

function target(over: Partial<ProbeTarget>): ProbeTarget {
  return { host: "127.0.0.1", port: 0, request: "", receive: "", login: "alice", passwd: "s3cret-Pw", database: "", timeoutMs: 5000, ...over };
}

type Check = (t: ProbeTarget, signal: AbortSignal) => Promise<CheckResult>;
const services: ReadonlyArray<{ name: string; check: Check; port: () => number; tls: boolean }> = [
  { name: "pop", check: (t, s) => checkPop(t, s, false), port: () => dovecot.pop3, tls: false },
  { name: "pops", check: (t, s) => checkPop(t, s, true), port: () => dovecot.pop3s, tls: true },
  { name: "imap", check: (t, s) => checkImap(t, s, false), port: () => dovecot.imap, tls: false },
  { name: "imaps", check: (t, s) => checkImap(t, s, true), port: () => dovecot.imaps, tls: true },
];

describe.each(services)("service=$name (dovecot)", ({ name, check, port, tls }) => {
  const isPop = name.startsWith("pop");

  it("is up with a valid login (a non-default port, so checkport is honoured)", async () => {
    const r = await check(target({ port: port() }), new AbortController().signal);
    expect(r.message).toMatch(isPop ? /^login as alice ok, \+OK \d+ \d+ on 127\.0\.0\.1:\d+$/ : /^OK greeting, LOGIN as alice ok on 127\.0\.0\.1:\d+$/);
    expect(r.ok).toBe(true);
  });

  it("is up with a valid login over IPv6", async () => {
    const r = await check(target({ host: "::1", port: port() }), new AbortController().signal);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/ on \[::1\]:\d+$/);
  });

  it("is up on the greeting alone when no login is configured", async () => {
    const r = await check(target({ port: port(), login: "", passwd: "" }), new AbortController().signal);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(isPop ? /^\+OK greeting \(no login configured\)/ : /^OK greeting on /);
  });

  it("is down for a wrong password, naming the step and hiding the password", async () => {
    const r = await check(target({ port: port(), passwd: "wrong-Secret-9" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(isPop ? /^PASS on 127\.0\.0\.1:\d+: -ERR \[AUTH\] Authentication failed/ : /^LOGIN probe on 127\.0\.0\.1:\d+: NO \[AUTHENTICATIONFAILED\] Authentication failed/);
    expect(JSON.stringify(r)).not.toContain("wrong-Secret-9");
  });

  if (tls) {
    it("is down when certificate verification is asked for and the certificate is self-signed", async () => {
      const r = await check(target({ port: port(), tlsVerify: true }), new AbortController().signal);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^TLS connect on 127\.0\.0\.1:\d+: .*self[- ]signed/i);
    });
  } else {
    it("is down when the port speaks another protocol (the other mail protocol's greeting)", async () => {
      const other = isPop ? dovecot.imap : dovecot.pop3;
      const r = await check(target({ port: other, login: "" }), new AbortController().signal);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^greeting on 127\.0\.0\.1:\d+: /);
    });
  }

  it("is down at once when the connection is refused", async () => {
    const r = await check(target({ port: await freePort() }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^(TLS )?connect on 127\.0\.0\.1:\d+: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await check(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal);
    expect(r.ok).toBe(false);
    // Over TLS the silent server never answers the handshake; in clear text it never greets.
    expect(r.message).toBe(`${tls ? "TLS connect" : "greeting"} on 127.0.0.1:${silent.port}: timed out after 1000 ms`);
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await check(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/: aborted$/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
