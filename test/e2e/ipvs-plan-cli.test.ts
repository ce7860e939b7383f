// `ldirectord-ts CONFIG plan` through the real bin/ldirectord-ts on the host: real checks against loopback servers,
// the dry-run backend (an empty table), ipvsadm lines on stdout only; and the refusal of --backend ipvsadm on a
// kernel without IPVS. The same command against a real kernel table runs in the lab (ipvs-lab-table.test.ts).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB_REPO } from "./lab/harness.js";

const run = promisify(execFile);
const BIN = path.join(LAB_REPO, "bin", "ldirectord-ts");

async function listen(): Promise<Server> {
  const s = createServer((c) => c.end());
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return s;
}
const portOf = (s: Server) => (s.address() as { port: number }).port;

describe("plan command", () => {
  let dir = "";
  let up: Server;
  let closedPort = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ipvs-plan-"));
    up = await listen();
    const gone = await listen();
    closedPort = portOf(gone);
    await new Promise((r) => gone.close(r));
  });
  afterAll(async () => {
    up.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function plan(cf: string, ...args: string[]) {
    const file = path.join(dir, "plan.cf");
    await writeFile(file, cf);
    return run(process.execPath, [BIN, "--backend", "dry-run", ...args, file, "plan"], { timeout: 30_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  it("prints what start would run: the up real at its weight, the down one quiesced, nothing else on stdout", async () => {
    const r = await plan(`quiescent=yes
checktimeout=2
virtual=127.0.0.1:8080
	real=127.0.0.1:${portOf(up)} masq 3
	real=127.0.0.2:${closedPort} masq 2
	checktype=connect
	scheduler=wrr
`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      "ipvsadm -A -t 127.0.0.1:8080 -s wrr",
      `ipvsadm -a -t 127.0.0.1:8080 -x 0 -y 0 -r 127.0.0.1:${portOf(up)} -m -w 3`,
      `ipvsadm -a -t 127.0.0.1:8080 -x 0 -y 0 -r 127.0.0.2:${closedPort} -m -w 0`,
    ]);
    expect(r.stderr).toMatch(/2 checks run: 1 up, 1 down/);
  });

  it("all down with a fallback and quiescent=no: only the service and the fallback", async () => {
    const r = await plan(`checktimeout=2
virtual=127.0.0.1:8080
	real=127.0.0.2:${closedPort} masq 2
	fallback=127.0.0.1:${portOf(up)} masq
	checktype=connect
`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      "ipvsadm -A -t 127.0.0.1:8080 -s wrr", // ldirectord's default scheduler
      `ipvsadm -a -t 127.0.0.1:8080 -x 0 -y 0 -r 127.0.0.1:${portOf(up)} -m -w 1`,
    ]);
  });

  it("--backend ipvsadm on a kernel without IPVS: exit 1 and a clear message, no fallback to dry-run", async () => {
    const file = path.join(dir, "plain.cf");
    await writeFile(file, `virtual=127.0.0.1:8080\n\treal=127.0.0.1:${portOf(up)} masq\n\tchecktype=connect\n`);
    const r = await run(process.execPath, [BIN, "--backend", "ipvsadm", "--ipvsadm", path.join(dir, "missing-ipvsadm"), file, "plan"], { timeout: 30_000 }).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/ipvsadm not found or not executable at .*missing-ipvsadm/);
  });
});
