import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { desiredTable } from "../../../src/ipvs/desired.js";
import { formatRestoreLine } from "../../../src/ipvs/format-op.js";
import { knownRealsOf, planChanges } from "../../../src/ipvs/plan.js";
import { applyToTable } from "../../../src/ipvs/table-model.js";
import type { IpvsTable, TableReal, TableService } from "../../../src/ipvs/types.js";
import { config, health } from "./helpers.js";

const svc = (over: Partial<TableService> = {}): TableService => ({
  key: "tcp:10.0.0.1:80", protocol: "tcp", family: 4, address: "10.0.0.1", port: 80, scheduler: "wrr", ops: false, reals: [], ...over,
});
const real = (address: string, over: Partial<TableReal> = {}): TableReal => ({
  address, family: 4, port: 80, forward: "masq", weight: 1, upperThreshold: 0, lowerThreshold: 0, ...over,
});
const lines = (current: IpvsTable, desired: IpvsTable, opts = {}) => planChanges(current, desired, opts).map(formatRestoreLine);

describe("planChanges", () => {
  it("from empty: the service first, then its reals, in desired order", () => {
    expect(lines([], [svc({ reals: [real("10.0.0.5"), real("10.0.0.6", { weight: 2, forward: "gate" })] })])).toEqual([
      "-A -t 10.0.0.1:80 -s wrr",
      "-a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 1",
      "-a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.6:80 -g -w 2",
    ]);
  });

  it("nothing when the table already matches (reals in a different order included)", () => {
    const t = [svc({ reals: [real("10.0.0.5"), real("10.0.0.6")] })];
    expect(lines([svc({ reals: [real("10.0.0.6"), real("10.0.0.5")] })], t)).toEqual([]);
  });

  type Row = { name: string; current: IpvsTable; desired: IpvsTable; opts?: object; want: string[] };
  const rows: Row[] = [
    { name: "weight change → one -e", current: [svc({ reals: [real("10.0.0.5")] })], desired: [svc({ reals: [real("10.0.0.5", { weight: 0 })] })], want: ["-e -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -m -w 0"] },
    { name: "threshold change → -e", current: [svc({ reals: [real("10.0.0.5")] })], desired: [svc({ reals: [real("10.0.0.5", { upperThreshold: 9 })] })], want: ["-e -t 10.0.0.1:80 -x 9 -y 0 -r 10.0.0.5:80 -m -w 1"] },
    { name: "forwarding change with the same port → -e (ipvsadm edits it in place)", current: [svc({ reals: [real("10.0.0.5")] })], desired: [svc({ reals: [real("10.0.0.5", { forward: "gate" })] })], want: ["-e -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -g -w 1"] },
    { name: "forwarding change that moves the port → delete then add", current: [svc({ reals: [real("10.0.0.5", { port: 8080 })] })], desired: [svc({ reals: [real("10.0.0.5", { forward: "gate", port: 80 })] })], want: ["-d -t 10.0.0.1:80 -r 10.0.0.5:8080", "-a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -g -w 1"] },
    { name: "scheduler change → -E (reals untouched)", current: [svc({ reals: [real("10.0.0.5")] })], desired: [svc({ scheduler: "rr", reals: [real("10.0.0.5")] })], want: ["-E -t 10.0.0.1:80 -s rr"] },
    { name: "persistence added → -E with -p and -M", current: [svc()], desired: [svc({ persistent: 300, netmask: "255.255.255.0" })], want: ["-E -t 10.0.0.1:80 -s wrr -p 300 -M 255.255.255.0"] },
    { name: "a real leaves (quiescent=no) → -d before any add", current: [svc({ reals: [real("10.0.0.5"), real("10.0.0.6")] })], desired: [svc({ reals: [real("10.0.0.6"), real("10.0.0.7")] })], want: ["-d -t 10.0.0.1:80 -r 10.0.0.5:80", "-a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.7:80 -m -w 1"] },
    { name: "services the config does not own are left alone by default", current: [svc({ key: "tcp:10.0.0.2:80", address: "10.0.0.2", reals: [real("10.0.0.8")] })], desired: [], want: [] },
    { name: "… and deleted (one -D, which takes its reals) when asked", current: [svc({ key: "tcp:10.0.0.2:80", address: "10.0.0.2", reals: [real("10.0.0.8")] })], desired: [], opts: { purgeUnknownServices: true }, want: ["-D -t 10.0.0.2:80"] },
    { name: "a foreign real in an owned service is purged by default (ldirectord's start purge)", current: [svc({ reals: [real("10.0.0.5"), real("10.0.0.77")] })], desired: [svc({ reals: [real("10.0.0.5")] })], want: ["-d -t 10.0.0.1:80 -r 10.0.0.77:80"] },
    { name: "… and kept with purgeUnknownReals=false when the config does not know it", current: [svc({ reals: [real("10.0.0.5"), real("10.0.0.77")] })], desired: [svc({ reals: [] })], opts: { purgeUnknownReals: false, isKnownReal: (_s: string, r: string) => r === "10.0.0.5:80" }, want: ["-d -t 10.0.0.1:80 -r 10.0.0.5:80"] },
    { name: "fwmark IPv6 service", current: [], desired: [svc({ key: "fwm6:43", protocol: "fwm", family: 6, fwmark: 43, port: 0, address: undefined as never, reals: [real("2001:db8::5", { family: 6, port: 0, forward: "gate" })] })].map(({ address: _a, ...s }) => s), want: ["-A -f 43 -6 -s wrr", "-a -f 43 -6 -x 0 -y 0 -r [2001:db8::5]:0 -g -w 1"] },
    { name: "udp with ops and scheduler flags", current: [], desired: [svc({ key: "udp:10.0.0.1:53", protocol: "udp", port: 53, ops: true, scheduler: "sh", schedflags: "sh-port" })], want: ["-A -u 10.0.0.1:53 -o -s sh -b sh-port"] },
  ];
  it("scheduler flags in another order are the same flags (no -E every pass)", () => {
    expect(lines([svc({ schedflags: "sh-fallback,sh-port" })], [svc({ schedflags: "sh-port,sh-fallback" })])).toEqual([]);
  });
  for (const row of rows) it(row.name, () => expect(lines(row.current, row.desired, row.opts)).toEqual(row.want));

  it("knownRealsOf knows configured reals and the fallback under their kernel port", async () => {
    const cfg = await config(`virtual=10.0.0.1:80\n\treal=10.0.0.5:8080 gate\n\tfallback=10.0.0.9:80 masq\n\tchecktype=connect\n`);
    const known = knownRealsOf(cfg);
    expect([known("tcp:10.0.0.1:80", "10.0.0.5:80"), known("tcp:10.0.0.1:80", "10.0.0.9:80"), known("tcp:10.0.0.1:80", "10.0.0.5:8080")]).toEqual([true, true, false]);
  });
});

