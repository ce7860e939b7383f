// The pieces under the parser: line splitting and decoding, comment stripping, service-name tables, typo hints.
import { describe, expect, it } from "vitest";
import { nearest, ALL_DIRECTIVE_NAMES } from "../../../src/config/directives.js";
import { decodeConfig, splitIndent, splitLines, stripComment } from "../../../src/config/lexer.js";
import { builtinServices, lookupServicePort, parseServicesFile, portForService, serviceForPort, SERVICES } from "../../../src/config/services.js";
import { canonicalIpv6, isContiguousNetmask, parseIpv4 } from "../../../src/config/addresses.js";

describe("splitLines", () => {
  it.each([
    ["a\nb\n", ["a", "b"], undefined],
    ["a\nb", ["a", "b"], undefined],
    ["a\r\nb\r\n", ["a", "b"], 1],
    ["a\n\r\nb", ["a", "", "b"], 2],
    ["", [""], undefined],
    ["\n\n", ["", ""], undefined],
  ])("%j → %j (first CRLF line %s)", (text, lines, crlf) => {
    const r = splitLines(text);
    expect(r.lines.map((l) => l.text)).toEqual(lines);
    expect(r.lines.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
    expect(r.firstCrlfLine).toBe(crlf);
  });
});

describe("decodeConfig", () => {
  it("drops a BOM and decodes invalid UTF-8 (GBK) without failing", () => {
    expect(decodeConfig(Buffer.from("\uFEFFa=1"))).toBe("a=1");
    expect(decodeConfig(Buffer.from([0x23, 0xc4, 0xe3, 0x0a, 0x61]))).toBe("#\uFFFD\uFFFD\na");
  });
});

describe("stripComment and splitIndent", () => {
  it.each([
    ["quiescent=yes # c", "quiescent=yes ", "# c"],
    ['receive="a # b" # c', 'receive="a # b" ', "# c"],
    ["gate#x", "gate", "#x"],
    ["logfile=\u201c/x#y\u201c #c", "logfile=\u201c/x#y\u201c ", "#c"],
    ["no comment", "no comment", undefined],
  ])("%j", (text, content, comment) => {
    const r = stripComment(text);
    expect(r.content).toBe(content);
    expect(r.comment).toBe(comment);
  });

  it("counts a TAB as four columns, as ldirectord", () => {
    expect(splitIndent("\treal=x").width).toBe(4);
    expect(splitIndent(" \t real=x")).toEqual({ width: 6, body: "real=x" });
    expect(splitIndent("   x").width).toBe(3);
  });
});

describe("service names", () => {
  it("reads /etc/services syntax: aliases, both protocols, comments", () => {
    const t = parseServicesFile("http\t\t80/tcp\t\twww\t\t# WorldWideWeb\ndomain 53/tcp\ndomain 53/udp\nbogus line\nbad 99999/tcp\n");
    expect(lookupServicePort("www", "tcp", t)).toBe(80);
    expect(lookupServicePort("www", "udp", t)).toBeUndefined();
    expect(lookupServicePort("domain", "udp", t)).toBe(53);
    expect(lookupServicePort("bad", "tcp", t)).toBeUndefined();
  });

  it("the built-in table covers every name of the corpus and of ldirectord's list", () => {
    const t = builtinServices();
    const want: Array<[string, "tcp" | "udp", number]> = [
      ["www", "tcp", 80], ["http", "tcp", 80], ["https", "tcp", 443], ["domain", "udp", 53], ["domain", "tcp", 53],
      ["mysql", "tcp", 3306], ["smtp", "tcp", 25], ["pop3", "tcp", 110], ["imap", "tcp", 143], ["imap2", "tcp", 143],
      ["ldap", "tcp", 389], ["ftp", "tcp", 21], ["nntp", "tcp", 119], ["submission", "tcp", 587], ["ldaps", "tcp", 636],
      ["imaps", "tcp", 993], ["pop3s", "tcp", 995], ["radius", "udp", 1812], ["sip", "udp", 5060], ["sip", "tcp", 5060],
      ["postgresql", "tcp", 5432], ["squid", "tcp", 3128],
    ];
    for (const [name, proto, port] of want) expect([name, proto, lookupServicePort(name, proto, t)]).toEqual([name, proto, port]);
  });

  it("port → check service and back agree for every service with a port", () => {
    for (const s of SERVICES) {
      const port = portForService(s);
      if (port !== 0) expect(serviceForPort(port)).toBe(s);
    }
    expect(serviceForPort(8080)).toBe("none");
  });
});

describe("addresses", () => {
  it.each([
    ["192.0.2.1", true], ["255.255.255.255", true], ["0.0.0.0", true], ["1.2.3", false], ["1.2.3.4.5", false],
    ["256.1.1.1", false], ["01.2.3.4", false], ["a.b.c.d", false], ["1..2.3", false],
  ])("IPv4 %s valid=%s", (text, valid) => {
    expect(parseIpv4(text).ok).toBe(valid);
  });

  it.each([
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"], ["::1", "::1"], ["[fe80::1]", "fe80::1"], ["2001:db8::1::2", undefined], ["fe80::1%eth0", undefined],
  ])("IPv6 %s → %s", (text, canonical) => {
    expect(canonicalIpv6(text)).toBe(canonical);
  });

  it.each([["255.255.255.0", true], ["255.255.255.255", true], ["0.0.0.0", true], ["255.0.255.0", false], ["255.255.255.1", false]])(
    "netmask %s contiguous=%s",
    (text, ok) => expect(isContiguousNetmask(text)).toBe(ok),
  );
});

describe("typo hints", () => {
  it.each([
    ["checktimout", "checktimeout"], ["Virtual", "virtual"], ["recieve", "receive"], ["sheduler", "scheduler"], ["realserver", "real"], ["zzzzzz", undefined],
  ])("%s → %s", (word, hint) => {
    expect(nearest(word, ALL_DIRECTIVE_NAMES)).toBe(hint);
  });
});
