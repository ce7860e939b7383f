// The OCF resource agent (examples/ocf/ldirectord-ts) under ocf-tester from Debian's resource-agents package,
// with the dry-run backend, a loopback config and a private run dir passed through the agent's `options` parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { access, constants, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, cli, httpConfig, sandbox, startReal, type RealHttp, type Sandbox } from "./helpers.js";

const AGENT = fileURLToPath(new URL("../../../examples/ocf/ldirectord-ts", import.meta.url));
const OCF_TESTER = "/usr/sbin/ocf-tester";

let box: Sandbox;
let real: RealHttp;
let cfg: string;

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} did not finish in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

beforeAll(async () => {
  // Fail loudly (never skip) when the tool is missing: it comes with resource-agents (.ci/apt-packages).
  await access(OCF_TESTER, constants.X_OK).catch(() => {
    throw new Error(`${OCF_TESTER} is missing: install the Debian package resource-agents`);
  });
  box = await sandbox();
  real = await startReal();
  cfg = join(box.haDir, "ocf.cf");
  await writeFile(cfg, httpConfig({ logFile: box.logFile, vport: 18_082, reals: [{ port: real.port }] }));
});

afterAll(async () => {
  await cli(["--run-dir", box.runDir, cfg, "stop"]);
  await real?.close();
  await box?.cleanup();
});

describe("OCF resource agent", { timeout: 120_000 }, () => {
  it("passes ocf-tester (meta-data, validate-all, monitor, start, stop, idempotent start/stop, unknown action)", async () => {
    const r = await run(OCF_TESTER, ["-n", "ldts", "-o", `configfile=${cfg}`, "-o", `binary=${BIN}`, "-o", `options=--backend dry-run --run-dir ${box.runDir}`, AGENT]);
    expect(r.out).toMatch(/ldirectord-ts passed all tests/);
    expect(r.code).toBe(0);
  });

  it("monitor maps status: 7 (not running) before start, 0 while running; validate-all refuses a broken config with 6", async () => {
    const env = { OCF_ROOT: "/usr/lib/ocf", OCF_RESKEY_configfile: cfg, OCF_RESKEY_binary: BIN, OCF_RESKEY_options: `--backend dry-run --run-dir ${box.runDir}` };
    expect((await run(AGENT, ["monitor"], env)).code).toBe(7);
    expect((await run(AGENT, ["start"], env)).code).toBe(0);
    expect((await run(AGENT, ["monitor"], env)).code).toBe(0);
    expect((await run(AGENT, ["stop"], env)).code).toBe(0);
    expect((await run(AGENT, ["monitor"], env)).code).toBe(7);
    const broken = join(box.haDir, "broken.cf");
    await writeFile(broken, "virtual=127.0.0.1:1\n\treal=nonsense\n");
    expect((await run(AGENT, ["validate-all"], { ...env, OCF_RESKEY_configfile: broken })).code).toBe(6);
  });
});
