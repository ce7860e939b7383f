// maintenancedir, monitorfile and fallbackcommand through the operations hooks, with real files and processes.
// (The spawned-daemon versions of these tests live in daemon-ops.test.ts.)
import { afterEach, describe, expect, it } from "vitest";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { createOperations } from "../../../src/ops/index.js";
import { createMaintenance } from "../../../src/ops/maintenance.js";
import { config, real, virtual } from "../../unit/ops/fixtures.js";
import { sleep, waitFor } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "ldts-ops-"));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) }) };
}

describe("maintenancedir", () => {
  it("a file named IP:PORT, IP or host name takes the real out within one interval; removing it restores it", async () => {
    const dir = await tempDir();
    const { logger } = memoryLogger();
    const m = createMaintenance({ dir, logger, intervalMs: 200, reverseLookup: async () => [] });
    cleanups.push(() => m.close());
    const a = real({ address: "192.0.2.10", port: 80 });
    const b = real({ address: "192.0.2.11", port: 80, hostname: "web2.example.net" });
    const c = real({ family: 6, address: "2001:db8::5", port: 443 });
    expect([m.inMaintenance(a), m.inMaintenance(b), m.inMaintenance(c)]).toEqual([false, false, false]);
    await writeFile(join(dir, "192.0.2.10:80"), "");
    await writeFile(join(dir, "web2"), "");
    await writeFile(join(dir, "[2001:db8::5]"), "");
    const t0 = Date.now();
    await waitFor(() => m.inMaintenance(a) && m.inMaintenance(b) && m.inMaintenance(c), 2_000, "maintenance to be seen");
    expect(Date.now() - t0).toBeLessThan(1_500);
    await unlink(join(dir, "192.0.2.10:80"));
    await waitFor(() => !m.inMaintenance(a), 2_000, "maintenance to end");
    expect(m.inMaintenance(b)).toBe(true);
  });

  it("a missing directory means nothing is in maintenance, said once", async () => {
    const dir = join(await tempDir(), "absent");
    const { logger, lines } = memoryLogger();
    const m = createMaintenance({ dir, logger, intervalMs: 50 });
    cleanups.push(() => m.close());
    await sleep(400);
    expect(m.inMaintenance(real())).toBe(false);
    expect(lines.filter((l) => String(l.msg).startsWith(`maintenancedir ${dir}`))).toHaveLength(1);
    await mkdir(dir);
    await writeFile(join(dir, "192.0.2.10"), "");
    await waitFor(() => m.inMaintenance(real()), 2_000, "the directory to appear");
  });

  it("answers through the hooks for every virtual holding the real", async () => {
    const dir = await tempDir();
    const { logger } = memoryLogger();
    const v1 = virtual();
    const v2 = virtual({ address: "192.0.2.2" });
    const o = createOperations(config([v1, v2], { maintenancedir: dir }), { logger, maintenanceIntervalMs: 100 });
    cleanups.push(() => o.close());
    await writeFile(join(dir, "192.0.2.10"), "");
    await waitFor(() => o.hooks.inMaintenance?.(v1, real()) === true, 2_000, "maintenance via hooks");
    expect(o.hooks.inMaintenance?.(v2, real())).toBe(true);
    expect(o.hooks.inMaintenance?.(v2, real({ address: "192.0.2.99" }))).toBe(false);
  });
});

describe("monitorfile", () => {
  it("appends one line per check result to each virtual's file, and reopens after rotation", async () => {
    const d = await tempDir();
    const f1 = join(d, "www.log");
    const f2 = join(d, "mail.log");
    const { logger } = memoryLogger();
    const v1 = virtual({ monitorfile: f1 });
    const v2 = virtual({ address: "192.0.2.2", port: 25, service: "smtp", monitorfile: f2 });
    const o = createOperations(config([v1, v2]), { logger });
    o.hooks.onCheckResult?.(v1, real(), { ok: true, message: "HTTP/1.1 200 OK", durationMs: 2 });
    o.hooks.onCheckResult?.(v1, real(), { ok: false, message: "GET http://192.0.2.10/: status 503", durationMs: 2 });
    o.hooks.onCheckResult?.(v2, real({ port: 25 }), { ok: true, message: "", durationMs: 2 });
    await sleep(100);
    await rename(f1, `${f1}.1`);
    o.reopen();
    o.hooks.onCheckResult?.(v1, real(), { ok: true, message: "HTTP/1.1 200 OK", durationMs: 2 });
    await o.close();
    const rotated = (await readFile(`${f1}.1`, "utf8")).trimEnd().split("\n");
    expect(rotated).toHaveLength(2);
    expect(rotated[0]).toMatch(new RegExp(`^\\[\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\\] \\[${process.pid}\\] negotiate http tcp 192\\.0\\.2\\.10 80 1 gate /  \\[up\\] HTTP/1\\.1 200 OK$`));
    expect(rotated[1]).toMatch(/\[down\] GET http:\/\/192\.0\.2\.10\/: status 503$/);
    expect((await readFile(f1, "utf8")).trimEnd().split("\n")).toHaveLength(1);
    expect(await readFile(f2, "utf8")).toMatch(/negotiate smtp tcp 192\.0\.2\.10 25 1 gate \/ {2}\[up\] -\n$/);
  });
});

