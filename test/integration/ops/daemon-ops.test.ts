// maintenancedir, monitorfile, fallbackcommand and alerts through the real daemon: bin/ldirectord-ts -d with the
// dry-run backend, a real HTTP server on loopback, files in a temp dir.
import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server, type Socket, type AddressInfo } from "node:net";
import { chmod, mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSmtp, waitFor } from "./helpers.js";

const BIN = fileURLToPath(new URL("../../../bin/ldirectord-ts", import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An HTTP real server on 127.0.0.1 whose /health can be failed. */
async function realServer(): Promise<{ port: number; setHealthy(h: boolean): void }> {
  let healthy = true;
  const s: HttpServer = createHttpServer((req, res) => {
    res.writeHead(healthy ? 200 : 503, { connection: "close" });
    res.end(healthy ? "OK\n" : "failing\n");
    void req;
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  }));
  return { port: (s.address() as AddressInfo).port, setHealthy: (h) => void (healthy = h) };
}

/** Start the daemon in the foreground; collects stdout+stderr. */
function daemon(dir: string, cf: string): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  let out = "";
  const child = spawn(process.execPath, [BIN, "-d", "--backend", "dry-run", "--ha-dir", dir, "--run-dir", dir, cf, "start"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(t);
    }
  });
  return { child, out: () => out, exited };
}

