// What a valid config means: defaults, precedence, address forms, fallbacks, and the traps accepted with a warning.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, locateConfig, parseConfig, receiveRegExp, type DirectorConfig, type VirtualService } from "../../../src/config/index.js";
import { ConfigError, ConfigNotFoundError } from "../../../src/errors.js";
import { errorsOf, parse, warningsOf } from "./helpers.js";

async function ok(text: string | Buffer): Promise<{ c: DirectorConfig; warnings: Array<[number, string, string]> }> {
  const r = await parse(text);
  expect(errorsOf(r), JSON.stringify(r.diagnostics, null, 1)).toEqual([]);
  return { c: r.config as DirectorConfig, warnings: warningsOf(r).map((w) => [w.line, w.code, w.message]) };
}

function first(c: DirectorConfig): VirtualService {
  const v = c.virtuals[0];
  if (v === undefined) throw new Error("no virtual");
  return v;
}

const SECTION = "virtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate\n";

describe("defaults (LDIRECTORD.md 1.2, 1.3)", () => {
  it("a minimal config gets ldirectord's code defaults (quiescent=no although the POD says yes)", async () => {
    const { c, warnings } = await ok(SECTION);
    expect(warnings).toEqual([]);
    expect(c.globals).toMatchObject({ autoreload: false, fork: false, supervised: false, readdquiescent: false, checkinterval: 10, logfile: { kind: "file", path: "/var/log/ldirectord.log" }, execute: [] });
    expect(first(c)).toMatchObject({
      key: "tcp:192.0.2.1:80", protocol: "tcp", family: 4, address: "192.0.2.1", port: 80,
      checktype: "negotiate", service: "http", scheduler: "wrr", request: "/", receive: "", httpmethod: "GET",
      checktimeout: 5, negotiatetimeout: 30, checkinterval: 10, checkcount: 1, failurecount: 1,
      quiescent: false, cleanstop: true, ops: false, checkcommand: "/bin/true", login: "", passwd: "",
      alerts: { emailalert: [], emailalertfreq: 0, emailalertstatus: ["starting", "running", "stopping", "reloading"] },
    });
    expect(first(c).reals[0]).toMatchObject({ address: "198.51.100.1", port: 80, forward: "gate", weight: 1, upperThreshold: 0, lowerThreshold: 0, request: "/", receive: "", source: { line: 2 } });
    expect(c.name).toBe("test.cf");
  });

  it.each([
    ["80", "http"], ["443", "https"], ["21", "ftp"], ["25", "smtp"], ["110", "pop"], ["119", "nntp"], ["143", "imap"],
    ["389", "ldap"], ["587", "submission"], ["636", "ldaps"], ["993", "imaps"], ["995", "pops"], ["1812", "radius"],
    ["3128", "http_proxy"], ["3306", "mysql"], ["5060", "sip"], ["5432", "pgsql"], ["8080", "none"], ["53", "dns"],
  ])("service from port %s is %s", async (port, service) => {
    const { c } = await ok(`virtual=192.0.2.1:${port}\n\treal=198.51.100.1 gate\n`);
    expect(first(c).service).toBe(service);
  });

  it("UDP when the port is written 53 or domain, unless protocol= says otherwise", async () => {
    for (const [port, extra, key] of [
      ["53", "", "udp:192.0.2.1:53"],
      ["domain", "", "udp:192.0.2.1:53"],
      ["domain", "\tprotocol=tcp\n", "tcp:192.0.2.1:53"],
      ["80", "\tprotocol=udp\n", "udp:192.0.2.1:80"],
    ] as const) {
      const { c } = await ok(`virtual=192.0.2.1:${port}\n\treal=198.51.100.1 gate\n${extra}`);
      expect(first(c).key).toBe(key);
    }
  });

  it("ftp and sip login defaults only when service= is written", async () => {
    const derived = await ok("virtual=192.0.2.1:21\n\treal=198.51.100.1 gate\n");
    expect(first(derived.c)).toMatchObject({ service: "ftp", login: "", passwd: "" });
    const explicit = await ok("virtual=192.0.2.1:21\n\treal=198.51.100.1 gate\n\tservice=ftp\n");
    expect(first(explicit.c).login).toBe("anonymous");
    expect(first(explicit.c).passwd).toMatch(/^ldirectord@\S+$/);
    const own = await ok('virtual=192.0.2.1:21\n\treal=198.51.100.1 gate\n\tlogin="bob"\n\tservice=ftp\n');
    expect(first(own.c).login).toBe("bob");
    const sip = await ok("virtual=192.0.2.1:5060\n\treal=198.51.100.1 gate\n\tservice=sip\n");
    expect(first(sip.c).login).toMatch(/^ldirectord@/);
  });

  it("request gets a leading slash; checktype=N is combined", async () => {
    const { c } = await ok(`${SECTION}\trequest="health.html"\n\tchecktype=3\n`);
    expect(first(c)).toMatchObject({ request: "/health.html", checktype: "combined", numConnects: 3 });
    const proxy = await ok('virtual=192.0.2.1:3128\n\treal=198.51.100.1 gate "http://www.example.com/b", "B"\n\trequest="http://www.example.com/robots.txt"\n');
    expect(first(proxy.c)).toMatchObject({ service: "http_proxy", request: "http://www.example.com/robots.txt" });
    expect(first(proxy.c).reals[0]?.request).toBe("http://www.example.com/b");
  });
});