describe("fallbackcommand", () => {
  async function recorder(d: string, body = ""): Promise<{ script: string; out: string }> {
    const out = join(d, "calls.txt");
    const script = join(d, "fb.sh");
    await writeFile(script, `#!/bin/sh\n${body}\necho "$*" >> "${out}"\n`);
    await chmod(script, 0o755);
    return { script, out };
  }

  it("runs CMD start|stop VIP:PORT PROTO once per change (edge-triggered), quotes kept, no shell", async () => {
    const d = await tempDir();
    const { script, out } = await recorder(d);
    const { logger } = memoryLogger();
    const v = virtual({ fallbackcommand: `${script} "first arg" second` });
    const o = createOperations(config([v]), { logger });
    cleanups.push(() => o.close());
    const at = Date.now();
    o.hooks.onFallback?.({ virtual: v, state: "on", at });
    o.hooks.onFallback?.({ virtual: v, state: "on", at });
    o.hooks.onFallback?.({ virtual: v, state: "off", at });
    o.hooks.onFallback?.({ virtual: v, state: "off", at });
    await o.close();
    expect((await readFile(out, "utf8")).trimEnd().split("\n")).toEqual(["first arg second start 192.0.2.1:80 tcp", "first arg second stop 192.0.2.1:80 tcp"]);
  });

  it("keeps its edge state across a reload when the command did not change, and re-runs when it did", async () => {
    const d = await tempDir();
    const { script, out } = await recorder(d);
    const { logger } = memoryLogger();
    const v = virtual({ fallbackcommand: `${script} one` });
    const o = createOperations(config([v]), { logger });
    cleanups.push(() => o.close());
    o.hooks.onFallback?.({ virtual: v, state: "on", at: 0 });
    await waitFor(() => readFileSafe(out).includes("one start"), 5_000, "the first start");
    o.reload(config([v]));
    o.hooks.onFallback?.({ virtual: v, state: "on", at: 1 });
    const changed = virtual({ fallbackcommand: `${script} two` });
    o.reload(config([changed]));
    o.hooks.onFallback?.({ virtual: changed, state: "on", at: 2 });
    await waitFor(() => readFileSafe(out).includes("two start"), 5_000, "the start with the new command");
    expect(readFileSafe(out).trimEnd().split("\n")).toEqual(["one start 192.0.2.1:80 tcp", "two start 192.0.2.1:80 tcp"]);
  });

  it("kills a command that runs too long, logs it, and does not hold up the next one", async () => {
    const d = await tempDir();
    const { script, out } = await recorder(d, 'if [ "$1" = start ]; then sleep 30; fi');
    const { logger, lines } = memoryLogger();
    const v = virtual({ fallbackcommand: script });
    const o = createOperations(config([v]), { logger, fallbackTimeoutMs: 300 });
    cleanups.push(() => o.close());
    const t0 = Date.now();
    o.hooks.onFallback?.({ virtual: v, state: "on", at: t0 });
    o.hooks.onFallback?.({ virtual: v, state: "off", at: t0 });
    expect(Date.now() - t0).toBeLessThan(250);
    await waitFor(() => lines.some((l) => String(l.msg).startsWith("fallbackcommand:")), 10_000, "the stop run");
    expect(Date.now() - t0).toBeLessThan(6_000);
    expect(lines.some((l) => /killed after 300 ms/.test(String(l.msg)))).toBe(true);
    expect(await readFile(out, "utf8")).toBe("stop 192.0.2.1:80 tcp\n");
  });

  it("logs a command that cannot run and one that fails, with the exit status", async () => {
    const d = await tempDir();
    const { logger, lines } = memoryLogger();
    const v1 = virtual({ fallbackcommand: join(d, "missing.sh") });
    const v2 = virtual({ address: "192.0.2.2", fallbackcommand: "/bin/false" });
    const o = createOperations(config([v1, v2]), { logger });
    o.hooks.onFallback?.({ virtual: v1, state: "on", at: 0 });
    o.hooks.onFallback?.({ virtual: v2, state: "on", at: 0 });
    await o.close();
    expect(lines.some((l) => l.vs === v1.key && /failed: .*ENOENT/.test(String(l.msg)))).toBe(true);
    expect(lines.some((l) => l.vs === v2.key && /\/bin\/false start 192\.0\.2\.2:80 tcp\) failed: exit 1/.test(String(l.msg)))).toBe(true);
  });
});

