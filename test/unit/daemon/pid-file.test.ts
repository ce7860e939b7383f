import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configName, daemonState, pidFilePath, removePidFile, writePidFile } from "../../../src/daemon/pid-file.js";

let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ldts-pid-"));
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** A live process whose command line does (or does not) name ldirectord. */
function live(named: boolean): number {
  const c = spawn("sh", ["-c", "sleep 30; :", named ? "ldirectord-ts" : "other"], { stdio: "ignore" });
  children.push(c);
  return c.pid!;
}

describe("pid file", () => {
  it.each([
    [undefined, "ldirectord"],
    ["www", "www"],
    ["/etc/ha.d/www.cf", "www.cf"],
    ["conf/ldirectord.cf", "ldirectord.cf"],
  ])("CFGNAME of %s is %s (as ldirectord)", (arg, name) => {
    expect(configName(arg)).toBe(name);
    expect(pidFilePath("/var/run", name)).toBe(`/var/run/ldirectord-ts.${name}.pid`);
  });

  it("judges stopped, running (cmdline names ldirectord) and stale (dead or another program)", async () => {
    const path = join(dir, "ldirectord-ts.www.pid");
    expect(await daemonState(path)).toEqual({ kind: "stopped" });
    const ours = live(true);
    await new Promise((r) => setTimeout(r, 100));
    await writePidFile(path, ours);
    expect(await daemonState(path)).toEqual({ kind: "running", pid: ours });
    const other = live(false);
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(path, `${other}\n`);
    expect(await daemonState(path)).toEqual({ kind: "stale", pid: other, path });
    await writeFile(path, "garbage\n");
    expect(await daemonState(path)).toEqual({ kind: "stale", pid: undefined, path });
  });

  it("removePidFile removes only a file holding the given pid", async () => {
    const path = join(dir, "p.pid");
    await writePidFile(path, 4242);
    await removePidFile(path, 1);
    expect(await readFile(path, "utf8")).toBe("4242\n");
    await removePidFile(path, 4242);
    await expect(readFile(path, "utf8")).rejects.toThrow(/ENOENT/);
  });
});
