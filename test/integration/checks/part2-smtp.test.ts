// service=smtp / submission against real SMTP servers (the smtp-server library, as used by Nodemailer's
// own tests) on loopback, IPv4 and IPv6: healthy, rejecting banner, refused, silent, abort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { checkSmtp } from "../../../src/checks/services/smtp.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { guardSocketLeaks } from "./leak-guard.js";

interface Running {
  readonly port: number;
  readonly helos: string[];
  close(): Promise<void>;
}

/** Start a real SMTP server on host; `reject` makes it greet with 554 (a server refusing service). */
async function startSmtp(host: string, reject: boolean): Promise<Running> {
  const helos: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, callback) {
      if (reject) {
        const err = Object.assign(new Error("no service for you"), { responseCode: 554 });
        callback(err);
        return;
      }
      callback();
    },
  });
  server.on("error", () => undefined);
  // smtp-server has no EHLO hook: the session keeps the greeting name, read when the connection closes.
  server.onClose = (session) => {
    if (session.hostNameAppearsAs) helos.push(session.hostNameAppearsAs);
  };
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, helos, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let healthy: Running;
let healthy6: Running;
let rejecting: Running;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  healthy = await startSmtp("127.0.0.1", false);
  healthy6 = await startSmtp("::1", false);
  rejecting = await startSmtp("127.0.0.1", true);
  silent = await startSilentServer();
});
afterAll(async () => {
  await Promise.all([healthy?.close(), healthy6?.close(), rejecting?.close(), silent?.close()]);
});
guardSocketLeaks();

function target(over: Partial<ProbeTarget>): ProbeTarget {
  return { host: "127.0.0.1", port: 25, request: "", receive: "", login: "", passwd: "", database: "", timeoutMs: 5000, ...over };
}

describe("service=smtp (smtp-server)", () => {
  it("is up after a 220 banner and an accepted EHLO, greeting as Net::SMTP does", async () => {
    const r = await checkSmtp(target({ port: healthy.port }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `banner 220, EHLO 250 on 127.0.0.1:${healthy.port}` });
    await expect.poll(() => healthy.helos.at(-1), { timeout: 2000 }).toBe("localhost.localdomain");
  });

  it("is up against an IPv6 server", async () => {
    const r = await checkSmtp(target({ host: "::1", port: healthy6.port }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `banner 220, EHLO 250 on [::1]:${healthy6.port}` });
  });

  it("is down when the server greets with 554", async () => {
    const r = await checkSmtp(target({ port: rejecting.port }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`banner on 127.0.0.1:${rejecting.port}: 554 no service for you`);
  });

  it("is down at once when the connection is refused", async () => {
    const port = await freePort();
    const r = await checkSmtp(target({ port }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^connect on 127\.0\.0\.1:\d+: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await checkSmtp(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`banner on 127.0.0.1:${silent.port}: timed out after 1000 ms`);
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await checkSmtp(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal);
    expect(r).toMatchObject({ ok: false, message: `banner on 127.0.0.1:${silent.port}: aborted` });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
