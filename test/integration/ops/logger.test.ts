// The logger's targets, read back as a user would: the file (and its reopen for logrotate), syslog over a unix
// datagram socket standing in for /dev/log, the stderr fallback, and -d's readable lines.
import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createLogger, LogFileError } from "../../../src/ops/logger.js";
import { waitFor, sleep } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "ldts-log-"));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let buf = "";
  stream.on("data", (d: Buffer) => (buf += d.toString()));
  return { stream, text: () => buf };
}

/** A unix datagram socket receiver (socat), as syslogd's /dev/log. */
async function syslogReceiver(path: string): Promise<{ text: () => string }> {
  let out = "";
  let failed: string | undefined;
  const p: ChildProcess = spawn("socat", ["-u", `UNIX-RECV:${path}`, "-"], { stdio: ["ignore", "pipe", "pipe"] });
  p.on("error", (err) => (failed = `socat is required for this test (Debian package socat): ${err.message}`));
  p.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  cleanups.push(() => void p.kill());
  await waitFor(() => failed !== undefined || existsSync(path), 5_000, `socat to bind ${path}`);
  if (failed !== undefined) throw new Error(failed);
  return { text: () => out };
}

const lines = (s: string): Record<string, unknown>[] =>
  s
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("createLogger", () => {
  it("writes structured JSON lines to logfile=/path", async () => {
    const d = await tempDir();
    const path = join(d, "ldirectord.log");
    const l = createLogger({ target: { kind: "file", path }, name: "www.cf" });
    l.logger.info({ vs: "tcp:192.0.2.1:80", rs: "192.0.2.10:80", from: "up", to: "down", reason: "status 503", durationMs: 7 }, "Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
    await l.close();
    const [rec] = lines(await readFile(path, "utf8"));
    expect(rec).toMatchObject({ level: 30, name: "www.cf", vs: "tcp:192.0.2.1:80", rs: "192.0.2.10:80", from: "up", to: "down", reason: "status 503", durationMs: 7, msg: "Deleted real server: 192.0.2.10:80 (192.0.2.1:80)" });
  });

  it("reopens the file after logrotate moved it (reopen() and SIGUSR1)", async () => {
    const d = await tempDir();
    const path = join(d, "ldirectord.log");
    const l = createLogger({ target: { kind: "file", path } });
    l.logger.info("before rotation");
    await sleep(100);
    await rename(path, `${path}.1`);
    l.reopen();
    l.logger.info("after reopen");
    await sleep(100);
    await rename(path, `${path}.2`);
    process.kill(process.pid, "SIGUSR1");
    await sleep(200);
    l.logger.info("after USR1");
    await l.close();
    expect(lines(await readFile(`${path}.1`, "utf8")).map((r) => r.msg)).toEqual(["before rotation"]);
    expect(lines(await readFile(`${path}.2`, "utf8")).map((r) => r.msg)).toEqual(["after reopen"]);
    expect(lines(await readFile(path, "utf8")).map((r) => r.msg)).toEqual(["after USR1"]);
  });

  it("fails at start with the path when the log file cannot be opened", async () => {
    const d = await tempDir();
    await writeFile(join(d, "file"), "");
    const bad = join(d, "file", "x.log");
    expect(() => createLogger({ target: { kind: "file", path: bad } })).toThrow(LogFileError);
    expect(() => createLogger({ target: { kind: "file", path: bad } })).toThrow(bad);
  });

  it("sends RFC 3164 messages to the syslog socket for logfile=local0", async () => {
    const d = await tempDir();
    const sock = join(d, "log.sock");
    const rx = await syslogReceiver(sock);
    const l = createLogger({ target: { kind: "syslog", facility: "local0" }, syslogSocket: sock });
    l.logger.info({ vs: "tcp:192.0.2.1:80" }, "Restored real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 1)");
    l.logger.error("system(/bin/false stop 192.0.2.1:80 tcp) failed: exit 1");
    await waitFor(() => rx.text().includes("system(/bin/false"), 5_000, "the syslog datagrams");
    await l.close();
    const text = rx.text();
    // local0 = 16: info → <134>, err → <131>; RFC 3164 header with our pid.
    expect(text).toMatch(new RegExp(`<134>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ ldirectord\\[${process.pid}\\]: Restored real server: 192\\.0\\.2\\.10:80 \\(192\\.0\\.2\\.1:80\\) \\(Weight set to 1\\) \\{"vs":"tcp:192\\.0\\.2\\.1:80"\\}`));
    expect(text).toContain(`<131>`);
  });

  it("falls back to stderr with one warning when there is no syslog socket", async () => {
    const d = await tempDir();
    const err = capture();
    const l = createLogger({ target: { kind: "syslog", facility: "local0" }, syslogSocket: join(d, "missing.sock"), stderr: err.stream });
    l.logger.info("one");
    l.logger.info("two");
    l.logger.info("three");
    await l.close();
    const recs = lines(err.text());
    expect(recs.filter((r) => String(r.msg).startsWith("syslog unavailable"))).toHaveLength(1);
    expect(recs.map((r) => r.msg).slice(-3)).toEqual(["one", "two", "three"]);
  });

  it("-d writes readable lines, not JSON", async () => {
    const err = capture();
    const l = createLogger({ debug: true, stderr: err.stream });
    l.logger.info({ vs: "tcp:192.0.2.1:80" }, "Added real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 1)");
    l.logger.debug("a debug line");
    await l.close();
    expect(err.text()).toMatch(/INFO.*Added real server: 192\.0\.2\.10:80/);
    expect(err.text()).toContain("a debug line");
    expect(err.text().trimStart().startsWith("{")).toBe(false);
  });
});