describe("timeouts: the precedence of LDIRECTORD.md 1.7", () => {
  const cases: Array<[string, string, number, number]> = [
    ["", "", 5, 30],
    ["checktimeout=7\n", "", 7, 7],
    ["negotiatetimeout=9\n", "", 9, 9],
    ["checktimeout=7\nnegotiatetimeout=9\n", "", 7, 9],
    ["checktimeout=7\n", "\tnegotiatetimeout=20\n", 20, 20],
    ["negotiatetimeout=9\n", "\tchecktimeout=2\n", 2, 2],
    ["checktimeout=7\nnegotiatetimeout=9\n", "\tchecktimeout=1\n\tnegotiatetimeout=2\n", 1, 2],
  ];
  it.each(cases)("globals %j section %j → %d/%d", async (g, s, ct, nt) => {
    const { c } = await ok(`${g}${SECTION}${s}`);
    expect([first(c).checktimeout, first(c).negotiatetimeout]).toEqual([ct, nt]);
  });

  it("per-virtual values override globals; globals are the defaults", async () => {
    const { c } = await ok("quiescent=yes\ncleanstop=no\nfailurecount=3\ncheckinterval=4\nemailalert=a@example.com\n" +
      `${SECTION}virtual=192.0.2.2:80\n\treal=198.51.100.1 gate\n\tquiescent=no\n\tcleanstop=yes\n\tfailurecount=2\n\temailalert="b@example.com, c@example.com"\n\temailalertstatus=starting,stopping\n\tsmtp=mail.example.com:2525\n`);
    const [a, b] = c.virtuals;
    expect(a).toMatchObject({ quiescent: true, cleanstop: false, failurecount: 3, checkinterval: 4, alerts: { emailalert: ["a@example.com"] } });
    expect(b).toMatchObject({ quiescent: false, cleanstop: true, failurecount: 2, alerts: { emailalert: ["b@example.com", "c@example.com"], emailalertstatus: ["starting", "stopping"], smtp: { host: "mail.example.com", port: 2525 } } });
  });

  it("fractional seconds are accepted with a warning saying what ldirectord reads", async () => {
    const { c, warnings } = await ok(`checkinterval=0.5\n${SECTION}\tchecktimeout=1.5\n`);
    expect(c.globals.checkinterval).toBe(0.5);
    expect(first(c)).toMatchObject({ checkinterval: 0.5, checktimeout: 1.5 });
    expect(warnings).toContainEqual([1, "fractional-seconds", expect.stringMatching(/reads 0 and rejects it/)]);
    expect(warnings).toContainEqual([4, "fractional-seconds", expect.stringMatching(/reads 1\)/)]);
  });
});

