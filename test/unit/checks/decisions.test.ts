// Pure decisions of the checks: check port, timeouts, HTTP plans and redirects, DNS questions, external argv,
// simpletcp payload, SIP request, check-command filters. Configs go through the real parser.
import { describe, expect, it } from "vitest";
import { checkKey, checkTimeoutMs } from "../../../src/checks/index.js";
import { checkPort, checkTarget, tlsVerifyFromEnv } from "../../../src/checks/target.js";
import { planHttp, planRedirect } from "../../../src/checks/services/http.js";
import { dnsQuestion } from "../../../src/checks/services/dns.js";
import { externalArgs } from "../../../src/checks/external.js";
import { simpletcpPayload } from "../../../src/checks/services/simpletcp.js";
import { sipOptions } from "../../../src/checks/services/sip.js";
import { pingArgs } from "../../../src/checks/ping.js";
import { matchesReal, matchesVirtual } from "../../../src/cli/commands/check.js";
import { pairOf } from "../../integration/checks/config-helper.js";

async function target(text: string, timeoutMs = 1000) {
  const { virtual, real } = await pairOf(text);
  return checkTarget(virtual, real, timeoutMs);
}

describe("check port (ld_checkport)", () => {
  it.each([
    ["checkport wins", "virtual=192.0.2.1:80\n\treal=10.0.0.5:8080 masq\n\tcheckport=9000\n", 9000],
    ["else the real's port", "virtual=192.0.2.1:80\n\treal=10.0.0.5:8080 masq\n", 8080],
    ["else the service's port", "virtual=192.0.2.1:80\n\treal=10.0.0.5 gate\n\tservice=https\n", 443],
    ["else the virtual's port (ldirectord: 0)", "virtual=192.0.2.1:7000\n\treal=10.0.0.5 gate\n\tservice=simpletcp\n", 7000],
  ])("%s", async (_name, text, port) => {
    const { virtual, real } = await pairOf(text);
    expect(checkPort(virtual, real)).toBe(port);
  });
});

describe("timeouts (§1.7)", () => {
  it.each([
    ["negotiate uses negotiatetimeout", "checktype=negotiate\n\tnegotiatetimeout=7\n\tchecktimeout=2", "negotiate", 7000],
    ["connect uses checktimeout", "checktype=connect\n\tnegotiatetimeout=7\n\tchecktimeout=2", "negotiate", 2000],
    ["N, connect phase", "checktype=3\n\tnegotiatetimeout=7\n\tchecktimeout=2", "connect", 2000],
    ["N, negotiate phase", "checktype=3\n\tnegotiatetimeout=7\n\tchecktimeout=2", "negotiate", 7000],
    ["external uses checktimeout", "checktype=external\n\tnegotiatetimeout=7\n\tchecktimeout=2", "negotiate", 2000],
    ["a per-virtual negotiatetimeout beats the global checktimeout", "checktype=connect\n\tnegotiatetimeout=4", "negotiate", 4000],
  ] as const)("%s", async (_n, lines, phase, ms) => {
    const { virtual } = await pairOf(`checktimeout=9\nvirtual=192.0.2.1:80\n\treal=10.0.0.5:80 masq\n\t${lines}\n`);
    expect(checkTimeoutMs(virtual, phase)).toBe(ms);
  });
});

describe("http plan", () => {
  it("Host and SNI are the virtualhost; the message URL uses it", async () => {
    const t = await target('virtual=192.0.2.1:443\n\treal=10.0.0.5:8443 masq\n\tservice=https\n\trequest="/health"\n\tvirtualhost=www.example.com\n');
    expect(planHttp(t)).toEqual({ scheme: "https", connectHost: "10.0.0.5", connectPort: 8443, path: "/health", hostHeader: "www.example.com", servername: "www.example.com", url: "https://www.example.com/health" });
  });
  it("without virtualhost: Host is the address (IPv6 bracketed) and there is no SNI", async () => {
    const t = await target('virtual6=[2001:db8::1]:443\n\treal6=[2001:db8::5]:443 masq\n\tservice=https\n\trequest="/"\n');
    const p = planHttp(t);
    expect(p.hostHeader).toBe("[2001:db8::5]");
    expect(p.servername).toBeUndefined();
  });
  it("a per-real absolute URL is requested as is", async () => {
    const t = await target('virtual=192.0.2.1:80\n\treal=10.0.0.5:80 masq "http://10.0.0.9:8080/status?x=1", "up"\n\tservice=http\n');
    expect(planHttp(t)).toMatchObject({ scheme: "http", connectHost: "10.0.0.9", connectPort: 8080, path: "/status?x=1", hostHeader: "10.0.0.9:8080" });
  });
  it("http_proxy puts the absolute URL on the request line, Host from the URL", async () => {
    const t = await target('virtual=192.0.2.1:3128\n\treal=10.0.0.5:3128 masq\n\tservice=http_proxy\n\trequest="http://www.example.net/robots.txt"\n');
    expect(planHttp(t)).toMatchObject({ connectHost: "10.0.0.5", connectPort: 3128, path: "http://www.example.net/robots.txt", hostHeader: "www.example.net" });
  });
  it("follows redirects to the same server only", async () => {
    const t = await target('virtual=192.0.2.1:80\n\treal=10.0.0.5:80 masq\n\tservice=http\n\trequest="/a"\n\tvirtualhost=www.example.com\n');
    const p = planHttp(t);
    expect(planRedirect(p, "/b", t)).toMatchObject({ connectHost: "10.0.0.5", connectPort: 80, path: "/b", hostHeader: "www.example.com" });
    expect(planRedirect(p, "https://www.example.com/c", t)).toMatchObject({ scheme: "https", connectHost: "10.0.0.5", connectPort: 443, servername: "www.example.com" });
    expect(planRedirect(p, "http://10.0.0.5:8080/d", t)).toMatchObject({ connectHost: "10.0.0.5", connectPort: 8080 });
    expect(planRedirect(p, "http://evil.example/", t)).toBe("redirect to http://evil.example/ not followed (another server)");
    expect(planRedirect(p, "ftp://www.example.com/", t)).toBe("redirect to ftp://www.example.com/ not followed (not http or https)");
  });
});

