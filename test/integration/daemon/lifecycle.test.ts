// The real executable as a daemon (dry-run backend) against loopback HTTP real servers: start/status/stop/reload,
// pid file, double start, stop waits, autoreload with zero operations for unchanged parts, a broken edit refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, rename, writeFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { alive, cli, httpConfig, logLines, sandbox, startReal, until, type RealHttp, type Sandbox } from "./helpers.js";

let box: Sandbox;
let r1: RealHttp;
let r2: RealHttp;
let cfgPath: string;
const VPORT = 18_080;
const env = (): NodeJS.ProcessEnv => ({ LDIRECTORD_TS_HA_DIR: box.haDir, LDIRECTORD_TS_RUN_DIR: box.runDir, LDIRECTORD_TS_BACKEND: "dry-run" });
const ld = (...args: string[]) => cli(["www", ...args], { env: env() });
const pidFile = (): string => join(box.runDir, "ldirectord-ts.www.pid");

interface StateJson {
  running: boolean;
  pid?: number;
  daemon?: { status: string; table: { opsApplied: number }; virtuals: { key: string; reals: { key: string; health: string; weight: number; tableWeight?: number; lastCheck?: { at: number; ok: boolean } }[] }[] };
}
const state = async (): Promise<StateJson> => JSON.parse((await ld("status", "--json")).stdout) as StateJson;
// The dry-run backend's command lines, without the no-threshold options (-x 0 -y 0) for readability.
const ipvsadmLines = async (): Promise<string[]> =>
  (await logLines(box.logFile))
    .map((l) => l.msg)
    .filter((m) => /^(\/\S*)?ipvsadm /.test(m))
    .map((m) => m.replace(/ -x 0 -y 0/, ""));

beforeAll(async () => {
  box = await sandbox();
  r1 = await startReal();
  r2 = await startReal();
  cfgPath = join(box.haDir, "www");
  await writeFile(cfgPath, httpConfig({ logFile: box.logFile, vport: VPORT, reals: [{ port: r1.port }, { port: r2.port }], autoreload: true }));
});

afterAll(async () => {
  await ld("stop");
  await r1?.close();
  await r2?.close();
  if (process.env.KEEP_SANDBOX === undefined) await box?.cleanup();
  else console.info(`sandbox kept: ${box.dir}`);
});