describe("addresses", () => {
  it("host names resolve (with the port as a service name), and are kept", async () => {
    const { c } = await ok("virtual=www.example.com:http\n\treal=real1.example.com:www gate\n\treal=real2.example.com gate\n");
    expect(first(c)).toMatchObject({ key: "tcp:192.0.2.80:80", hostname: "www.example.com" });
    expect(first(c).reals.map((r) => [r.address, r.port, r.hostname])).toEqual([["198.51.100.1", 80, "real1.example.com"], ["198.51.100.2", 0, "real2.example.com"]]);
  });

  it("IPv6: canonical lower-case compressed addresses, keys with brackets", async () => {
    const { c } = await ok("virtual6=[2001:DB8:0:0::1]:53\n\treal6=[2001:db8:0000::A]:53 masq 2\n\tpersistent=60\n\tnetmask=64\n\tfallback6=[::1]\n");
    expect(first(c)).toMatchObject({ key: "udp:[2001:db8::1]:53", family: 6, address: "2001:db8::1", netmask: "64" });
    expect(first(c).reals[0]).toMatchObject({ address: "2001:db8::a", family: 6, port: 53, forward: "masq", weight: 2 });
    expect(first(c).fallback).toMatchObject({ address: "::1", port: 53, family: 6 });
  });

  it("a -> range yields one real per address, also across an octet boundary (ldirectord's bug S)", async () => {
    const { c } = await ok("virtual=192.0.2.1:80\n\treal=198.51.100.254->198.51.101.1:8080 masq 3\n");
    expect(first(c).reals.map((r) => `${r.address}:${r.port}/${r.weight}`)).toEqual(["198.51.100.254:8080/3", "198.51.100.255:8080/3", "198.51.101.0:8080/3", "198.51.101.1:8080/3"]);
  });

  it("per-real request and receive are kept even when the request starts with / (ldirectord's bug B), with thresholds", async () => {
    const { c } = await ok(`virtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate 2 "/alt.html", "A+" l:5 u:100\n\treal=198.51.100.2:80 gate "b.html" "B"\n\trequest="main.html"\n\treceive="M"\n\treal=198.51.100.3:80 ipip\n`);
    expect(first(c).reals.map((r) => [r.request, r.receive, r.weight, r.lowerThreshold, r.upperThreshold, r.forward])).toEqual([
      ["/alt.html", "A+", 2, 5, 100, "gate"],
      ["/b.html", "B", 1, 0, 0, "gate"],
      ["/main.html", "M", 1, 0, 0, "ipip"],
    ]);
  });

  it("firewall marks, IPv4 and IPv6", async () => {
    const { c } = await ok("virtual=42\n\treal=198.51.100.1 gate\nvirtual6=43\n\treal6=[2001:db8::2] gate\n");
    expect(c.virtuals.map((v) => [v.key, v.protocol, v.port, v.fwmark, v.family, v.service])).toEqual([
      ["fwm:42", "fwm", 0, 42, 4, "none"],
      ["fwm6:43", "fwm", 0, 43, 6, "none"],
    ]);
  });
});

describe("fallback servers", () => {
  it("a global fallback without port gets each virtual's port; with a port it keeps it", async () => {
    const { c } = await ok("fallback=127.0.0.1\nfallback6=[::1]:8080 masq\nvirtual=192.0.2.1:80\n\treal=198.51.100.1 gate\nvirtual=192.0.2.1:443\n\treal=198.51.100.1 gate\nvirtual6=[2001:db8::1]:443\n\treal6=[2001:db8::2] gate\n");
    expect(c.virtuals.map((v) => v.fallback && [v.fallback.address, v.fallback.port, v.fallback.forward])).toEqual([
      ["127.0.0.1", 80, "gate"],
      ["127.0.0.1", 443, "gate"],
      ["::1", 8080, "masq"],
    ]);
    expect(c.globals.fallback).toMatchObject({ address: "127.0.0.1", port: 0 });
  });

  it("fwmark virtuals get the global fallback with port 0 or its own port (instead of ldirectord's bug C)", async () => {
    const { c } = await ok("fallback=127.0.0.1\nvirtual=7\n\treal=198.51.100.1 gate\n");
    expect(first(c).fallback).toMatchObject({ address: "127.0.0.1", port: 0, forward: "gate", family: 4 });
    const own = await ok("fallback=127.0.0.1:80 masq\nvirtual=7\n\treal=198.51.100.1 gate\n");
    expect(first(own.c).fallback).toMatchObject({ port: 80, forward: "masq" });
  });

  it("a section's fallback beats the global one and defaults to the virtual's port", async () => {
    const { c } = await ok("fallback=127.0.0.1:80\nvirtual=192.0.2.1:8080\n\treal=198.51.100.1 gate\n\tfallback=sorry.example.com\n");
    expect(first(c).fallback).toMatchObject({ address: "192.0.2.99", port: 8080, forward: "gate", source: { line: 4 } });
  });
});

