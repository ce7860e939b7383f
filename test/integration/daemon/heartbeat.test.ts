// Heartbeat v1 drives a resource script as `/etc/ha.d/resource.d/ldirectord www start|status|stop`, with no
// options, and judges `status` by stdout with the case statement of its ResourceManager (we_own_resource). This test
// does exactly that with a link named `ldirectord` to the real executable and options from the environment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { symlink, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BIN, alive, cli, httpConfig, sandbox, startReal, type RealHttp, type Sandbox } from "./helpers.js";

let box: Sandbox;
let real: RealHttp;
let link: string;
const env = (): NodeJS.ProcessEnv => ({ LDIRECTORD_TS_HA_DIR: box.haDir, LDIRECTORD_TS_RUN_DIR: box.runDir, LDIRECTORD_TS_BACKEND: "dry-run" });

/** Heartbeat's we_own_resource(): `case \`$spath $arg status\` in …` → 0 running, 3 not running. */
function heartbeatSaysRunning(): Promise<boolean> {
  const script = `case \`"$0" www status\` in
  *[Nn][Oo][Tt]\\ *[Rr]unning*) exit 3;;
  *[Rr]unning*|*OK*) exit 0;;
  *) exit 3;;
esac`;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script, link], { env: { ...process.env, ...env() }, stdio: ["ignore", "ignore", "ignore"] });
    const timer = setTimeout(() => reject(new Error("status did not finish in 30 s")), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

beforeAll(async () => {
  box = await sandbox();
  real = await startReal();
  await writeFile(join(box.haDir, "www"), httpConfig({ logFile: box.logFile, vport: 18_081, reals: [{ port: real.port }] }));
  const resourceD = join(box.dir, "resource.d");
  await mkdir(resourceD);
  link = join(resourceD, "ldirectord");
  await symlink(BIN, link);
});

afterAll(async () => {
  await cli(["www", "stop"], { env: env(), argv0: link });
  await real?.close();
  await box?.cleanup();
});

describe("Heartbeat resource script: `ldirectord www start|status|stop` through a link, options from the environment", { timeout: 60_000 }, () => {
  it("not running: status exits 3 and Heartbeat reads 'not running'", async () => {
    const r = await cli(["www", "status"], { env: env(), argv0: link });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/not running/);
    expect(await heartbeatSaysRunning()).toBe(false);
  });

  it("start exits 0; status exits 0 with 'running' and the pid on stdout; Heartbeat sees it running", async () => {
    const s = await cli(["www", "start"], { env: env(), argv0: link });
    expect(s.code).toBe(0);
    const r = await cli(["www", "status"], { env: env(), argv0: link });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ldirectord-ts for www is running with pid: \d+\n$/);
    expect(await heartbeatSaysRunning()).toBe(true);
  });

  it("the same command with --ha-dir/--run-dir options instead of the environment agrees", async () => {
    const r = await cli(["--ha-dir", box.haDir, "--run-dir", box.runDir, "www", "status"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is running with pid: \d+/);
  });

  it("stop exits 0 once the daemon is gone; Heartbeat then reads 'not running'", async () => {
    const pid = Number(/pid: (\d+)/.exec((await cli(["www", "status"], { env: env(), argv0: link })).stdout)?.[1]);
    const r = await cli(["www", "stop"], { env: env(), argv0: link });
    expect(r.code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(await heartbeatSaysRunning()).toBe(false);
  });
});