// Tables as the kernel could hold them: random services and reals (ports normalized as the kernel does by applyToTable).
const arbReal = fc.record({
  address: fc.integer({ min: 1, max: 6 }).map((n) => `10.0.0.${n}`),
  family: fc.constant(4 as const),
  port: fc.constantFrom(0, 80, 8080),
  forward: fc.constantFrom("gate" as const, "masq" as const, "ipip" as const),
  weight: fc.integer({ min: 0, max: 5 }),
  upperThreshold: fc.constantFrom(0, 50),
  lowerThreshold: fc.constantFrom(0, 5),
});
const arbService = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  proto: fc.constantFrom("tcp" as const, "udp" as const, "fwm" as const),
  scheduler: fc.constantFrom("rr", "wrr"),
  persistent: fc.option(fc.constantFrom(60, 300), { nil: undefined }),
  reals: fc.array(arbReal, { maxLength: 5 }),
});
const arbTable = fc.array(arbService, { maxLength: 4 }).map((specs): IpvsTable => {
  // Build through the model so duplicate keys and kernel ports behave as in the kernel.
  const ops = specs.flatMap((s) => {
    const base = s.proto === "fwm" ? { key: `fwm:${s.n}`, protocol: "fwm" as const, family: 4 as const, port: 0, fwmark: s.n } : { key: `${s.proto}:10.0.9.${s.n}:80`, protocol: s.proto, family: 4 as const, address: `10.0.9.${s.n}`, port: 80 };
    const service = { ...base, scheduler: s.scheduler, ops: false, ...(s.persistent === undefined ? {} : { persistent: s.persistent }) };
    return [{ kind: "add-service" as const, service }, ...s.reals.map((real) => ({ kind: "add-real" as const, service, real }))];
  });
  return applyToTable([], ops);
});

describe("planChanges properties", () => {
  it("applying the plan reaches the desired table, and a plan against the result is empty", () => {
    fc.assert(
      fc.property(arbTable, arbTable, (current, desired) => {
        const after = applyToTable(current, planChanges(current, desired, { purgeUnknownServices: true }));
        expect(planChanges(after, desired, { purgeUnknownServices: true })).toEqual([]);
        const norm = (t: IpvsTable) => [...t].map((s) => ({ ...s, reals: [...s.reals].sort((a, b) => `${a.address}:${a.port}`.localeCompare(`${b.address}:${b.port}`)) })).sort((a, b) => a.key.localeCompare(b.key));
        expect(norm(after)).toEqual(norm(desired));
      }),
      { numRuns: 300 },
    );
  });

  it("every operation is needed: no op of a plan is a no-op on the table it is applied to", () => {
    fc.assert(
      fc.property(arbTable, arbTable, (current, desired) => {
        let table = current;
        for (const op of planChanges(current, desired)) {
          const next = applyToTable(table, [op]);
          expect(JSON.stringify(next)).not.toBe(JSON.stringify(table));
          table = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a config's desired table applied from empty plans to nothing (no start-up churn: one add per entry)", async () => {
    const cfg = await config(`quiescent=yes
virtual=10.0.0.1:80
	real=10.0.0.5:8080 gate 3
	real=10.0.0.6 masq 2
	fallback=10.0.0.9:80 masq
	checktype=connect
virtual=42
	real=10.0.0.5 gate
	checktype=connect
`);
    const desired = desiredTable(cfg, health({}));
    const ops = planChanges([], desired);
    expect(ops.map((o) => o.kind)).toEqual(["add-service", "add-real", "add-real", "add-real", "add-service", "add-real"]);
    expect(planChanges(applyToTable([], ops), desired)).toEqual([]);
  });
});