describe("traps: accepted with a warning saying what ldirectord would do", () => {
  const cases: Array<[string, string, number, string, (c: DirectorConfig) => void]> = [
    ["trailing comment on a yes/no global", `quiescent=yes # keep\n${SECTION}`, 1, "trailing-comment", (c) => expect(first(c).quiescent).toBe(true)],
    ["trailing blank on a yes/no global", `autoreload=yes \n${SECTION}`, 1, "trailing-text", (c) => expect(c.globals.autoreload).toBe(true)],
    ["trailing comment in a section leaves a blank", `${SECTION}\tquiescent=yes # c\n`, 3, "trailing-text", (c) => expect(first(c).quiescent).toBe(true)],
    ["blank line inside a section", `${SECTION}\n\tservice=https\n`, 3, "blank-line-in-section", (c) => expect(first(c).service).toBe("https")],
    ["two-TAB whitespace line inside a section", `${SECTION}\t\t\n\tscheduler=rr\n`, 3, "whitespace-line", (c) => expect(first(c).scheduler).toBe("rr")],
    ["typographic quotes", `logfile=\u201c/tmp/ld.log\u201c\n${SECTION}\treceive=\u201cTest"\n`, 1, "typographic-quote", (c) => {
      expect(c.globals.logfile).toEqual({ kind: "file", path: "/tmp/ld.log" });
      expect(first(c).receive).toBe("Test");
    }],
    ["U+3000 after a value", `checktimeout=3\u3000\t# c\n${SECTION}`, 1, "unicode-space", (c) => expect(first(c).checktimeout).toBe(3)],
    ["ipvsadm-style weight", "virtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate -w 7\n", 2, "ldirectord-difference", (c) => expect(first(c).reals[0]?.weight).toBe(7)],
    ["indented global", `   checkinterval=3\n${SECTION}`, 1, "indentation", (c) => expect(c.globals.checkinterval).toBe(3)],
    ["two-space section indentation", "virtual=192.0.2.1:80\n  real=198.51.100.1:80 gate\n", 2, "indentation", (c) => expect(first(c).reals.length).toBe(1)],
    ["indented virtual=", "  virtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate\n", 1, "indentation", (c) => expect(c.virtuals.length).toBe(1)],
    ["unquoted request", `${SECTION}\trequest=/check.html\n`, 3, "unquoted-value", (c) => expect(first(c).request).toBe("/check.html")],
    ["leading number with junk", `checktimeout=10s\n${SECTION}`, 1, "lenient-number", (c) => expect(first(c).checktimeout).toBe(10)],
    ["connecttimeout", `${SECTION}\tconnecttimeout=4\n`, 3, "deprecated", (c) => expect(first(c).negotiatetimeout).toBe(4)],
    ["timeout", `timeout=6\n${SECTION}`, 1, "deprecated", (c) => expect([first(c).checktimeout, first(c).negotiatetimeout]).toEqual([6, 6])],
    ["bare supervised", `supervised\n${SECTION}`, 1, "deprecated", (c) => expect(c.globals.supervised).toBe(true)],
    ["checkcount", `checkcount=3\n${SECTION}`, 1, "deprecated", (c) => expect(first(c).checkcount).toBe(3)],
    ["oracle", `${SECTION}\tservice=oracle\n`, 3, "unsupported-check", (c) => expect(first(c).service).toBe("oracle")],
    ["checkport with checktype=off", `${SECTION}\tchecktype=off\n\tcheckport=81\n`, 4, "ignored-option", (c) => expect(first(c).checkport).toBe(81)],
    ["virtual without reals", "virtual=192.0.2.1:80\n\tservice=http\n", 1, "no-reals", (c) => expect(first(c).reals).toEqual([])],
    ["netmask without persistent", `${SECTION}\tnetmask=255.255.255.0\n`, 3, "ignored-option", (c) => expect(first(c).netmask).toBeUndefined()],
    ["ops on TCP", `${SECTION}\tops=yes\n`, 3, "ignored-option", (c) => expect(first(c).ops).toBe(false)],
    ["per-virtual checkinterval with fork=no", `${SECTION}\tcheckinterval=2\n`, 3, "ldirectord-difference", (c) => expect(first(c).checkinterval).toBe(2)],
    ["logfile in a missing directory", `logfile="/nonexistent-dir-for-test/ld.log"\n${SECTION}`, 1, "missing-directory", (c) => expect(c.globals.logfile).toEqual({ kind: "file", path: "/nonexistent-dir-for-test/ld.log" })],
    ["maintenancedir missing", `maintenancedir=/nonexistent-dir-for-test\n${SECTION}`, 1, "missing-directory", (c) => expect(c.globals.maintenancedir).toBe("/nonexistent-dir-for-test")],
    ["trailing comment on a global fallback", `fallback=127.0.0.1:80 gate # sorry\n${SECTION}`, 1, "trailing-comment", (c) => expect(first(c).fallback?.port).toBe(80)],
    ["text after virtual=", "virtual=192.0.2.1:80 \\\\ vip\n\treal=198.51.100.1 gate\n", 1, "trailing-text", (c) => expect(first(c).key).toBe("tcp:192.0.2.1:80")],
    ["emailalert to a local user", `emailalert=root\n${SECTION}`, 1, "bad-value", (c) => expect(first(c).alerts.emailalert).toEqual(["root"])],
    ["logfile naming a priority, not a facility", `logfile="info"\n${SECTION}`, 1, "bad-value", (c) => expect(c.globals.logfile).toEqual({ kind: "syslog", facility: "daemon" })],
  ];
  it.each(cases)("%s", async (_name, text, line, code, check) => {
    const { c, warnings } = await ok(text);
    expect(warnings.map(([l, k]) => [l, k])).toContainEqual([line, code]);
    check(c);
  });

  it("CRLF, a BOM, no final newline and GBK bytes in comments change nothing", async () => {
    const plain = await ok(`checktimeout=3\n${SECTION}\tservice=http\n`);
    const gbk = Buffer.concat([
      Buffer.from("\uFEFFchecktimeout=3\r\n# "),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]),
      Buffer.from("\r\nvirtual=192.0.2.1:80\r\n\t# "),
      Buffer.from([0xb7, 0xfe]),
      Buffer.from("\r\n\treal=198.51.100.1:80 gate\r\n\tservice=http"),
    ]);
    const r = await parse(gbk);
    expect(errorsOf(r)).toEqual([]);
    expect(warningsOf(r).map((w) => w.code)).toEqual(["crlf"]);
    const strip = (c: DirectorConfig | undefined): unknown => JSON.parse(JSON.stringify(c?.virtuals, (k, val: unknown) => (k === "source" ? undefined : val)));
    expect(strip(r.config)).toEqual(strip(plain.c));
  });

  it("a # inside a quoted value in a section is kept (ldirectord would cut it)", async () => {
    const { c } = await ok(`${SECTION}\treceive="item #1" # comment\n\tpasswd="a#b"\n`);
    expect(first(c)).toMatchObject({ receive: "item #1", passwd: "a#b" });
  });

  it("comment lines inside a section do not end it", async () => {
    const { c, warnings } = await ok("virtual=192.0.2.1:80\n# a comment at column 0\n\treal=198.51.100.1 gate\n    # indented comment\n\tscheduler=rr\n");
    expect(warnings).toEqual([]);
    expect(first(c)).toMatchObject({ scheduler: "rr" });
    expect(first(c).reals.length).toBe(1);
  });
});