describe("operations through the spawned daemon", () => {
  it("maintenancedir takes the real out (monitorfile line, fallbackcommand start) and its removal brings it back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ldts-daemon-ops-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const rs = await realServer();
    const maint = join(dir, "maint");
    await mkdir(maint);
    const calls = join(dir, "calls.txt");
    const script = join(dir, "fb.sh");
    await writeFile(script, `#!/bin/sh\necho "$*" >> "${calls}"\n`);
    await chmod(script, 0o755);
    const monitor = join(dir, "monitor.log");
    await writeFile(
      join(dir, "ops.cf"),
      [
        "checktimeout=2",
        "checkinterval=1",
        `maintenancedir=${maint}`,
        `logfile="${join(dir, "ld.log")}"`,
        `fallbackcommand="${script} extra"`,
        "virtual=127.0.0.100:80",
        `\treal=127.0.0.1:${rs.port} masq 1`,
        "\tservice=http",
        "\tchecktype=negotiate",
        '\trequest="/health"',
        '\treceive="OK"',
        `\tmonitorfile="${monitor}"`,
        "",
      ].join("\n"),
    );
    const d = daemon(dir, "ops.cf");
    await waitFor(() => existsSync(monitor) && / \[up\] /.test(String(readFileSafe(monitor))), 15_000, `a first [up] monitorfile line; output:\n${d.out()}`);

    const t0 = Date.now();
    await writeFile(join(maint, `127.0.0.1:${rs.port}`), "");
    await waitFor(() => /start 127\.0\.0\.100:80 tcp/.test(readFileSafe(calls)), 10_000, `fallbackcommand start; output:\n${d.out()}`);
    const inMs = Date.now() - t0;
    // Picked up within one check interval (1 s) plus the directory poll (1 s), with margin for a loaded machine.
    expect(inMs).toBeLessThan(4_500);
    expect(readFileSafe(monitor)).toMatch(/\[down\] .*maintenance/i);
    expect(d.out()).toContain(`Deleted real server: 127.0.0.1:${rs.port} (127.0.0.100:80)`);

    await unlink(join(maint, `127.0.0.1:${rs.port}`));
    await waitFor(() => /start 127\.0\.0\.100:80 tcp\n(.*\n)*extra stop 127\.0\.0\.100:80 tcp/.test(readFileSafe(calls)), 10_000, `fallbackcommand stop; output:\n${d.out()}`);
    expect(readFileSafe(calls).split("\n").filter((l) => l.startsWith("extra start"))).toHaveLength(1);

    d.child.kill("SIGTERM");
    expect(await d.exited).toBe(0);
  });

  it("a hanging SMTP relay does not delay the table change (measured)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ldts-daemon-smtp-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sockets: Socket[] = [];
    const hang: Server = createTcpServer((s) => void sockets.push(s));
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      hang.close(() => r());
    }));
    const rs = await realServer();
    await writeFile(
      join(dir, "smtp.cf"),
      [
        "checktimeout=2",
        "checkinterval=1",
        'emailalert="noc@example.net"',
        `smtp=127.0.0.1:${(hang.address() as AddressInfo).port}`,
        "virtual=127.0.0.100:80",
        `\treal=127.0.0.1:${rs.port} masq 1`,
        "\tservice=http",
        '\trequest="/health"',
        '\treceive="OK"',
        "",
      ].join("\n"),
    );
    const d = daemon(dir, "smtp.cf");
    await waitFor(() => d.out().includes(`Added real server: 127.0.0.1:${rs.port}`), 15_000, `the real to come up; output:\n${d.out()}`);
    await waitFor(() => sockets.length > 0, 10_000, "the daemon to connect to the hanging relay");
    const t0 = Date.now();
    rs.setHealthy(false);
    // The table change itself: the dry-run backend's ipvsadm line.
    await waitFor(() => d.out().includes(`ipvsadm -d -t 127.0.0.100:80 -r 127.0.0.1:${rs.port}`), 10_000, `the real to be removed; output:\n${d.out()}`);
    const downMs = Date.now() - t0;
    const t1 = Date.now();
    rs.setHealthy(true);
    await waitFor(() => new RegExp(`ipvsadm -a -t 127\\.0\\.0\\.100:80 .*-r 127\\.0\\.0\\.1:${rs.port}[\\s\\S]*ipvsadm -a -t 127\\.0\\.0\\.100:80 .*-r 127\\.0\\.0\\.1:${rs.port}`).test(d.out()), 10_000, `the real to come back; output:\n${d.out()}`);
    const upMs = Date.now() - t1;
    // One check interval (1 s) plus the check, with margin for a loaded machine; a mail stuck for 15 s would show. The relay is
    // hanging on the start-up alert at that point (a connection is open and unanswered).
    expect(sockets.length).toBeGreaterThan(0);
    expect(downMs).toBeLessThan(5_000);
    expect(upMs).toBeLessThan(5_000);
    console.log(`hanging relay: table change ${downMs} ms after the failure, ${upMs} ms after the recovery`);
  });
  it("passwd= and secret= appear in no log line, monitorfile line or mail of the running daemon", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ldts-daemon-secrets-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    // A port with nothing listening: the checks fail, so transitions, alerts and monitorfile lines are produced.
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const PASSWD = "S3cr3t-Passw0rd";
    const SECRET = "radius-shared-key";
    const monitor = join(dir, "monitor.log");
    await writeFile(
      join(dir, "secrets.cf"),
      [
        "checktimeout=1",
        "checkinterval=1",
        'emailalert="noc@example.net"',
        `smtp=127.0.0.1:${smtp.port}`,
        "virtual=127.0.0.100:21",
        `\treal=127.0.0.1:${port} masq 1`,
        "\tservice=ftp",
        '\tlogin="admin"',
        `\tpasswd="${PASSWD}"`,
        `\tmonitorfile="${monitor}"`,
        "",
        "virtual=127.0.0.100:1812",
        `\treal=127.0.0.1:${port} masq 1`,
        "\tprotocol=udp",
        "\tservice=radius",
        '\tlogin="probe"',
        `\tpasswd="${PASSWD}"`,
        `\tsecret="${SECRET}"`,
        `\tmonitorfile="${monitor}"`,
        "",
      ].join("\n"),
    );
    const d = daemon(dir, "secrets.cf");
    await waitFor(() => smtp.mails.length >= 1 && (readFileSafe(monitor).match(/\n/g) ?? []).length >= 4, 20_000, `alerts and monitorfile lines; output:\n${d.out()}`);
    d.child.kill("SIGTERM");
    expect(await d.exited).toBe(0);
    const outputs: [string, string][] = [
      ["daemon output (-d, debug level)", d.out()],
      ["monitorfile", readFileSafe(monitor)],
      ["mail", smtp.mails.map((m) => `${m.raw}\n${m.subject}\n${m.body}`).join("\n")],
    ];
    // Not vacuous: the failing reals are in every output.
    for (const [where, text] of outputs) expect(text, where).toContain(`127.0.0.1`);
    for (const [where, text] of outputs) {
      for (const secret of [PASSWD, SECRET]) expect(text.includes(secret), `${secret} found in the ${where}`).toBe(false);
    }
  });
  it("the daemonized director logs JSON transition lines to logfile= and reopens it on USR1 (logrotate)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ldts-daemon-log-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const rs = await realServer();
    const logfile = join(dir, "ld.log");
    await writeFile(
      join(dir, "log.cf"),
      ["checktimeout=2", "checkinterval=1", `logfile="${logfile}"`, "virtual=127.0.0.100:80", `\treal=127.0.0.1:${rs.port} masq 1`, "\tservice=http", '\trequest="/health"', '\treceive="OK"', ""].join("\n"),
    );
    const cli = (command: string): Promise<number | null> =>
      new Promise((resolve) => {
        const c = spawn(process.execPath, [BIN, "--backend", "dry-run", "--ha-dir", dir, "--run-dir", dir, "log.cf", command], { stdio: "ignore" });
        const t = setTimeout(() => c.kill("SIGKILL"), 30_000);
        c.on("exit", (code) => {
          clearTimeout(t);
          resolve(code);
        });
      });
    const pidFile = join(dir, "ldirectord-ts.log.cf.pid");
    cleanups.push(() => {
      const pid = Number(readFileSafe(pidFile));
      if (pid > 0) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    });
    expect(await cli("start")).toBe(0);
    const pid = Number(readFileSafe(pidFile));
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => readFileSafe(logfile).includes(`Added real server: 127.0.0.1:${rs.port} (127.0.0.100:80)`), 15_000, `the Added line in ${logfile}:\n${readFileSafe(logfile)}`);

    await rename(logfile, `${logfile}.1`);
    process.kill(pid, "SIGUSR1");
    await waitFor(() => existsSync(logfile), 5_000, "the log file to be reopened");
    rs.setHealthy(false);
    await waitFor(() => readFileSafe(logfile).includes("Deleted real server"), 15_000, `the Deleted line in the new ${logfile}`);
    expect(await cli("stop")).toBe(0);

    const records = readFileSafe(logfile)
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const deleted = records.find((r) => String(r.msg).startsWith("Deleted real server"));
    expect(deleted).toMatchObject({ vs: "tcp:127.0.0.100:80", rs: `127.0.0.1:${rs.port}`, from: "up", to: "down", maintenance: false });
    expect(String(deleted?.reason)).toMatch(/503/);
    expect(typeof deleted?.durationMs).toBe("number");
    expect(readFileSafe(`${logfile}.1`)).toContain("Added real server");
    expect(readFileSafe(`${logfile}.1`)).not.toContain("Deleted real server");
  });
});

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}
