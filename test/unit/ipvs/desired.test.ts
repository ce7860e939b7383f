import { describe, expect, it } from "vitest";
import { desiredTable } from "../../../src/ipvs/desired.js";
import type { IpvsTable } from "../../../src/ipvs/types.js";
import { config, health } from "./helpers.js";

/** `addr:port weight forward` of each real, per service key: what an operator reads in ipvsadm -Ln. */
function summary(table: IpvsTable): Record<string, string[]> {
  return Object.fromEntries(table.map((s) => [s.key, s.reals.map((r) => `${r.family === 6 ? `[${r.address}]` : r.address}:${r.port} ${r.weight} ${r.forward}`)]));
}

const V = "tcp:10.0.0.1:80";
const base = (globals: string, extra = "") => `${globals}
virtual=10.0.0.1:80
	real=10.0.0.5:80 masq 3
	real=10.0.0.6:80 masq 2
	fallback=10.0.0.9:80 masq
	scheduler=wrr
	checktype=connect
${extra}`;

describe("desiredTable: quiescent × fallback × readdquiescent × maintenance", () => {
  type Row = { name: string; globals: string; h: Record<string, "up" | "down" | "unknown">; maint?: string[]; want: string[] };
  const rows: Row[] = [
    { name: "all up: weights as configured, no fallback", globals: "quiescent=no", h: { "10.0.0.5:80": "up", "10.0.0.6:80": "up" }, want: ["10.0.0.5:80 3 masq", "10.0.0.6:80 2 masq"] },
    { name: "one down, quiescent=no: removed", globals: "quiescent=no", h: { "10.0.0.5:80": "up", "10.0.0.6:80": "down" }, want: ["10.0.0.5:80 3 masq"] },
    { name: "one down, quiescent=yes: weight 0", globals: "quiescent=yes", h: { "10.0.0.5:80": "up", "10.0.0.6:80": "down" }, want: ["10.0.0.5:80 3 masq", "10.0.0.6:80 0 masq"] },
    { name: "all down, quiescent=no: only the fallback", globals: "quiescent=no", h: { "10.0.0.5:80": "down", "10.0.0.6:80": "down" }, want: ["10.0.0.9:80 1 masq"] },
    { name: "all down, quiescent=yes: weight 0 and the fallback", globals: "quiescent=yes", h: { "10.0.0.5:80": "down", "10.0.0.6:80": "down" }, want: ["10.0.0.5:80 0 masq", "10.0.0.6:80 0 masq", "10.0.0.9:80 1 masq"] },
    { name: "never checked (unknown) = failed, quiescent=yes: in at weight 0 from the start", globals: "quiescent=yes", h: {}, want: ["10.0.0.5:80 0 masq", "10.0.0.6:80 0 masq", "10.0.0.9:80 1 masq"] },
    { name: "never checked, quiescent=no: only the fallback", globals: "quiescent=no", h: {}, want: ["10.0.0.9:80 1 masq"] },
    { name: "maintenance counts as failed even when the check passes", globals: "quiescent=yes", h: { "10.0.0.5:80": "up", "10.0.0.6:80": "up" }, maint: ["10.0.0.6:80"], want: ["10.0.0.5:80 3 masq", "10.0.0.6:80 0 masq"] },
    { name: "all in maintenance: fallback in", globals: "quiescent=no", h: { "10.0.0.5:80": "up", "10.0.0.6:80": "up" }, maint: ["10.0.0.5:80", "10.0.0.6:80"], want: ["10.0.0.9:80 1 masq"] },
    { name: "readdquiescent=yes changes nothing (quiescent=yes)", globals: "quiescent=yes\nreaddquiescent=yes", h: { "10.0.0.5:80": "down", "10.0.0.6:80": "up" }, want: ["10.0.0.5:80 0 masq", "10.0.0.6:80 2 masq"] },
    { name: "readdquiescent=no changes nothing (quiescent=yes)", globals: "quiescent=yes\nreaddquiescent=no", h: { "10.0.0.5:80": "down", "10.0.0.6:80": "up" }, want: ["10.0.0.5:80 0 masq", "10.0.0.6:80 2 masq"] },
    { name: "readdquiescent=yes with quiescent=no: still removed", globals: "quiescent=no\nreaddquiescent=yes", h: { "10.0.0.5:80": "down", "10.0.0.6:80": "up" }, want: ["10.0.0.6:80 2 masq"] },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const cfg = await config(base(row.globals));
      const h = health(Object.fromEntries(Object.entries(row.h).map(([r, s]) => [`${V} ${r}`, s])), (row.maint ?? []).map((r) => `${V} ${r}`));
      expect(summary(desiredTable(cfg, h))[V]).toEqual(row.want);
    });
  }

  it("per-virtual quiescent overrides the global one", async () => {
    const cfg = await config(base("quiescent=yes", "\tquiescent=no"));
    expect(summary(desiredTable(cfg, health({ [`${V} 10.0.0.5:80`]: "up" })))[V]).toEqual(["10.0.0.5:80 3 masq"]);
  });

  it("the global fallback applies to a virtual without its own, with the virtual's port", async () => {
    const cfg = await config(`fallback=10.0.0.99 masq\nvirtual=10.0.0.1:8080\n\treal=10.0.0.5:8080 masq\n\tchecktype=connect\n`);
    expect(summary(desiredTable(cfg, health({})))["tcp:10.0.0.1:8080"]).toEqual(["10.0.0.99:8080 1 masq"]);
  });

  it("no fallback configured and nothing up: the service is there, empty", async () => {
    const cfg = await config(`virtual=10.0.0.1:80\n\treal=10.0.0.5:80 gate\n\tchecktype=connect\n`);
    const t = desiredTable(cfg, health({}));
    expect(t.map((s) => [s.key, s.reals.length])).toEqual([[V, 0]]);
  });
});