describe("receive patterns", () => {
  it.each([
    ["(?i)ok", "server OK", true],
    ["\\Aup", "up and running", true],
    ["\\Aup", "is up", false],
    ["[[:digit:]]+ items", "42 items", true],
    ["done\\z", "done", true],
    ["\\Q1+1\\E", "1+1=2", true],
    ["\\Q1+1\\E", "11", false],
    ["OK web[0-9]+", "OK web12", true],
    ["(?i)[a-c]x", "BX", true],
    ["(?i)[^a-z]", "Q", false],
    ["(?s)a.b", "a\nb", true],
    ["(?m)^b$", "a\nb\nc", true],
  ])("receive=%j on %j → %s", async (pattern, body, match) => {
    const { c } = await ok(`${SECTION}\treceive="${pattern}"\n`);
    expect(receiveRegExp(first(c).receive).test(body)).toBe(match);
    // The typed config holds a plain JavaScript pattern: consumers may compile it directly.
    expect(new RegExp(first(c).receive).test(body)).toBe(match);
  });
});

describe("robustness", () => {
  it("a resolver that throws or hangs is bounded: unresolvable, not an exception", async () => {
    const r = await parseConfig("virtual=www.example.com:80\n\treal=198.51.100.1 gate\n", "x.cf", {
      resolveHost: () => Promise.reject(new Error("boom")),
    });
    expect(errorsOf(r).map((e) => e.code)).toEqual(["unresolved-host"]);
  });

  it("a resolver that never answers is cut off at resolveTimeoutMs, all names at once", async () => {
    const t0 = Date.now();
    const r = await parseConfig("virtual=www.example.com:80\n\treal=real1.example.com gate\n\treal=real2.example.com gate\n", "x.cf", {
      resolveHost: () => new Promise<string | undefined>(() => undefined),
      resolveTimeoutMs: 500,
    });
    // The section is still checked to the end: every unresolvable name is reported.
    expect(errorsOf(r).map((e) => [e.line, e.code])).toEqual([[1, "unresolved-host"], [2, "unresolved-host"], [3, "unresolved-host"]]);
    const rr = await parseConfig("virtual=192.0.2.1:80\n\treal=real1.example.com gate\n\treal=real2.example.com gate\n", "x.cf", {
      resolveHost: () => new Promise<string | undefined>(() => undefined),
      resolveTimeoutMs: 500,
    });
    expect(errorsOf(rr).map((e) => [e.line, e.code])).toEqual([[2, "unresolved-host"], [3, "unresolved-host"]]);
    // Five names in two files, each cut off at 500 ms: one after the other would take 2.5 s, concurrently ~1 s.
    expect(Date.now() - t0).toBeLessThan(2400);
  });

  it("reports every problem of a file, not just the first", async () => {
    const r = await parse("checkinterval=x\nvirtual=192.0.2.1:80\n\treal=198.51.100.1 bogus\n\tservice=nope\n\tscheduler=zz\n");
    expect(errorsOf(r).map((e) => e.line)).toEqual([1, 3, 4, 5]);
  });

  it("parses 10,000 real servers in well under a second (linear)", async () => {
    const lines = ["checktimeout=3", "virtual=192.0.2.1:80"];
    for (let i = 0; i < 10000; i++) lines.push(`\treal=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:80 gate ${1 + (i % 5)}`);
    lines.push("\tservice=http", '\trequest="/health"', '\treceive="OK"');
    const text = `${lines.join("\n")}\n`;
    await parse(text); // warm up
    // The best of three runs: the machine is shared, and a neighbour's burst must not fail this test.
    let ms = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await parse(text);
      ms = Math.min(ms, performance.now() - t0);
      expect(errorsOf(r)).toEqual([]);
      expect(r.config?.virtuals[0]?.reals.length).toBe(10000);
    }
    expect(ms).toBeLessThan(1000);
  });
});

