// checktype connect, ping, external/external-perl, on, off and the phases of combined (checktype=N).
import { access, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type Running } from "../../fixtures/servers/protocol-daemons.js";
import { freePort, makeTempDir } from "../../fixtures/servers/common.js";
import { startNginx, type Nginx } from "../../fixtures/servers/nginx.js";
import { checkKey, checkTimeoutMs, runCheck } from "../../../src/checks/index.js";
import { block, checkOf, pairOf } from "./config-helper.js";
import { guardSocketLeaks } from "./leak-guard.js";

let redis4: Running;
let redis6: Running;
let nginx: Nginx;
let tmp: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  [redis4, redis6, nginx, tmp] = await Promise.all([startRedis("127.0.0.1"), startRedis("::1"), startNginx(), makeTempDir("external")]);
}, 30_000);
afterAll(async () => {
  await Promise.all([redis4?.stop(), redis6?.stop(), nginx?.stop(), tmp?.remove()]);
});
guardSocketLeaks();

describe("connect", () => {
  it("is up when the TCP connect succeeds (IPv4 and IPv6)", async () => {
    const a = await checkOf(block({ real: `127.0.0.1:${redis4.port}`, lines: ["checktype=connect", "checktimeout=1"] }));
    expect(a).toMatchObject({ ok: true, message: `connect 127.0.0.1:${redis4.port}: connected` });
    const b = await checkOf(block({ real: `[::1]:${redis6.port}`, lines: ["checktype=connect", "checktimeout=1"] }));
    expect(b).toMatchObject({ ok: true, message: `connect [::1]:${redis6.port}: connected` });
  });
  it("uses checkport instead of the real's port", async () => {
    const r = await checkOf(block({ real: "127.0.0.1:1", lines: ["checktype=connect", `checkport=${redis4.port}`] }));
    expect(r.ok, r.message).toBe(true);
  });
  it("is down when refused", async () => {
    const port = await freePort();
    const r = await checkOf(block({ real: `127.0.0.1:${port}`, lines: ["checktype=connect", "checktimeout=1"] }));
    expect(r).toMatchObject({ ok: false, message: `connect 127.0.0.1:${port}: connection refused` });
  });
  it("stops at once when the caller aborts", async () => {
    const { virtual, real } = await pairOf(block({ real: `127.0.0.1:${redis4.port}`, lines: ["checktype=connect", "checktimeout=5"] }));
    const r = await runCheck(virtual, real, { signal: AbortSignal.abort() });
    expect(r.ok).toBe(false);
    expect(r.message).toContain("aborted");
    expect(r.durationMs).toBeLessThan(100);
  });
  it("pings instead on a UDP virtual, as ldirectord", async () => {
    const r = await checkOf(block({ real: "127.0.0.1:53", virtual: "virtual=192.0.2.1:53", lines: ["checktype=connect", "checktimeout=2"] }));
    expect(r.message).toMatch(/^ping 127\.0\.0\.1: /);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("ping", () => {
  it("is up on an echo reply (IPv4 and IPv6)", async () => {
    const a = await checkOf(block({ real: "127.0.0.1", lines: ["checktype=ping", "checktimeout=2"] }));
    expect(a).toMatchObject({ ok: true, message: "ping 127.0.0.1: echo reply (attempt 1 of 1)" });
    const b = await checkOf(block({ real: "[::1]", lines: ["checktype=ping", "checktimeout=2"] }));
    expect(b).toMatchObject({ ok: true, message: "ping ::1: echo reply (attempt 1 of 1)" });
  });
  it("is down, naming the cause, when ping cannot run", async () => {
    process.env["LDIRECTORD_TS_PING"] = join(tmp.dir, "no-such-ping");
    try {
      const r = await checkOf(block({ real: "127.0.0.1", lines: ["checktype=ping", "checktimeout=2"] }));
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^ping 127\.0\.0\.1: cannot run ping: no such file or directory \(ENOENT\)$/);
    } finally {
      delete process.env["LDIRECTORD_TS_PING"];
    }
  });
});

/** Write an executable script into the temp dir. */
async function script(name: string, body: string): Promise<string> {
  const path = join(tmp.dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** Whether a process is gone (a zombie waiting for a reaper counts as gone). */
async function gone(pid: number): Promise<boolean> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return /^State:\s+Z/m.test(status);
  } catch {
    return true;
  }
}

describe("external", () => {
  it("is up on exit 0 and down on exit 1, naming the exit code", async () => {
    const ok = await script("ok.sh", "exit 0");
    const bad = await script("bad.sh", 'echo "backend says no" >&2; exit 1');
    const a = await checkOf(block({ real: "127.0.0.1:8080", lines: ["checktype=external", `checkcommand=${ok}`, "checktimeout=2"] }));
    expect(a).toMatchObject({ ok: true, message: `${ok} 192.0.2.1 80 127.0.0.1 8080: exit 0` });
    const b = await checkOf(block({ real: "127.0.0.1:8080", lines: ["checktype=external-perl", `checkcommand=${bad}`, "checktimeout=2"] }));
    expect(b).toMatchObject({ ok: false, message: `${bad} 192.0.2.1 80 127.0.0.1 8080: exit 1 (backend says no)` });
  });
  it("passes VIP, VPORT, RIP, RPORT exactly (IPv6 bracketed as ldirectord, fwmark as its number)", async () => {
    const out = join(tmp.dir, "args.txt");
    const args = await script("args.sh", `for a in "$@"; do printf '%s\\n' "$a"; done > ${out}`);
    await checkOf(block({ real: "[::1]:8080", lines: ["checktype=external", `checkcommand=${args}`] }));
    expect(await readFile(out, "utf8")).toBe("[2001:db8::1]\n80\n[::1]\n8080\n");
    await checkOf(["virtual=42", "\treal=127.0.0.1 gate", "\tchecktype=external", `\tcheckcommand=${args}`, ""].join("\n"));
    expect(await readFile(out, "utf8")).toBe("42\n0\n127.0.0.1\n0\n");
  });
  it("kills a hanging command and its children at the timeout", async () => {
    const pids = join(tmp.dir, "pids.txt");
    const hang = await script("hang.sh", `sleep 60 & echo "$$ $!" > ${pids}; wait`);
    const r = await checkOf(block({ real: "127.0.0.1:8080", lines: ["checktype=external", `checkcommand=${hang}`, "checktimeout=1"] }));
    expect(r.ok).toBe(false);
    expect(r.message).toBe(`${hang} 192.0.2.1 80 127.0.0.1 8080: timed out after 1000 ms, killed`);
    expect(r.durationMs).toBeLessThan(1500);
    const [shell, sleeper] = (await readFile(pids, "utf8")).trim().split(" ").map(Number);
    let bothGone = false;
    for (let i = 0; i < 50 && !bothGone; i++) {
      bothGone = (await gone(shell ?? 0)) && (await gone(sleeper ?? 0));
      if (!bothGone) await sleep(20);
    }
    expect(bothGone).toBe(true);
  });
  it("never hands the command to a shell", async () => {
    const marker = join(tmp.dir, "PWNED");
    const r = await checkOf(block({ real: "127.0.0.1:8080", lines: ["checktype=external", `checkcommand=${tmp.dir}/ok.sh;touch ${marker}`, "checktimeout=1"] }));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/: cannot run: no such file or directory \(ENOENT\)$/);
    const odd = join(tmp.dir, "dir $(touch PWNED) `touch PWNED`");
    await mkdir(odd);
    const path = join(odd, "ok.sh");
    await writeFile(path, "#!/bin/sh\nexit 0\n");
    await chmod(path, 0o755);
    const s = await checkOf(block({ real: "127.0.0.1:8080", lines: ["checktype=external", `checkcommand=${path}`, "checktimeout=1"] }));
    expect(s.ok, s.message).toBe(true);
    await expect(access(marker)).rejects.toThrow();
    await expect(access(join(odd, "PWNED"))).rejects.toThrow();
  });
});

describe("on, off and combined", () => {
  it("on is up without a probe, off is not checked", async () => {
    const port = await freePort();
    expect(await checkOf(block({ real: `127.0.0.1:${port}`, lines: ["checktype=on"] }))).toMatchObject({ ok: true, message: "checktype=on: not checked, always up" });
    expect(await checkOf(block({ real: `127.0.0.1:${port}`, lines: ["checktype=off"] }))).toMatchObject({ ok: false, message: "checktype=off: not checked" });
  });
  it("checktype=N negotiates in the negotiate phase and connects in the connect phase, each with its timeout", async () => {
    const text = block({ real: `127.0.0.1:${nginx.http}`, lines: ["checktype=2", "service=http", 'request="/down"', "checktimeout=1", "negotiatetimeout=3"] });
    const negotiate = await checkOf(text, "negotiate");
    expect(negotiate.ok).toBe(false);
    expect(negotiate.message).toContain("status 503");
    const connect = await checkOf(text, "connect");
    expect(connect).toMatchObject({ ok: true, message: `connect 127.0.0.1:${nginx.http}: connected` });
    const { virtual } = await pairOf(text);
    expect(checkTimeoutMs(virtual, "negotiate")).toBe(3000);
    expect(checkTimeoutMs(virtual, "connect")).toBe(1000);
  });
  it("gives two virtuals with the same real and check one key, and different checks different keys", async () => {
    const real = `127.0.0.1:${nginx.http}`;
    const [a, b, c] = await (await import("./config-helper.js")).virtualsOf(
      [block({ real, virtual: "virtual=192.0.2.1:80", lines: ["service=http", "checktype=negotiate"] }), block({ real, virtual: "virtual=192.0.2.2:80", lines: ["service=http", "checktype=negotiate"] }), block({ real, virtual: "virtual=192.0.2.3:80", lines: ["service=http", "checktype=negotiate", 'receive="other"'] })].join("\n"),
    );
    if (a === undefined || b === undefined || c === undefined) throw new Error("three virtuals expected");
    const key = (v: typeof a): string => checkKey(v, v.reals[0] ?? (undefined as never));
    expect(key(a)).toBe(key(b));
    expect(key(a)).not.toBe(key(c));
  });
});
