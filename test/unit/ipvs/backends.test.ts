// The memory/dry-run backends, and the ipvsadm backend's refusal on a kernel without IPVS.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IpvsUnavailableError } from "../../../src/errors.js";
import { createBackend } from "../../../src/ipvs/index.js";
import { MemoryBackend } from "../../../src/ipvs/memory-backend.js";
import { planChanges } from "../../../src/ipvs/plan.js";
import { reconcile } from "../../../src/ipvs/reconcile.js";
import type { ServiceSpec, TableReal } from "../../../src/ipvs/types.js";

const tcp: ServiceSpec = { key: "tcp:10.0.0.1:80", protocol: "tcp", family: 4, address: "10.0.0.1", port: 80, scheduler: "wrr", ops: false };
const real = (address: string, over: Partial<TableReal> = {}): TableReal => ({ address, family: 4, port: 80, forward: "masq", weight: 1, upperThreshold: 0, lowerThreshold: 0, ...over });

describe("dry-run and memory backends", () => {
  it("dry-run logs each complete ipvsadm line and keeps the table, so a second plan is empty", async () => {
    const lines: string[] = [];
    const b = await createBackend("dry-run", { log: (l) => lines.push(l) });
    const desired = [{ ...tcp, reals: [real("10.0.0.5"), real("10.0.0.6", { forward: "gate", port: 8080 })] }];
    const res = await b.apply(planChanges(await b.read(), desired));
    expect(res.failed).toEqual([]);
    expect(lines).toEqual([
      "ipvsadm -A -t 10.0.0.1:80 -s wrr",
      "ipvsadm -a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 1",
      "ipvsadm -a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.6:8080 -g -w 1",
    ]);
    // like the kernel, the gate real is stored with the virtual port
    expect((await b.read())[0]?.reals.map((r) => r.port)).toEqual([80, 80]);
  });

  it("already exists / no such destination count as applied; editing a missing real fails with the kernel's message", async () => {
    const b = await createBackend("memory", { initial: [{ ...tcp, reals: [real("10.0.0.5")] }] });
    const res = await b.apply([
      { kind: "add-real", service: tcp, real: real("10.0.0.5") },
      { kind: "delete-real", service: tcp, real: real("10.0.0.99") },
      { kind: "edit-real", service: tcp, real: real("10.0.0.77") },
      { kind: "add-real", service: { ...tcp, key: "tcp:10.0.0.1:81", port: 81 }, real: real("10.0.0.5") },
    ]);
    expect(res.applied.map((o) => o.kind)).toEqual(["add-real", "delete-real"]);
    expect(res.failed.map((f) => f.reason)).toEqual(["No such destination", "Service not defined"]);
  });

  it("reconcile repairs hand edits and logs each repair", async () => {
    const desired = [{ ...tcp, reals: [real("10.0.0.5", { weight: 3 }), real("10.0.0.6")] }];
    const b = await createBackend("memory", { initial: [{ ...tcp, reals: [real("10.0.0.5", { weight: 7 }), real("10.0.0.8")] }] });
    const log: string[] = [];
    const r = await reconcile(b, desired, { log: (l) => log.push(l) });
    expect(r.failed).toEqual([]);
    expect(log).toEqual([
      "reconcile: ipvsadm -d -t 10.0.0.1:80 -r 10.0.0.8:80",
      "reconcile: ipvsadm -e -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 3",
      "reconcile: ipvsadm -a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.6:80 -m -w 1",
    ]);
    expect(planChanges(await b.read(), desired)).toEqual([]);
  });
});

describe("reconcile after a transient failure", () => {
  it("someone clears the table between read and write: the failed apply is retried against a fresh read and converges", async () => {
    // A kernel table that an operator flushes (ipvsadm -C) right after the director read it, once.
    class FlushedOnce extends MemoryBackend {
      flushes = 1;
      override async apply(ops: Parameters<MemoryBackend["apply"]>[0]) {
        if (this.flushes-- > 0) for (const s of await this.read()) await super.apply([{ kind: "delete-service", service: s }]);
        return super.apply(ops);
      }
    }
    const desired = [{ ...tcp, reals: [real("10.0.0.5", { weight: 3 })] }];
    const b = new FlushedOnce({ initial: [{ ...tcp, reals: [real("10.0.0.5", { weight: 7 })] }] });
    const log: string[] = [];
    const r = await reconcile(b, desired, { log: (l) => log.push(l) });
    expect(r.attempts).toBe(2);
    expect(r.failed).toEqual([]);
    expect(log).toEqual([
      "reconcile: FAILED ipvsadm -e -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 3: Service not defined",
      "reconcile: ipvsadm -A -t 10.0.0.1:80 -s wrr",
      "reconcile: ipvsadm -a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 3",
    ]);
    expect(planChanges(await b.read(), desired)).toEqual([]);
  });

  it("gives up after the given number of attempts and reports what still fails", async () => {
    // A kernel that refuses every write (e.g. out of memory): bounded retries, then the failures as values.
    class Refusing extends MemoryBackend {
      writes = 0;
      override async apply(ops: Parameters<MemoryBackend["apply"]>[0]) {
        this.writes += 1;
        return { applied: [], failed: ops.map((op) => ({ op, reason: "Memory allocation problem" })) };
      }
    }
    const b = new Refusing();
    const r = await reconcile(b, [{ ...tcp, reals: [real("10.0.0.5")] }], { attempts: 2 });
    expect([r.attempts, b.writes, r.applied.length]).toEqual([2, 2, 0]);
    expect(r.failed.map((f) => `${f.op.kind}: ${f.reason}`)).toEqual(["add-service: Memory allocation problem", "add-real: Memory allocation problem"]);
  });
});

describe("ipvsadm backend without IPVS", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("a missing binary given with --ipvsadm is a clear IpvsUnavailableError", async () => {
    await expect(createBackend("ipvsadm", { ipvsadm: "/nonexistent/ipvsadm" })).rejects.toThrow(/ipvsadm not found or not executable at \/nonexistent\/ipvsadm/);
  });

  it("the answer of ipvsadm on a kernel without ip_vs becomes IpvsUnavailableError, not a silent dry-run", async () => {
    // The real binary's messages on such a kernel (as this project's build hosts print them), from a stand-in program.
    const dir = await mkdtemp(path.join(tmpdir(), "ipvsadm-"));
    dirs.push(dir);
    const bin = path.join(dir, "ipvsadm");
    await writeFile(bin, "#!/bin/sh\necho \"modprobe: FATAL: Module ip_vs not found in directory /lib/modules/x\" >&2\necho \"Can't initialize ipvs: Protocol not available\" >&2\nexit 2\n");
    await chmod(bin, 0o755);
    const err = await createBackend("ipvsadm", { ipvsadm: bin }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpvsUnavailableError);
    expect((err as Error).message).toMatch(/cannot be used: .*ipvsadm -S -n: .*Protocol not available.*--backend dry-run/);
  });

  it("on this host the real ipvsadm either reads the table (IPVS present) or refuses the same way", async () => {
    const hasIpvs = existsSync("/proc/net/ip_vs");
    const result = await createBackend("ipvsadm").then(
      async (b) => ({ ok: true as const, table: await b.read() }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (hasIpvs) expect(result.ok).toBe(true);
    else {
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.e).toBeInstanceOf(IpvsUnavailableError);
    }
  });
});
