// The parsers on real ipvsadm 1.31 output captured in the lab kernel (fixtures/capture.sh made it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatRestoreLine } from "../../../src/ipvs/format-op.js";
import { parseIpvsadmSave, parseIpvsadmThresholds, withThresholds } from "../../../src/ipvs/parse-ipvsadm.js";
import { planChanges } from "../../../src/ipvs/plan.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("parseIpvsadmSave on captured output", () => {
  const table = parseIpvsadmSave(fixture("ipvsadm-save.txt"));

  it("reads every service with its key, in kernel order", () => {
    expect(table.map((s) => s.key)).toEqual([
      "tcp:10.10.9.1:25", "tcp:10.10.9.1:80", "tcp:10.10.9.1:443", "udp:10.10.9.1:53", "udp:10.10.9.1:5060",
      "tcp:[fd00:99::1]:80", "fwm:42", "fwm6:43",
    ]);
  });

  it("reads scheduler, persistence, netmask (v4 and v6), ops and scheduler flags", () => {
    const by = Object.fromEntries(table.map((s) => [s.key, s]));
    expect(by["tcp:10.10.9.1:25"]).toMatchObject({ scheduler: "lc", persistent: 360, ops: false });
    expect(by["tcp:10.10.9.1:443"]).toMatchObject({ scheduler: "rr", persistent: 300, netmask: "255.255.255.0" });
    expect(by["udp:10.10.9.1:53"]).toMatchObject({ protocol: "udp", scheduler: "wlc", ops: true });
    expect(by["udp:10.10.9.1:5060"]).toMatchObject({ scheduler: "sh", schedflags: "sh-port" });
    expect(by["tcp:[fd00:99::1]:80"]).toMatchObject({ family: 6, address: "fd00:99::1", port: 80, persistent: 600, netmask: "64" });
    expect(by["fwm:42"]).toMatchObject({ protocol: "fwm", family: 4, fwmark: 42, port: 0, persistent: 60 });
    expect(by["fwm6:43"]).toMatchObject({ protocol: "fwm", family: 6, fwmark: 43 });
    expect(by["fwm:42"]?.address).toBeUndefined();
    expect(by["tcp:10.10.9.1:80"]?.persistent).toBeUndefined();
  });

  it("reads reals with forwarding (Route/Masq/Tunnel, --tun-type ipip), weight, ports as the kernel stores them", () => {
    const web = table.find((s) => s.key === "tcp:10.10.9.1:80");
    expect(web?.reals.map((r) => `${r.address}:${r.port} ${r.forward} ${r.weight}`)).toEqual([
      "10.10.0.11:80 gate 5", // added as :80
      "10.10.0.12:80 gate 1", // added as :8080 -g: the kernel forces the virtual port
      "10.10.0.13:8080 masq 0",
      "10.10.0.14:80 ipip 2", // added as :8080 -i
      "10.10.0.15:0 masq 1", // portless masq stays 0
      "10.10.0.16:80 masq 1", // added without a port: ipvsadm uses the virtual port
    ]);
    const v6 = table.find((s) => s.key === "fwm6:43");
    expect(v6?.reals).toEqual([
      { address: "fd00:10::11", family: 6, port: 80, forward: "masq", weight: 1, upperThreshold: 0, lowerThreshold: 0 },
      { address: "fd00:10::12", family: 6, port: 0, forward: "gate", weight: 3, upperThreshold: 0, lowerThreshold: 0 },
    ]);
  });

  it("thresholds come from the --thresholds listing (-S does not print them)", () => {
    const th = parseIpvsadmThresholds(fixture("ipvsadm-thresholds.txt"));
    expect(th.get("tcp:10.10.9.1:80 10.10.0.11:80")).toEqual({ upper: 100, lower: 10 });
    expect(th.get("tcp:[fd00:99::1]:80 [fd00:10::11]:80")).toEqual({ upper: 50, lower: 0 });
    expect(th.get("fwm6:43 [fd00:10::12]:0")).toEqual({ upper: 0, lower: 0 });
    expect(th.size).toBe(17);
    const merged = withThresholds(table, th);
    expect(merged.find((s) => s.key === "tcp:10.10.9.1:80")?.reals[0]).toMatchObject({ upperThreshold: 100, lowerThreshold: 10 });
  });

  it("the table re-emitted as -R lines and parsed again is the same table (round trip), and plans to nothing", () => {
    const lines = planChanges([], table).map(formatRestoreLine).join("\n");
    const again = parseIpvsadmSave(lines);
    expect(again).toEqual(table);
    expect(planChanges(table, again)).toEqual([]);
  });

  it("an empty table is empty; a line it cannot read is an error naming the line", () => {
    expect(parseIpvsadmSave("")).toEqual([]);
    expect(() => parseIpvsadmSave("-A -t 10.0.0.1 -s rr\n")).toThrow(/bad address.*-A -t 10.0.0.1 -s rr/);
    expect(() => parseIpvsadmSave("-a -t 10.0.0.1:80 -r 10.0.0.5:80 -m -w 1\n")).toThrow(/real server before its service/);
  });
});