describe("desiredTable: kernel ports, families, fwmark, service attributes", () => {
  it("gate and ipip reals get the virtual port (as ipvsadm stores them); masq keeps its own; portless masq stays 0", async () => {
    const cfg = await config(`virtual=10.0.0.1:80
	real=10.0.0.5:8080 gate
	real=10.0.0.6:8080 ipip
	real=10.0.0.7:8080 masq
	real=10.0.0.8 masq
	real=10.0.0.10 gate
	checktype=connect
`);
    const up = health(Object.fromEntries(["10.0.0.5:8080", "10.0.0.6:8080", "10.0.0.7:8080", "10.0.0.8:0", "10.0.0.10:0"].map((r) => [`${V} ${r}`, "up"])));
    expect(summary(desiredTable(cfg, up))[V]).toEqual(["10.0.0.5:80 1 gate", "10.0.0.6:80 1 ipip", "10.0.0.7:8080 1 masq", "10.0.0.8:0 1 masq", "10.0.0.10:80 1 gate"]);
  });

  it("two gate reals that the kernel stores as one entry collapse into one; a healthy one wins", async () => {
    const cfg = await config(`quiescent=yes\nvirtual=10.0.0.1:80\n\treal=10.0.0.5:8080 gate 4\n\treal=10.0.0.5:9090 gate 7\n\tchecktype=connect\n`);
    expect(summary(desiredTable(cfg, health({ [`${V} 10.0.0.5:9090`]: "up" })))[V]).toEqual(["10.0.0.5:80 7 gate"]);
  });

  it("fwmark (IPv4 and IPv6) reals keep their port, 0 included; keys fwm:N and fwm6:N", async () => {
    const cfg = await config(`virtual=42
	real=10.0.0.5 gate
	real=10.0.0.6:80 gate 2
	checktype=connect
virtual6=43
	real6=[2001:db8::5]:80 masq 5
	checktype=connect
`);
    const t = desiredTable(cfg, health({ "fwm:42 10.0.0.5:0": "up", "fwm:42 10.0.0.6:80": "up", "fwm6:43 [2001:db8::5]:80": "up" }));
    expect(summary(t)).toEqual({ "fwm:42": ["10.0.0.5:0 1 gate", "10.0.0.6:80 2 gate"], "fwm6:43": ["[2001:db8::5]:80 5 masq"] });
    expect(t[1]).toMatchObject({ protocol: "fwm", family: 6, fwmark: 43, port: 0 });
    expect(t[1]?.address).toBeUndefined();
  });

  it("IPv6: a failed real quiesced, the IPv6 fallback in while nothing is up, out once one real is up", async () => {
    const cfg = await config(`quiescent=yes
virtual6=[2001:db8::1]:80
	real6=[2001:db8::5]:80 masq 4
	real6=[2001:db8::6]:80 masq 2
	fallback6=[2001:db8::9]:80 masq
	checktype=connect
`);
    const k = "tcp:[2001:db8::1]:80";
    expect(summary(desiredTable(cfg, health({ [`${k} [2001:db8::5]:80`]: "down" })))[k]).toEqual(["[2001:db8::5]:80 0 masq", "[2001:db8::6]:80 0 masq", "[2001:db8::9]:80 1 masq"]);
    expect(summary(desiredTable(cfg, health({ [`${k} [2001:db8::6]:80`]: "up" })))[k]).toEqual(["[2001:db8::5]:80 0 masq", "[2001:db8::6]:80 2 masq"]);
  });

  it("IPv6 tcp service with persistence and a prefix netmask; thresholds carried", async () => {
    const cfg = await config(`virtual6=[2001:db8::1]:443
	real6=[2001:DB8::0:5]:443 masq 2 u:100 l:10
	persistent=600
	netmask=64
	scheduler=wlc
	checktype=connect
`);
    const [s] = desiredTable(cfg, health({ "tcp:[2001:db8::1]:443 [2001:db8::5]:443": "up" }));
    expect(s).toMatchObject({ key: "tcp:[2001:db8::1]:443", family: 6, address: "2001:db8::1", port: 443, scheduler: "wlc", persistent: 600, netmask: "64" });
    expect(s?.reals).toEqual([{ address: "2001:db8::5", family: 6, port: 443, forward: "masq", weight: 2, upperThreshold: 100, lowerThreshold: 10 }]);
  });

  it("ops only on udp; netmask only with persistence; a full netmask is the kernel default and left out", async () => {
    const cfg = await config(`virtual=10.0.0.1:53
	real=10.0.0.5:53 masq
	protocol=udp
	ops=yes
	checktype=connect
virtual=10.0.0.1:80
	real=10.0.0.5:80 masq
	ops=yes
	netmask=255.255.255.0
	checktype=connect
virtual=10.0.0.1:81
	real=10.0.0.5:81 masq
	persistent=300
	netmask=255.255.255.255
	checktype=connect
`);
    const [udp, tcp, full] = desiredTable(cfg, health({}));
    expect(udp).toMatchObject({ key: "udp:10.0.0.1:53", ops: true });
    expect(tcp).toMatchObject({ ops: false });
    expect(tcp?.netmask).toBeUndefined();
    expect(full).toMatchObject({ persistent: 300 });
    expect(full?.netmask).toBeUndefined();
  });

  it("a real listed in two virtuals is judged per virtual (quiescent, at weight 0 in each while unknown)", async () => {
    const cfg = await config(`quiescent=yes
virtual=10.0.0.1:80
	real=10.0.0.5:80 masq 3
	checktype=connect
virtual=10.0.0.1:81
	real=10.0.0.5:80 masq 4
	checktype=connect
`);
    expect(summary(desiredTable(cfg, health({})))).toEqual({ [V]: ["10.0.0.5:80 0 masq"], "tcp:10.0.0.1:81": ["10.0.0.5:80 0 masq"] });
    expect(summary(desiredTable(cfg, health({ "tcp:10.0.0.1:81 10.0.0.5:80": "up" })))["tcp:10.0.0.1:81"]).toEqual(["10.0.0.5:80 4 masq"]);
  });
});