describe("sendmail (no smtp=)", () => {
  it("hands each recipient's mail to the sendmail program, as ldirectord's Mail::Send path", async () => {
    const d = await tempDir();
    const out = join(d, "sendmail.out");
    const fake = join(d, "sendmail");
    // Records its arguments and the message it is given on stdin.
    await writeFile(fake, `#!/bin/sh\n{ echo "ARGS: $*"; cat; echo "--END--"; } >> "${out}"\n`);
    await chmod(fake, 0o755);
    const { logger } = memoryLogger();
    const v = virtual({ alerts: { emailalert: ["noc@example.net", "oncall@example.net"], emailalertfreq: 0, emailalertstatus: ["running"] } });
    const o = createOperations(config([v]), { logger, hostname: "lb1.test", sendmailPath: fake, batchWindowMs: 20 });
    o.hooks.onStatus?.("running");
    o.hooks.onTransition?.({ virtual: v, real: real(), from: "up", to: "down", reason: "connect 192.0.2.10:80: ECONNREFUSED", durationMs: 1, maintenance: false, at: Date.now() });
    await waitFor(() => (readFileSafe(out).match(/--END--/g) ?? []).length >= 2, 10_000, "two sendmail runs");
    await o.close();
    const runs = readFileSafe(out).split("--END--").filter((r) => r.trim() !== "");
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => /ARGS: .*\b(noc|oncall)@example\.net$/m.exec(r)?.[1]).sort()).toEqual(["noc", "oncall"]);
    for (const r of runs) {
      expect(r).toContain("Subject: Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
      expect(r).toContain("Reason: connect 192.0.2.10:80: ECONNREFUSED");
    }
  });
});

describe("execute=", () => {
  it("starts, reloads and stops the other instances with this one", async () => {
    const d = await tempDir();
    const out = join(d, "self.out");
    const self = join(d, "self.sh");
    await writeFile(self, `#!/bin/sh\necho "$*" >> "${out}"\n`);
    await chmod(self, 0o755);
    const { logger } = memoryLogger();
    const c1 = config([virtual()], { execute: ["a.cf", "b.cf"] });
    const o = createOperations(c1, { logger, selfCommand: [self, "--run-dir", "/run/x"] });
    o.hooks.onStatus?.("starting");
    await waitFor(() => readFileSafe(out).split("\n").length >= 3, 5_000, "two starts");
    o.reload(config([virtual()], { execute: ["b.cf", "c.cf"] }));
    await waitFor(() => readFileSafe(out).split("\n").length >= 6, 5_000, "stop, reload and start");
    o.hooks.onStatus?.("stopping");
    await waitFor(() => readFileSafe(out).split("\n").length >= 8, 5_000, "two stops");
    await o.close();
    const lines = readFileSafe(out).trimEnd().split("\n");
    expect(lines.slice(0, 2).sort()).toEqual(["--run-dir /run/x a.cf start", "--run-dir /run/x b.cf start"]);
    expect(lines.slice(2, 5).sort()).toEqual(["--run-dir /run/x a.cf stop", "--run-dir /run/x b.cf reload", "--run-dir /run/x c.cf start"]);
    expect(lines.slice(5).sort()).toEqual(["--run-dir /run/x b.cf stop", "--run-dir /run/x c.cf stop"]);
  });
});

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}