describe("dns question", () => {
  it.each([
    ["/www.example.com", "A", "www.example.com"],
    ["192.0.2.80", "PTR", "80.2.0.192.in-addr.arpa"],
    ["/2001:db8::1", "PTR", `1.0.0.0.${"0.".repeat(20)}8.b.d.0.1.0.0.2.ip6.arpa`],
  ])("%s", (request, type, name) => {
    expect(dnsQuestion(request)).toEqual({ type, name });
  });
});

describe("external arguments", () => {
  it.each([
    ["virtual=192.0.2.1:80\n\treal=10.0.0.5:8080 masq\n\tchecktype=external\n", ["192.0.2.1", "80", "10.0.0.5", "8080"]],
    ["virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::5]:80 masq\n\tchecktype=external\n", ["[2001:db8::1]", "80", "[2001:db8::5]", "80"]],
    ["virtual=11\n\treal=10.0.0.5 gate\n\tchecktype=external\n", ["11", "0", "10.0.0.5", "0"]],
  ])("%s", async (text, args) => {
    expect(externalArgs(await target(text))).toEqual(args);
  });
});

it("simpletcp sends the request without its slash, with written \\n as line feeds", () => {
  expect(simpletcpPayload("/PING\\nQUIT\\n").toString()).toBe("PING\nQUIT\n");
});

it("sip OPTIONS carries ldirectord's headers and the real transport", () => {
  const text = sipOptions("health@lb", "TCP", { address: "::1", port: 5062 }).toString();
  expect(text).toMatch(/^OPTIONS sip:health@lb SIP\/2\.0\r\nVia: SIP\/2\.0\/TCP \[::1\]:5062;branch=z9hG4bK[0-9a-f]{12}\r\nMax-Forwards: 70\r\n/);
  expect(text).toContain("\r\nCSeq: 63104 OPTIONS\r\n");
  expect(text.endsWith("Content-Length: 0\r\n\r\n")).toBe(true);
});

it("ping argv is numeric, one packet, bounded wait", () => {
  expect(pingArgs("::1", 6, 1.5)).toEqual(["-6", "-n", "-q", "-c", "1", "-W", "1.500", "::1"]);
});

it("TLS verification is opt-in", () => {
  expect(tlsVerifyFromEnv({})).toBe(false);
  expect(tlsVerifyFromEnv({ LDIRECTORD_TS_TLS_VERIFY: "1" })).toBe(true);
  expect(tlsVerifyFromEnv({ LDIRECTORD_TS_TLS_VERIFY: "no" })).toBe(false);
});

it("check keys ignore weight and forwarding method, not the probe", async () => {
  const a = await pairOf('virtual=192.0.2.1:80\n\treal=10.0.0.5:80 masq 1\n\tservice=http\n\tpasswd=s3cret\n');
  const b = await pairOf('virtual=192.0.2.2:80\n\treal=10.0.0.5:80 masq 5\n\tservice=http\n\tpasswd=s3cret\n');
  const c = await pairOf('virtual=192.0.2.2:80\n\treal=10.0.0.5:80 masq 5\n\tservice=http\n\tpasswd=other\n');
  expect(checkKey(a.virtual, a.real)).toBe(checkKey(b.virtual, b.real));
  expect(checkKey(a.virtual, a.real)).not.toBe(checkKey(c.virtual, c.real));
  expect(checkKey(a.virtual, a.real)).not.toContain("s3cret");
});

describe("check command filters", () => {
  it("match a virtual by key, VIP, VIP:port or fwmark and a real by address or address:port", async () => {
    const v4 = await pairOf("virtual=192.0.2.1:80\n\treal=10.0.0.5:8080 masq\n");
    const v6 = await pairOf("virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::5]:80 masq\n");
    const fw = await pairOf("virtual=42\n\treal=10.0.0.5 gate\n");
    for (const f of ["tcp:192.0.2.1:80", "192.0.2.1", "192.0.2.1:80"]) expect(matchesVirtual(v4.virtual, f)).toBe(true);
    expect(matchesVirtual(v4.virtual, "192.0.2.1:81")).toBe(false);
    for (const f of ["[2001:db8::1]:80", "2001:db8::1", "tcp:[2001:db8::1]:80"]) expect(matchesVirtual(v6.virtual, f)).toBe(true);
    expect(matchesVirtual(fw.virtual, "42")).toBe(true);
    expect(matchesVirtual(fw.virtual, "fwm:42")).toBe(true);
    expect(matchesReal(v4.real, "10.0.0.5")).toBe(true);
    expect(matchesReal(v4.real, "10.0.0.5:8080")).toBe(true);
    expect(matchesReal(v4.real, "10.0.0.5:80")).toBe(false);
    expect(matchesReal(v6.real, "[2001:db8::5]:80")).toBe(true);
  });
});
