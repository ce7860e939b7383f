// `ldirectord-ts CONFIG check`: the real bin/ldirectord-ts as a child process against loopback servers.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, type Nginx } from "../../fixtures/servers/nginx.js";
import { startRedis, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, makeTempDir } from "../../fixtures/servers/common.js";
import { runCli, type CliRun } from "./run-cli.js";

let nginx: Nginx;
let redis6: Running;
let tmp: { dir: string; remove: () => Promise<void> };
let refused = 0;

/** Run the CLI with this test's temp dir as its ha.d. */
const cli = (args: readonly string[]): Promise<CliRun> => runCli(tmp.dir, args);

beforeAll(async () => {
  [nginx, redis6, tmp] = await Promise.all([startNginx(), startRedis("::1"), makeTempDir("check-cli")]);
  refused = await freePort();
  const healthy = [
    "checktimeout=2",
    "virtual=192.0.2.10:80",
    `\treal=127.0.0.1:${nginx.http} masq`,
    "\tservice=http",
    "\tchecktype=negotiate",
    '\trequest="/health"',
    '\treceive="OK a"',
    "\tvirtualhost=a.test",
    "virtual=192.0.2.11:80",
    `\treal=127.0.0.1:${nginx.http} masq`,
    "\tservice=http",
    "\tchecktype=negotiate",
    '\trequest="/health"',
    '\treceive="OK a"',
    "\tvirtualhost=a.test",
    "virtual6=[2001:db8::10]:6379",
    `\treal6=[::1]:${redis6.port} masq`,
    "\tchecktype=connect",
    "virtual=42",
    `\treal=127.0.0.1:${nginx.http} gate`,
    "\tchecktype=connect",
    "virtual=192.0.2.12:80",
    `\treal=127.0.0.1:${refused} masq`,
    "\tchecktype=off",
    "",
  ].join("\n");
  await writeFile(join(tmp.dir, "healthy.cf"), healthy);
  const failing = `${healthy}virtual=192.0.2.13:80\n\treal=127.0.0.1:${nginx.http} masq\n\treal=127.0.0.1:${refused} masq\n\tservice=http\n\tchecktype=negotiate\n\trequest="/down"\n\tvirtualhost=b.test\n`;
  await writeFile(join(tmp.dir, "failing.cf"), failing);
  await writeFile(join(tmp.dir, "warned.cf"), `virtual=192.0.2.14:6379\n\treal=[::1]:${redis6.port} masq\n\n\tchecktype=connect\n`.replace("real=[", "real6=[").replace("virtual=", "virtual6=").replace("192.0.2.14", "[2001:db8::14]"));
  await writeFile(join(tmp.dir, "broken.cf"), "virtual=192.0.2.1:80\n\treal=127.0.0.1:80 masq\n\tchecktype=conect\n");
}, 30_000);
afterAll(async () => {
  await Promise.all([nginx?.stop(), redis6?.stop(), tmp?.remove()]);
});

describe("check command", () => {
  it("prints one row per (virtual, real) and exits 0 when every checked real is healthy", async () => {
    const r = await cli(["healthy.cf", "check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^VIRTUAL\s+REAL\s+CHECK\s+RESULT\s+TIME\s+MESSAGE$/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(new RegExp(`^tcp:192\\.0\\.2\\.10:80\\s+127\\.0\\.0\\.1:${nginx.http}\\s+negotiate/http\\s+ok\\s+[0-9.]+ms\\s+GET http://a\\.test/health via 127\\.0\\.0\\.1:${nginx.http}: status 200`));
    expect(lines[3]).toMatch(new RegExp(`^tcp:\\[2001:db8::10\\]:6379\\s+\\[::1\\]:${redis6.port}\\s+connect\\s+ok\\s`));
    expect(lines[4]).toMatch(/^fwm:42\s+127\.0\.0\.1:\d+\s+connect\s+ok\s/);
    expect(lines[5]).toMatch(new RegExp(`^tcp:192\\.0\\.2\\.12:80\\s+127\\.0\\.0\\.1:${refused}\\s+off\\s+OFF\\s+0\\.0ms\\s+not checked \\(checktype=off\\)$`));
  });
  it("prints JSON with --json, runs an identical check once, and exits 1 when a real is down", async () => {
    const r = await cli(["failing.cf", "check", "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: Array<{ virtual: string; real: string; check: string; ok: boolean | null; durationMs: number; message: string }> };
    expect(doc.results).toHaveLength(7);
    const down = doc.results.filter((x) => x.ok === false);
    expect(down.map((x) => [x.virtual, x.real, x.message])).toEqual([
      ["tcp:192.0.2.13:80", `127.0.0.1:${nginx.http}`, `GET http://b.test/down via 127.0.0.1:${nginx.http}: status 503`],
      ["tcp:192.0.2.13:80", `127.0.0.1:${refused}`, `GET http://b.test/down via 127.0.0.1:${refused}: connection refused`],
    ]);
    const [first, second] = doc.results;
    // Two virtuals with the same real and the same check share one run: same duration and message.
    expect(first?.durationMs).toBe(second?.durationMs);
    expect(doc.results.find((x) => x.real.startsWith("[::1]"))).toMatchObject({ virtual: "tcp:[2001:db8::10]:6379", check: "connect", ok: true });
    expect(doc.results.find((x) => x.virtual === "fwm:42")).toMatchObject({ ok: true });
  });
  it("narrows with --virtual and --real", async () => {
    const r = await cli(["failing.cf", "check", "--json", "--virtual", "192.0.2.13:80", "--real", `127.0.0.1:${nginx.http}`]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: unknown[] };
    expect(doc.results).toHaveLength(1);
    const v6 = await cli(["healthy.cf", "check", "--virtual", "[2001:db8::10]:6379"]);
    expect(v6.code).toBe(0);
    expect(v6.stdout.trimEnd().split("\n")).toHaveLength(2);
  });
  it("prints config warnings on stderr and keeps --json on stdout clean", async () => {
    const r = await cli(["warned.cf", "check", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warned\.cf:\d+: warning: /);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });
  it("exits 2 on a config error, a missing config, or a filter matching nothing", async () => {
    const broken = await cli(["broken.cf", "check"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.cf:3: error: .*conect/);
    const missing = await cli(["no-such.cf", "check"]);
    expect(missing.code).toBe(2);
    const nothing = await cli(["healthy.cf", "check", "--virtual", "198.51.100.1:80"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("nothing matches --virtual 198.51.100.1:80");
  });
});
