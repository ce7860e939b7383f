// The part-2 services end to end through the code the daemon and `check` use: config text → parseConfig →
// runCheck, against real servers on loopback (vsftpd, Dovecot, smtp-server). Covers what the config layer feeds
// the checks: ftp's anonymous defaults, checkport for imap (ldirectord bug N), the "/" added to SQL requests,
// negotiatetimeout bounding a whole check, and oracle reported unsupported with a parse-time warning.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { runCheck } from "../../../src/checks/index.js";
import { parseConfig } from "../../../src/config/index.js";
import type { DirectorConfig } from "../../../src/config/types.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { startDovecot } from "../../fixtures/servers/part2-dovecot.js";
import type { Dovecot } from "../../fixtures/servers/part2-dovecot.js";
import { startVsftpd } from "../../fixtures/servers/part2-vsftpd.js";
import type { Vsftpd } from "../../fixtures/servers/part2-vsftpd.js";

let ftp: Vsftpd;
let dovecot: Dovecot;
let smtp: SMTPServer;
let smtpPort = 0;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let config: DirectorConfig;
let warnings: string[] = [];

beforeAll(async () => {
  [ftp, dovecot] = await Promise.all([startVsftpd({ "health.txt": "ftp OK\n" }), startDovecot("alice", "s3cret-Pw")]);
  smtp = new SMTPServer({ authOptional: true, disableReverseLookup: true, logger: false });
  smtp.on("error", () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const address = smtp.server.address();
  smtpPort = address !== null && typeof address !== "string" ? address.port : 0;
  silent = await startSilentServer();
  const refused = await freePort();
  // Virtual addresses are loopback too: a check never talks to the virtual, but nothing here names another host.
  const text = `checktimeout=2
negotiatetimeout=4

virtual=127.0.0.1:21
	real=127.0.0.1:${ftp.port} masq
	service=ftp
	checktype=negotiate
	request="health.txt"
	receive="ftp OK"

virtual=127.0.0.2:143
	real=127.0.0.1:143 masq
	service=imap
	checktype=negotiate
	checkport=${dovecot.imap}
	login="alice"
	passwd="s3cret-Pw"

virtual=127.0.0.3:587
	real=127.0.0.1:${smtpPort} masq
	service=submission
	checktype=negotiate

virtual=127.0.0.4:110
	real=127.0.0.1:${silent.port} masq
	service=pop
	checktype=negotiate
	negotiatetimeout=1

virtual=127.0.0.5:3306
	real=127.0.0.1:${refused} masq
	service=mysql
	checktype=negotiate
	request="SELECT 1"

virtual=127.0.0.6:1521
	real=127.0.0.1:${refused} masq
	service=oracle
	checktype=negotiate
`;
  const parsed = await parseConfig(text, "/tmp/part2-runcheck.cf");
  if (parsed.config === undefined) throw new Error(`config rejected: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  config = parsed.config;
  warnings = parsed.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
}, 60_000);
afterAll(async () => {
  await Promise.all([ftp?.stop(), dovecot?.stop(), silent?.close(), new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))]);
});

function vs(port: number) {
  const v = config.virtuals.find((x) => x.port === port);
  const r = v?.reals[0];
  if (v === undefined || r === undefined) throw new Error(`no virtual on port ${port}`);
  return { v, r };
}

describe("part-2 services through runCheck", () => {
  it("ftp: service=ftp supplies anonymous / ldirectord@HOSTNAME and the download matches", async () => {
    const { v, r } = vs(21);
    expect(v.login).toBe("anonymous");
    const result = await runCheck(v, r);
    expect(result).toMatchObject({ ok: true, message: `RETR /health.txt: 7 bytes matching /ftp OK/ on 127.0.0.1:${ftp.port}` });
  });

  it("imap: the check goes to checkport, not to port 143 (ldirectord bug N)", async () => {
    const { v, r } = vs(143);
    const result = await runCheck(v, r);
    expect(result).toMatchObject({ ok: true, message: `OK greeting, LOGIN as alice ok on 127.0.0.1:${dovecot.imap}` });
  });

  it("submission: banner and EHLO", async () => {
    const { v, r } = vs(587);
    const result = await runCheck(v, r);
    expect(result).toMatchObject({ ok: true, message: `banner 220, EHLO 250 on 127.0.0.1:${smtpPort}` });
  });

  it("pop: a silent server is down at the virtual's negotiatetimeout (1 s), not the global one (4 s)", async () => {
    const { v, r } = vs(110);
    const t0 = Date.now();
    const result = await runCheck(v, r);
    expect(result).toMatchObject({ ok: false, message: `greeting on 127.0.0.1:${silent.port}: timed out after 1000 ms` });
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("mysql: a missing login is down with a message naming the directive, without connecting", async () => {
    const { v, r } = vs(3306);
    const result = await runCheck(v, r);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^configuration on 127\.0\.0\.1:\d+: service=mysql needs login \(set login= in the virtual block\)$/);
  });

  it("oracle: configtest warns and every check says it is unsupported", async () => {
    expect(warnings.some((w) => /service=oracle.*no Oracle check/.test(w))).toBe(true);
    const { v, r } = vs(1521);
    const result = await runCheck(v, r);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^service oracle is not supported by ldirectord-ts; use checktype=connect/);
  });
});
