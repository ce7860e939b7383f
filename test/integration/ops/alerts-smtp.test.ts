// E-mail alerts end to end: the operations hooks → nodemailer → a real SMTP server on loopback.
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { createOperations, type Operations } from "../../../src/ops/index.js";
import type { RealTransition } from "../../../src/daemon/hooks.js";
import type { AlertSettings, VirtualService } from "../../../src/config/types.js";
import { alerts, config, real, virtual } from "../../unit/ops/fixtures.js";
import { sleep, startSmtp, waitFor } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) }) };
}

function ops(v: VirtualService[], extra: { batchWindowMs?: number; mailTimeoutMs?: number; mailRetryBaseMs?: number } = {}): { o: Operations; lines: Record<string, unknown>[] } {
  const { logger, lines } = memoryLogger();
  const o = createOperations(config(v), { logger, hostname: "lb1.test", batchWindowMs: 100, closeTimeoutMs: 2_000, ...extra });
  cleanups.push(() => o.close());
  return { o, lines };
}

function down(v: VirtualService, i: number, at = Date.now()): RealTransition {
  return { virtual: v, real: v.reals[i] ?? real(), from: "up", to: "down", reason: `GET http://192.0.2.${10 + i}/: status 503`, durationMs: 12, maintenance: false, at };
}

function smtpAlerts(port: number, over: Partial<AlertSettings> = {}): AlertSettings {
  return alerts({ emailalert: ["noc@example.net", "oncall@example.net"], smtp: { host: "127.0.0.1", port }, emailalertfrom: '"LVS director" <lvs@example.net>', ...over });
}