describe("locateConfig / loadConfig (Heartbeat's lookup rule)", () => {
  const root = mkdtempSync(join(tmpdir(), "ldts-locate-"));
  mkdirSync(join(root, "conf"));
  writeFileSync(join(root, "ldirectord.cf"), SECTION);
  writeFileSync(join(root, "conf", "ldirectord.cf"), "virtual=192.0.2.9:80\n\treal=198.51.100.9 gate\n");
  writeFileSync(join(root, "conf", "www.cf"), SECTION);
  writeFileSync(join(root, "bad.cf"), "virtual=192.0.2.1:80\nreal=198.51.100.1 gate\n");

  it("HA_DIR/NAME first, then HA_DIR/conf/NAME, then the path; default ldirectord.cf", async () => {
    expect(await locateConfig(undefined, root)).toBe(join(root, "ldirectord.cf"));
    expect(await locateConfig("www.cf", root)).toBe(join(root, "conf", "www.cf"));
    expect(await locateConfig(join(root, "conf", "ldirectord.cf"), "/nonexistent")).toBe(join(root, "conf", "ldirectord.cf"));
    await expect(locateConfig("nope.cf", root)).rejects.toBeInstanceOf(ConfigNotFoundError);
  });

  it("loadConfig returns the config, or throws ConfigError with every diagnostic", async () => {
    const c = await loadConfig("www.cf", { haDir: root });
    expect(c.file).toBe(join(root, "conf", "www.cf"));
    expect(c.name).toBe("www.cf");
    const err = await loadConfig("bad.cf", { haDir: root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).diagnostics[0]).toMatchObject({ line: 2, code: "unindented-section-line", file: join(root, "bad.cf") });
  });
});