describe("daemon lifecycle (dry-run backend, real executable)", { timeout: 60_000 }, () => {
  it("status before start: exit 3, 'not running' on stdout", async () => {
    const r = await ld("status");
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("ldirectord-ts for www is stopped (not running)\n");
  });

  it("stop and reload when not running: stop exits 0, reload exits 1", async () => {
    expect((await ld("stop")).code).toBe(0);
    const r = await ld("reload");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stopped for www/);
  });

  it("start daemonizes, writes the pid file and exits 0 once the first table is written", async () => {
    const r = await ld("start");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const pid = Number((await readFile(pidFile(), "utf8")).trim());
    expect(alive(pid)).toBe(true);
    expect(pid).not.toBe(process.pid);
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    expect(cmdline).toContain("ldirectord-ts");
    const s = await ld("status");
    expect(s.code).toBe(0);
    expect(s.stdout).toBe(`ldirectord-ts for www is running with pid: ${pid}\n`);
    // The first write added the service and both healthy reals, and nothing else (no fallback flap, no churn).
    const lines = await ipvsadmLines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/-A -t 127\.0\.0\.1:18080/);
    expect(lines.filter((l) => / -a -t 127\.0\.0\.1:18080 -r 127\.0\.0\.1:\d+ -m -w 1/.test(l))).toHaveLength(2);
    const js = await state();
    expect(js.daemon?.virtuals[0]?.reals.map((x) => x.health)).toEqual(["up", "up"]);
  });

  it("a second start exits 0 and starts nothing", async () => {
    const pid = (await readFile(pidFile(), "utf8")).trim();
    const r = await ld("start");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`already running with pid: ${pid}`));
    expect((await readFile(pidFile(), "utf8")).trim()).toBe(pid);
  });

  it("a failing real is taken out within checkinterval + timeout + 1 s, and comes back", async () => {
    const t0 = Date.now();
    r2.healthy = false;
    await until("real 2 down", async () => (await state()).daemon?.virtuals[0]?.reals[1]?.health === "down", 1000 + 2000 + 1000 + 1500);
    expect(Date.now() - t0).toBeLessThan(1000 + 2000 + 1000 + 1500);
    expect((await ipvsadmLines()).at(-1)).toMatch(new RegExp(`-d -t 127\\.0\\.0\\.1:18080 -r 127\\.0\\.0\\.1:${r2.port}`));
    r2.healthy = true;
    await until("real 2 up", async () => (await state()).daemon?.virtuals[0]?.reals[1]?.tableWeight === 1, 5000);
    await until("real 2 added back", async () => (await ipvsadmLines()).at(-1)?.includes(`-a -t 127.0.0.1:18080 -r 127.0.0.1:${r2.port} -m -w 1`), 3000);
  });

  it("autoreload: a weight edit written by rename-over changes exactly that real, nothing else", async () => {
    const before = (await ipvsadmLines()).length;
    const tmp = `${cfgPath}.new`;
    await writeFile(tmp, httpConfig({ logFile: box.logFile, vport: VPORT, reals: [{ port: r1.port, weight: 3 }, { port: r2.port }], autoreload: true }));
    await rename(tmp, cfgPath);
    await until("weight 3 in the table", async () => (await state()).daemon?.virtuals[0]?.reals[0]?.tableWeight === 3, 8000);
    const after = (await ipvsadmLines()).slice(before);
    expect(after, after.join("\n")).toHaveLength(1);
    expect(after[0]).toMatch(new RegExp(`-e -t 127\\.0\\.0\\.1:18080 -r 127\\.0\\.0\\.1:${r1.port} -m -w 3`));
    const msgs = (await logLines(box.logFile)).map((l) => l.msg);
    expect(msgs.some((m) => /reloaded .*www \(autoreload\).*reals \+0 -0 ~1; 1 table operation/.test(m))).toBe(true);
  });

  it("callback= runs as [callback, config path] (no shell) after a detected change", async () => {
    const cb = join(box.dir, "callback.sh");
    const out = join(box.dir, "callback.out");
    await writeFile(cb, `#!/bin/sh\nprintf '%s\\n' "$#" "$1" > "${out}"\n`, { mode: 0o755 });
    const before = (await ipvsadmLines()).length;
    await writeFile(cfgPath, httpConfig({ logFile: box.logFile, vport: VPORT, reals: [{ port: r1.port, weight: 3 }, { port: r2.port }], autoreload: true, extra: `callback="${cb}"` }));
    const got = await until("callback ran", async () => readFile(out, "utf8").catch(() => undefined), 8000);
    expect(got).toBe(`1\n${cfgPath}\n`);
    expect((await ipvsadmLines()).length).toBe(before);
  });

  it("reload (SIGHUP) of an unchanged config: exit 0, zero table operations", async () => {
    const before = (await ipvsadmLines()).length;
    const r = await ld("reload");
    expect(r.code).toBe(0);
    await until("reload logged", async () => (await logLines(box.logFile)).some((l) => /reloaded .*\(SIGHUP\): no change; 0 table operations/.test(l.msg)), 5000);
    expect((await ipvsadmLines()).length).toBe(before);
  });

  it("a broken edit is refused with file:line; the daemon keeps running and checking; status and stop still work", async () => {
    const pid = Number((await readFile(pidFile(), "utf8")).trim());
    const good = await readFile(cfgPath, "utf8");
    await writeFile(cfgPath, `${good}bogusdirective=1\n`);
    try {
      await until("refusal logged", async () => (await logLines(box.logFile)).some((l) => /reload \(autoreload\) refused/.test(l.msg)), 8000);
      const errs = (await logLines(box.logFile)).filter((l) => l.level >= 50).map((l) => l.msg);
      expect(errs.some((m) => m.startsWith(`${cfgPath}:`) && /bogusdirective/.test(m))).toBe(true);
      const lastAt = (await state()).daemon?.virtuals[0]?.reals[0]?.lastCheck?.at ?? 0;
      await until("checks go on", async () => ((await state()).daemon?.virtuals[0]?.reals[0]?.lastCheck?.at ?? 0) > lastAt, 15_000);
      const s = await ld("status");
      expect(s.code).toBe(0);
      expect(s.stdout).toBe(`ldirectord-ts for www is running with pid: ${pid}\n`);
      expect(s.stderr).toMatch(/warning: configuration problem/);
      expect((await stat(pidFile())).isFile()).toBe(true);
      // A reload command with the broken file reports it and does not signal.
      const rl = await ld("reload");
      expect(rl.code).toBe(2);
      expect(rl.stderr).toMatch(/bogusdirective/);
    } finally {
      await writeFile(cfgPath, good);
    }
  });

  it("stop waits until the daemon has exited and cleaned its virtual service; the pid file is gone", async () => {
    const pid = Number((await readFile(pidFile(), "utf8")).trim());
    const r = await ld("stop");
    expect(r.code).toBe(0);
    expect(alive(pid)).toBe(false);
    await expect(stat(pidFile())).rejects.toThrow(/ENOENT/);
    expect((await ipvsadmLines()).at(-1)).toMatch(/-D -t 127\.0\.0\.1:18080/);
    expect((await ld("status")).code).toBe(3);
  });

  it("a stale pid file: status exits 1 with the stale line and the not-running line", async () => {
    await writeFile(pidFile(), "999999\n");
    const r = await ld("status");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`ldirectord-ts stale pid file ${pidFile()} for www\nldirectord-ts for www is stopped (not running)\n`);
    expect((await ld("stop")).code).toBe(0);
  });

  it("start with the ipvsadm backend on a kernel without IPVS fails with a clear error and leaves no pid file", async () => {
    const r = await cli(["www", "start"], { env: { ...env(), LDIRECTORD_TS_BACKEND: "ipvsadm" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/start failed: .*(IPVS|ipvsadm|Protocol not available)/i);
    await expect(stat(pidFile())).rejects.toThrow(/ENOENT/);
  });
});

describe("supervised=yes: start stays in the foreground, still writes the pid file", { timeout: 60_000 }, () => {
  it("status and stop work on a supervised daemon; its JSON log lines go to stdout", async () => {
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./helpers.js");
    const sup = join(box.haDir, "sup");
    await writeFile(sup, httpConfig({ logFile: box.logFile, vport: 18_083, reals: [{ port: r1.port }], extra: "supervised=yes" }));
    const child = spawn(BIN, ["sup", "start"], { env: { ...process.env, ...env() }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await until("supervised daemon running", async () => (await cli(["sup", "status"], { env: env() })).code === 0, 15_000);
      const pid = Number((await readFile(join(box.runDir, "ldirectord-ts.sup.pid"), "utf8")).trim());
      expect(pid).toBe(child.pid);
      await until("a JSON log line on stdout", () => out.includes('"msg":"ldirectord-ts for '), 5000);
      const stop = await cli(["sup", "stop"], { env: env() });
      expect(stop.code).toBe(0);
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