describe("e-mail alerts through a real SMTP server", () => {
  it("mails each recipient separately (one RCPT each) with ldirectord's subject and a body naming virtual, real, state and reason", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const v = virtual({ alerts: smtpAlerts(smtp.port), servicename: "www", comment: "front web farm" });
    const { o } = ops([v]);
    o.hooks.onStatus?.("running");
    o.hooks.onTransition?.(down(v, 0));
    await waitFor(() => smtp.mails.length >= 2, 10_000, "two mails");
    await sleep(300);
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails.map((m) => m.rcptTo).sort()).toEqual([["noc@example.net"], ["oncall@example.net"]]);
    for (const m of smtp.mails) {
      expect(m.mailFrom).toBe("lvs@example.net");
      expect(m.subject).toBe("[www] Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
      expect(m.body).toContain("ldirectord host: lb1.test");
      expect(m.body).toContain("Log-Message: Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
      expect(m.body).toContain("Daemon-Status: running");
      expect(m.body).toContain("Reason: GET http://192.0.2.10/: status 503");
      expect(m.body).toContain("Service name: www");
      expect(m.body).toContain("Comment: front web farm");
    }
  });

  it("batches a burst (a whole rack failing) into one mail per recipient", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const reals = Array.from({ length: 12 }, (_, i) => real({ address: `192.0.2.${10 + i}` }));
    const v = virtual({ reals, quiescent: true, alerts: smtpAlerts(smtp.port) });
    const { o } = ops([v], { batchWindowMs: 500 });
    o.hooks.onStatus?.("running");
    for (let i = 0; i < reals.length; i++) o.hooks.onTransition?.(down(v, i));
    await waitFor(() => smtp.mails.length >= 2, 10_000, "the batched mails");
    await sleep(800);
    expect(smtp.mails).toHaveLength(2);
    for (const m of smtp.mails) {
      expect(m.subject).toBe("12 alerts: 12 Quiescent real server");
      expect(m.body.match(/^Log-Message: Quiescent real server: /gm)).toHaveLength(12);
      expect(m.body).toContain("Quiescent real server: 192.0.2.21:80 (192.0.2.1:80) (Weight set to 0)");
    }
  });

  it("filters by emailalertstatus: nothing while starting when only running is listed", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const reals = [real({ address: "192.0.2.10" }), real({ address: "192.0.2.11" })];
    const v = virtual({ reals, alerts: smtpAlerts(smtp.port, { emailalert: ["noc@example.net"], emailalertstatus: ["running"] }) });
    const { o, lines } = ops([v]);
    o.hooks.onStatus?.("starting");
    o.hooks.onTransition?.(down(v, 0));
    o.hooks.onStatus?.("running");
    o.hooks.onTransition?.(down(v, 1));
    await waitFor(() => smtp.mails.length >= 1, 10_000, "the running-state mail");
    await sleep(400);
    expect(smtp.mails.map((m) => m.subject)).toEqual(["Deleted real server: 192.0.2.11:80 (192.0.2.1:80)"]);
    expect(lines.some((l) => l.why === "status-filtered")).toBe(true);
  });

  it("resends 'Inaccessible real server' every emailalertfreq seconds while down, and stops once up", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const v = virtual({ alerts: smtpAlerts(smtp.port, { emailalert: ["noc@example.net"], emailalertfreq: 2 }) });
    const { o } = ops([v], { batchWindowMs: 20 });
    o.hooks.onStatus?.("running");
    const t0 = Date.now();
    o.hooks.onTransition?.(down(v, 0, t0));
    await waitFor(() => smtp.mails.length >= 1, 10_000, "the down mail");
    // Injected clock: ticks at +1 s (not due), +2 s (due), +3 s (not due again), +4 s (due).
    const tick = async (ms: number): Promise<void> => {
      o.hooks.onTick?.(t0 + ms);
      await sleep(150);
    };
    await tick(1_000);
    expect(smtp.mails).toHaveLength(1);
    await tick(2_000);
    await waitFor(() => smtp.mails.length >= 2, 10_000, "the first reminder");
    await tick(3_000);
    expect(smtp.mails).toHaveLength(2);
    await tick(4_000);
    await waitFor(() => smtp.mails.length >= 3, 10_000, "the second reminder");
    o.hooks.onTransition?.({ ...down(v, 0, t0 + 4_500), from: "down", to: "up", reason: "ok" });
    await waitFor(() => smtp.mails.length >= 4, 10_000, "the restore mail");
    await tick(10_000);
    await sleep(200);
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      "Deleted real server: 192.0.2.10:80 (192.0.2.1:80)",
      "Inaccessible real server: 192.0.2.10:80 (192.0.2.1:80)",
      "Inaccessible real server: 192.0.2.10:80 (192.0.2.1:80)",
      "Restored real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 1)",
    ]);
  });

  it("does not mail maintenance transitions nor the restore that ends them", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const reals = [real({ address: "192.0.2.10" }), real({ address: "192.0.2.11" })];
    const v = virtual({ reals, alerts: smtpAlerts(smtp.port, { emailalert: ["noc@example.net"], emailalertfreq: 1 }) });
    const { o } = ops([v]);
    o.hooks.onStatus?.("running");
    const t0 = Date.now();
    o.hooks.onTransition?.({ ...down(v, 0, t0), reason: "Server in maintenance", maintenance: true });
    o.hooks.onTick?.(t0 + 5_000);
    o.hooks.onTransition?.({ ...down(v, 0, t0 + 6_000), from: "down", to: "up", reason: "ok" });
    o.hooks.onTransition?.(down(v, 1, t0 + 6_000));
    await waitFor(() => smtp.mails.length >= 1, 10_000, "the one real alert");
    await sleep(400);
    expect(smtp.mails.map((m) => m.subject)).toEqual(["Deleted real server: 192.0.2.11:80 (192.0.2.1:80)"]);
  });

  it("a relay that accepts and never answers does not delay the caller; the failure is logged and retried", async () => {
    const sockets: Socket[] = [];
    const hang: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      hang.close(() => r());
    }));
    const port = (hang.address() as AddressInfo).port;
    const reals = Array.from({ length: 50 }, (_, i) => real({ address: `192.0.2.${10 + i}` }));
    const v = virtual({ reals, alerts: smtpAlerts(port) });
    const { o, lines } = ops([v], { batchWindowMs: 10, mailTimeoutMs: 300, mailRetryBaseMs: 100 });
    o.hooks.onStatus?.("running");
    const started = process.hrtime.bigint();
    for (let i = 0; i < reals.length; i++) o.hooks.onTransition?.(down(v, i));
    const callMs = Number(process.hrtime.bigint() - started) / 1e6;
    // 50 transitions handed over in well under a check interval; nothing waits for the relay.
    expect(callMs).toBeLessThan(250);
    // The event loop stays free while the relay hangs: a 50 ms timer fires on time.
    const lagStart = Date.now();
    await sleep(50);
    expect(Date.now() - lagStart).toBeLessThan(1_000);
    await waitFor(() => lines.some((l) => l.msg === "failed to send email alert; will retry"), 10_000, "the retry warning");
    const warn = lines.find((l) => l.msg === "failed to send email alert; will retry");
    expect(String(warn?.reason)).toMatch(/timeout|no answer/i);
    expect(sockets.length).toBeGreaterThan(0);
    const closing = Date.now();
    await o.close();
    expect(Date.now() - closing).toBeLessThan(4_000);
  });

  it("a refusing relay is retried with backoff until it comes back", async () => {
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const v = virtual({ alerts: smtpAlerts(port, { emailalert: ["noc@example.net"] }) });
    const { o, lines } = ops([v], { batchWindowMs: 10, mailTimeoutMs: 1_000, mailRetryBaseMs: 200 });
    o.hooks.onStatus?.("running");
    o.hooks.onTransition?.(down(v, 0));
    await waitFor(() => lines.some((l) => l.msg === "failed to send email alert; will retry" && /ECONNREFUSED/.test(String(l.reason))), 10_000, "the refused attempt");
    const smtp = await startSmtp(port);
    cleanups.push(() => smtp.close());
    await waitFor(() => smtp.mails.length >= 1, 15_000, "delivery after the relay came back");
    expect(smtp.mails[0]?.subject).toBe("Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
  });
  it("on stop mails 'Purged real server (stop)' for each real that was up in a cleanstop virtual, as ldirectord", async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const reals = [real({ address: "192.0.2.10" }), real({ address: "192.0.2.11" }), real({ address: "192.0.2.12" })];
    const clean = virtual({ reals, alerts: smtpAlerts(smtp.port, { emailalert: ["noc@example.net"] }) });
    const kept = virtual({ address: "192.0.2.2", reals, cleanstop: false, alerts: smtpAlerts(smtp.port, { emailalert: ["noc@example.net"] }) });
    const { o } = ops([clean, kept], { batchWindowMs: 300 });
    o.hooks.onStatus?.("running");
    for (const v of [clean, kept]) for (let i = 0; i < 3; i++) o.hooks.onTransition?.({ ...down(v, i), from: "unknown", to: "up", reason: "ok" });
    o.hooks.onTransition?.(down(clean, 2));
    await waitFor(() => smtp.mails.length >= 1, 10_000, "the start-up mail");
    o.hooks.onStatus?.("stopping");
    await o.close();
    expect(smtp.mails).toHaveLength(2);
    const stop = smtp.mails[1];
    expect(stop?.subject).toBe("2 alerts: 2 Purged real server (stop)");
    expect(stop?.body).toContain("Log-Message: Purged real server (stop): 192.0.2.10:80 (192.0.2.1:80)\nDaemon-Status: stopping");
    expect(stop?.body).toContain("Purged real server (stop): 192.0.2.11:80 (192.0.2.1:80)");
    expect(stop?.body).not.toContain("192.0.2.2:80");
  });
});
