import { describe, expect, it } from "vitest";
import { renderTable } from "../../../src/demo/render-table.js";
import type { IpvsTable } from "../../../src/ipvs/types.js";

const real = (address: string, port: number, weight: number) => ({ address, family: 4 as const, port, forward: "masq" as const, weight, upperThreshold: 0, lowerThreshold: 0 });

describe("renderTable", () => {
  it("prints services and reals like ipvsadm -L -n", () => {
    const table: IpvsTable = [
      { key: "tcp:127.0.0.100:80", protocol: "tcp", family: 4, address: "127.0.0.100", port: 80, scheduler: "wrr", ops: false, reals: [real("127.0.0.1", 8081, 1), real("127.0.0.1", 8082, 0)] },
      { key: "fwm:7", protocol: "fwm", family: 4, port: 0, fwmark: 7, scheduler: "rr", persistent: 300, ops: false, reals: [] },
    ];
    expect(renderTable(table)).toBe(
      [
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight",
        "TCP  127.0.0.100:80 wrr",
        "  -> 127.0.0.1:8081              Masq    1",
        "  -> 127.0.0.1:8082              Masq    0",
        "FWM  7 rr persistent 300",
      ].join("\n"),
    );
  });
});
