import { describe, expect, it } from "vitest";
import { formatCommand, formatOp } from "../../../src/ipvs/format-op.js";
import type { ServiceSpec, TableOp, TableReal } from "../../../src/ipvs/types.js";

const tcp: ServiceSpec = { key: "tcp:10.0.0.1:80", protocol: "tcp", family: 4, address: "10.0.0.1", port: 80, scheduler: "wrr", ops: false };
const r: TableReal = { address: "10.0.0.5", family: 4, port: 80, forward: "gate", weight: 3, upperThreshold: 100, lowerThreshold: 10 };

describe("formatOp: ldirectord's templates (LDIRECTORD.md §3.1)", () => {
  const rows: [string, TableOp, string][] = [
    ["-A with persistence and netmask", { kind: "add-service", service: { ...tcp, persistent: 300, netmask: "255.255.255.0" } }, "-A -t 10.0.0.1:80 -s wrr -p 300 -M 255.255.255.0"],
    ["-E with scheduler flags", { kind: "edit-service", service: { ...tcp, schedflags: "sh-fallback" } }, "-E -t 10.0.0.1:80 -s wrr -b sh-fallback"],
    ["-o only for udp", { kind: "add-service", service: { ...tcp, key: "udp:10.0.0.1:53", protocol: "udp", port: 53, ops: true } }, "-A -u 10.0.0.1:53 -o -s wrr"],
    ["-o ignored on tcp", { kind: "add-service", service: { ...tcp, ops: true } }, "-A -t 10.0.0.1:80 -s wrr"],
    ["-D", { kind: "delete-service", service: tcp }, "-D -t 10.0.0.1:80"],
    ["-a with thresholds", { kind: "add-real", service: tcp, real: r }, "-a -t 10.0.0.1:80 -x 100 -y 10 -r 10.0.0.5:80 -g -w 3"],
    ["-e masq", { kind: "edit-real", service: tcp, real: { ...r, forward: "masq", weight: 0 } }, "-e -t 10.0.0.1:80 -x 100 -y 10 -r 10.0.0.5:80 -m -w 0"],
    ["-d", { kind: "delete-real", service: tcp, real: r }, "-d -t 10.0.0.1:80 -r 10.0.0.5:80"],
    ["IPv6 brackets", { kind: "add-real", service: { ...tcp, key: "tcp:[2001:db8::1]:80", family: 6, address: "2001:db8::1" }, real: { ...r, family: 6, address: "2001:db8::5", forward: "ipip" } }, "-a -t [2001:db8::1]:80 -x 100 -y 10 -r [2001:db8::5]:80 -i -w 3"],
    ["fwmark", { kind: "add-service", service: { key: "fwm:42", protocol: "fwm", family: 4, fwmark: 42, port: 0, scheduler: "rr", ops: false } }, "-A -f 42 -s rr"],
    ["IPv6 fwmark", { kind: "delete-real", service: { key: "fwm6:42", protocol: "fwm", family: 6, fwmark: 42, port: 0, scheduler: "rr", ops: false }, real: { ...r, family: 6, address: "2001:db8::5", port: 0 } }, "-d -f 42 -6 -r [2001:db8::5]:0"],
  ];
  for (const [name, op, want] of rows) it(name, () => expect(formatOp(op).join(" ")).toBe(want));

  it("a command line a shell can run: IPv6 brackets (glob characters) are quoted", () => {
    const op: TableOp = { kind: "delete-real", service: { ...tcp, key: "tcp:[2001:db8::1]:80", family: 6, address: "2001:db8::1" }, real: { ...r, family: 6, address: "2001:db8::5" } };
    expect(formatCommand(op)).toBe("ipvsadm -d -t '[2001:db8::1]:80' -r '[2001:db8::5]:80'");
    expect(formatCommand({ kind: "delete-real", service: tcp, real: r }, "/sbin/ipvsadm")).toBe("/sbin/ipvsadm -d -t 10.0.0.1:80 -r 10.0.0.5:80");
  });
});
