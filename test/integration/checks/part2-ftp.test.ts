// service=ftp against a real vsftpd on loopback: healthy, wrong answer, wrong login, refused, silent, abort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFtp } from "../../../src/checks/services/ftp.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { startVsftpd } from "../../fixtures/servers/part2-vsftpd.js";
import type { Vsftpd } from "../../fixtures/servers/part2-vsftpd.js";
import { guardSocketLeaks } from "./leak-guard.js";

let ftp: Vsftpd;
let ftp6: Vsftpd;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  ftp = await startVsftpd({ "health.txt": "status: ftp OK\n", "big.bin": "x".repeat(2 * 1024 * 1024) });
  ftp6 = await startVsftpd({ "health.txt": "status: ftp OK\n" }, 6);
  silent = await startSilentServer();
});
afterAll(async () => {
  await silent?.close();
  await ftp?.stop();
  await ftp6?.stop();
});
guardSocketLeaks();

function target(over: Partial<ProbeTarget> = {}): ProbeTarget {
  // anonymous / ldirectord@host are what the config parser fills in for service=ftp (LDIRECTORD.md §1.3).
  return { host: "127.0.0.1", port: ftp.port, request: "health.txt", receive: "ftp OK", login: "anonymous", passwd: "ldirectord@test", database: "", timeoutMs: 5000, ...over };
}

describe("service=ftp (vsftpd)", () => {
  it("is up when the downloaded file matches receive", async () => {
    const r = await checkFtp(target(), new AbortController().signal);
    expect(r.message).toMatch(/RETR \/health\.txt: 15 bytes matching \/ftp OK\//);
    expect(r.ok).toBe(true);
  });

  it("is up over IPv6 (EPSV data connection)", async () => {
    const r = await checkFtp(target({ host: "::1", port: ftp6.port }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `RETR /health.txt: 15 bytes matching /ftp OK/ on [::1]:${ftp6.port}` });
  });

  it("accepts a request with a leading slash and an empty receive (a completed download is up)", async () => {
    const r = await checkFtp(target({ request: "/health.txt", receive: "" }), new AbortController().signal);
    expect(r.ok).toBe(true);
  });

  it("checks login and CWD / alone when no file is requested (the config's default request \"/\")", async () => {
    const r = await checkFtp(target({ request: "/", receive: "" }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `login as anonymous and CWD / ok (no file requested) on 127.0.0.1:${ftp.port}` });
  });

  it("logs in anonymously when no login is configured (port-derived service)", async () => {
    const r = await checkFtp(target({ login: "", passwd: "" }), new AbortController().signal);
    expect(r.ok).toBe(true);
  });

  it("is down when the content does not match receive", async () => {
    const r = await checkFtp(target({ receive: "^ready$" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`RETR /health.txt on 127.0.0.1:${ftp.port}: 15 bytes, content did not match /^ready$/`);
  });

  it("is down when the file does not exist", async () => {
    const r = await checkFtp(target({ request: "missing.txt" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^RETR \/missing\.txt on 127\.0\.0\.1:\d+: 550 /);
  });

  it("is down for a wrong login, without leaking the password", async () => {
    const r = await checkFtp(target({ login: "bob", passwd: "hunter2-secret" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^login as bob on 127\.0\.0\.1:\d+: 530 /);
    expect(JSON.stringify(r)).not.toContain("hunter2-secret");
  });

  it("is down for a file larger than the 1 MiB bound", async () => {
    const r = await checkFtp(target({ request: "big.bin", receive: "" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/larger than 1048576 bytes/);
  });

  it("is down at once when the connection is refused", async () => {
    const port = await freePort();
    const r = await checkFtp(target({ port }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^connect on 127\.0\.0\.1:\d+: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await checkFtp(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`connect on 127.0.0.1:${silent.port}: timed out after 1000 ms`);
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await checkFtp(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/: aborted$/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
