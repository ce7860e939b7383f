// passwd=, secret= and passwords in URLs never appear in any log line, monitorfile line or mail.
import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../../src/ops/logger.js";
import { createOperations } from "../../../src/ops/index.js";
import { alerts, config, real, virtual } from "../../unit/ops/fixtures.js";
import { startSmtp, waitFor } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWD = "S3cr3t-Passw0rd";
const SECRET = "radius-shared-key";
const URLPASS = "urlpass99";

describe("secrets", () => {
  it("are masked in the log file, the monitorfile and the mails", async () => {
    const d = await mkdtemp(join(tmpdir(), "ldts-secrets-"));
    cleanups.push(() => rm(d, { recursive: true, force: true }));
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const logfile = join(d, "ldirectord.log");
    const monitorfile = join(d, "monitor.log");
    const v = virtual({
      service: "ftp",
      login: "admin",
      passwd: PASSWD,
      secret: SECRET,
      monitorfile,
      request: `ftp://admin:${URLPASS}@192.0.2.10/probe`,
      fallbackcommand: `/bin/echo ${PASSWD}`,
      reals: [real({ request: `ftp://admin:${URLPASS}@192.0.2.10/probe` })],
      alerts: alerts({ emailalert: ["noc@example.net"], smtp: { host: "127.0.0.1", port: smtp.port } }),
    });
    const cfg = config([v]);
    const log = createLogger({ target: { kind: "file", path: logfile }, level: "debug" });
    const o = createOperations(cfg, { logger: log.logger, hostname: "lb1.test", batchWindowMs: 50 });
    const r = v.reals[0] ?? real();
    const leak = `login admin/${PASSWD} refused (${SECRET}); RETR ftp://admin:${URLPASS}@192.0.2.10/probe`;

    o.hooks.onStatus?.("running");
    o.hooks.onCheckResult?.(v, r, { ok: false, message: leak, durationMs: 3 });
    o.hooks.onTransition?.({ virtual: v, real: r, from: "up", to: "down", reason: leak, durationMs: 3, maintenance: false, at: Date.now() });
    o.hooks.onFallback?.({ virtual: v, state: "on", at: Date.now() });
    // What a daemon might log itself: the config object, an error, a child logger bound to the virtual.
    log.logger.debug({ config: cfg }, "configuration loaded");
    log.logger.error(new Error(`FTP 530 for ${PASSWD}`));
    log.logger.child({ vs: v.key, request: v.request }).warn(`check failed: ${leak}`);

    await waitFor(() => smtp.mails.length >= 1, 10_000, "the alert mail");
    await o.close();
    await log.close();

    const logged = await readFile(logfile, "utf8");
    const monitored = await readFile(monitorfile, "utf8");
    // Raw and decoded: quoted-printable soft breaks could split a secret in the raw text.
    const mailed = smtp.mails.map((m) => `${m.raw}\n${m.subject}\n${m.body}`).join("\n");
    // The events did reach every output (masked), so the check below is not vacuous.
    expect(logged).toContain("configuration loaded");
    expect(logged).toContain("fallbackcommand: /bin/echo ****");
    expect(logged).toContain("FTP 530 for ****");
    expect(monitored).toContain("login admin/**** refused (****)");
    expect(mailed).toContain("Reason: login admin/**** refused (****)");
    for (const [where, text] of [["log", logged], ["monitorfile", monitored], ["mail", mailed]] as const) {
      for (const s of [PASSWD, SECRET, URLPASS]) expect(text.includes(s), `${s} found in the ${where}`).toBe(false);
    }
  });
});
