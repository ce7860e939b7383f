// `ldirectord-ts CONFIG check --json` (the real bin as a child process) on part-2 services: ftp against vsftpd,
// smtp against smtp-server, a silent pop server, mysql without login, oracle; rows, messages and exit code.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { freePort, makeTempDir, startSilentServer } from "../../fixtures/servers/common.js";
import { startVsftpd } from "../../fixtures/servers/part2-vsftpd.js";
import type { Vsftpd } from "../../fixtures/servers/part2-vsftpd.js";
import { runCli, type CliRun } from "./run-cli.js";

let ftp: Vsftpd;
let smtp: SMTPServer;
let smtpPort = 0;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let refused = 0;

/** Run the CLI with this test's temp dir as its ha.d. */
const cli = (args: readonly string[]): Promise<CliRun> => runCli(tmp.dir, args);

interface Row {
  readonly virtual: string;
  readonly real: string;
  readonly ok: boolean | null;
  readonly durationMs: number;
  readonly message: string;
}

beforeAll(async () => {
  [ftp, tmp, silent] = await Promise.all([startVsftpd({ "health.txt": "ftp OK\n" }), makeTempDir("part2-cli"), startSilentServer()]);
  smtp = new SMTPServer({ authOptional: true, disableReverseLookup: true, logger: false });
  smtp.on("error", () => undefined);
  await new Promise<void>((done) => smtp.listen(0, "127.0.0.1", done));
  const address = smtp.server.address();
  smtpPort = address !== null && typeof address !== "string" ? address.port : 0;
  refused = await freePort();
  const healthy = [
    "negotiatetimeout=1",
    "virtual=127.0.0.1:21",
    `\treal=127.0.0.1:${ftp.port} masq`,
    "\tservice=ftp",
    "\tchecktype=negotiate",
    '\trequest="health.txt"',
    '\treceive="ftp OK"',
    "virtual=127.0.0.1:25",
    `\treal=127.0.0.1:${smtpPort} masq`,
    "\tservice=smtp",
    "\tchecktype=negotiate",
    "",
  ].join("\n");
  await writeFile(join(tmp.dir, "healthy.cf"), healthy);
  const failing = [
    healthy,
    "virtual=127.0.0.1:110",
    `\treal=127.0.0.1:${silent.port} masq`,
    "\tservice=pop",
    "\tchecktype=negotiate",
    "virtual=127.0.0.1:3306",
    `\treal=127.0.0.1:${refused} masq`,
    "\tservice=mysql",
    "\tchecktype=negotiate",
    '\trequest="SELECT 1"',
    "virtual=127.0.0.1:1521",
    `\treal=127.0.0.1:${refused} masq`,
    "\tchecktype=negotiate",
    "",
  ].join("\n");
  await writeFile(join(tmp.dir, "failing.cf"), failing);
}, 60_000);
afterAll(async () => {
  await Promise.all([ftp?.stop(), silent?.close(), tmp?.remove(), new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()))]);
});

describe("check command with part-2 services", () => {
  it("exits 0 when the ftp and smtp reals are healthy, with step-named messages", async () => {
    const r = await cli(["healthy.cf", "check", "--json"]);
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as { results: Row[] }).results;
    expect(rows.map((x) => [x.virtual, x.ok, x.message])).toEqual([
      ["tcp:127.0.0.1:21", true, `RETR /health.txt: 7 bytes matching /ftp OK/ on 127.0.0.1:${ftp.port}`],
      ["tcp:127.0.0.1:25", true, `banner 220, EHLO 250 on 127.0.0.1:${smtpPort}`],
    ]);
  });

  it("exits 1 and says why for a silent pop server, a mysql check without login and oracle", async () => {
    const r = await cli(["failing.cf", "check", "--json"]);
    expect(r.code).toBe(1);
    const rows = (JSON.parse(r.stdout) as { results: Row[] }).results;
    const byVirtual = new Map(rows.map((x) => [x.virtual, x]));
    expect(byVirtual.get("tcp:127.0.0.1:21")?.ok).toBe(true);
    expect(byVirtual.get("tcp:127.0.0.1:110")).toMatchObject({ ok: false, message: `greeting on 127.0.0.1:${silent.port}: timed out after 1000 ms` });
    expect(byVirtual.get("tcp:127.0.0.1:110")?.durationMs).toBeLessThanOrEqual(1500);
    expect(byVirtual.get("tcp:127.0.0.1:3306")?.message).toMatch(/service=mysql needs login/);
    // Port 1521 gives service=oracle (ldirectord's port table); configtest's warning goes to stderr.
    expect(byVirtual.get("tcp:127.0.0.1:1521")?.message).toMatch(/service oracle is not supported/);
    expect(r.stderr).toMatch(/service=oracle/);
    // The checks run concurrently: the whole run is about one timeout, not the sum of them.
    expect(r.ms).toBeLessThan(5000);
  });
});
