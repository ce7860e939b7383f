// A table of malformed configs: each must be rejected with an error at the exact line, naming the directive, the
// bad value and what is expected.
import { describe, expect, it } from "vitest";
import { errorsOf, parse } from "./helpers.js";

const V = "virtual=192.0.2.1:80\n";
const R = "\treal=198.51.100.1:80 gate\n";

interface Case {
  readonly name: string;
  readonly text: string;
  readonly line: number;
  readonly code: string;
  readonly words: RegExp;
}

const CASES: readonly Case[] = [
  { name: "unknown global directive with suggestion", text: `checktimout=5\n${V}${R}`, line: 1, code: "unknown-directive", words: /"checktimout".*did you mean "checktimeout"/ },
  { name: "unknown section directive with suggestion", text: `${V}${R}\tservce=http\n`, line: 3, code: "unknown-directive", words: /"servce".*"service"/ },
  { name: "capitalised directive", text: `Virtual=192.0.2.1:80\n${R}`, line: 1, code: "unknown-directive", words: /"Virtual".*"virtual"/ },
  { name: "unindented section (appendix 2 of issue 2)", text: "virtual=202.106.184.132:80\nreal=202.106.184.250:80 gate\nfallback=127.0.0.1:80 gate\nservice=http\n", line: 2, code: "unindented-section-line", words: /real=.*column 0.*indent the lines of a virtual section by a tab or four spaces/ },
  { name: "section directive before any virtual", text: `service=http\n${V}${R}`, line: 1, code: "misplaced-directive", words: /service=.*only valid inside a virtual section/ },
  { name: "global-only directive inside a section", text: `${V}${R}\tautoreload=yes\n`, line: 3, code: "misplaced-directive", words: /autoreload=.*global directive.*not allowed inside a virtual section/ },
  { name: "indented line after a section ended", text: `${V}${R}checktimeout=3\n\tservice=http\n`, line: 4, code: "indentation", words: /belongs to no virtual section.*checktimeout= on line 3/ },
  { name: "not a directive", text: `${V}${R}...\n`, line: 3, code: "syntax", words: /expected DIRECTIVE=VALUE.*"\.\.\."/ },
  { name: "directive without value", text: `${V}${R}\tscheduler\n`, line: 3, code: "syntax", words: /scheduler needs a value/ },
  { name: "bad IPv4 octet in virtual", text: `virtual=192.0.2.256:80\n${R}`, line: 1, code: "bad-address", words: /192\.0\.2\.256.*greater than 255/ },
  { name: "leading zero octet", text: `virtual=192.0.2.010:80\n${R}`, line: 1, code: "bad-address", words: /leading zero/ },
  { name: "virtual without port", text: `virtual=192.0.2.1\n${R}`, line: 1, code: "bad-address", words: /missing port.*192\.0\.2\.1:PORT.*firewall mark 192/ },
  { name: "virtual port out of range", text: `virtual=192.0.2.1:70000\n${R}`, line: 1, code: "bad-port", words: /70000.*out of range/ },
  { name: "virtual unknown service name", text: `virtual=192.0.2.1:nosuchservice\n${R}`, line: 1, code: "bad-port", words: /unknown service name "nosuchservice"/ },
  { name: "IPv6 in virtual=", text: `virtual=[2001:db8::1]:80\n\treal6=[2001:db8::2]:80 gate\n`, line: 1, code: "wrong-family", words: /needs virtual6=/ },
  { name: "IPv4 in virtual6=", text: `virtual6=192.0.2.1:80\n${R}`, line: 1, code: "wrong-family", words: /needs virtual=/ },
  { name: "bad IPv6 address", text: `virtual6=[2001:db8::1::2]:80\n\treal6=[2001:db8::2]:80 gate\n`, line: 1, code: "bad-address", words: /not a valid IPv6 address/ },
  { name: "unresolvable virtual host", text: `virtual=nosuch.example.org:80\n${R}`, line: 1, code: "unresolved-host", words: /cannot resolve host name "nosuch\.example\.org"/ },
  { name: "fwmark 0", text: `virtual=0\n${R}`, line: 1, code: "bad-number", words: /firewall mark must be from 1/ },
  { name: "real without forwarding method", text: `${V}\treal=198.51.100.1:80\n`, line: 2, code: "bad-forward", words: /missing forwarding method.*gate, masq or ipip/ },
  { name: "real with unknown forwarding method", text: `${V}\treal=198.51.100.1:80 route\n`, line: 2, code: "bad-forward", words: /unknown forwarding method "route"/ },
  { name: "real forwarding method in upper case", text: `${V}\treal=198.51.100.1:80 Gate\n`, line: 2, code: "bad-forward", words: /"Gate".*lower case/ },
  { name: "real6 in an IPv4 section", text: `${V}\treal6=[2001:db8::2]:80 gate\n`, line: 2, code: "wrong-family", words: /real6= is not allowed in a virtual= section; use real=/ },
  { name: "IPv6 real in an IPv4 section", text: `${V}\treal=[2001:db8::2]:80 gate\n`, line: 2, code: "wrong-family", words: /IPv6 address in an IPv4 context/ },
  { name: "real in an IPv6 section", text: `virtual6=[2001:db8::1]:80\n${R}`, line: 2, code: "wrong-family", words: /real= is not allowed in a virtual6= section; use real6=/ },
  { name: "real port out of range", text: `${V}\treal=198.51.100.1:65536 gate\n`, line: 2, code: "bad-port", words: /65536 is out of range/ },
  { name: "real weight out of range", text: `${V}\treal=198.51.100.1:80 gate 70000\n`, line: 2, code: "bad-number", words: /weight 70000.*0\.\.65535/ },
  { name: "real trailing junk", text: `${V}\treal=198.51.100.1:80 gate 1 junk\n`, line: 2, code: "syntax", words: /unexpected "junk".*\[WEIGHT\]/ },
  { name: "IPv6 range", text: `virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]->[2001:db8::5]:80 gate\n`, line: 2, code: "bad-address", words: /ranges.*not supported for IPv6/ },
  { name: "backwards range", text: `${V}\treal=198.51.100.9->198.51.100.2:80 gate\n`, line: 2, code: "bad-address", words: /below its start/ },
  { name: "huge range", text: `${V}\treal=10.0.0.0->10.2.0.0:80 gate\n`, line: 2, code: "bad-address", words: /at most 65536/ },
  { name: "duplicate real", text: `${V}${R}\treal=198.51.100.1:80 masq\n`, line: 3, code: "duplicate-real", words: /198\.51\.100\.1:80 is already in this virtual section \(line 2\)/ },
  { name: "duplicate real through a range", text: `${V}\treal=198.51.100.1->198.51.100.3:80 gate\n\treal=198.51.100.2:80 gate\n`, line: 3, code: "duplicate-real", words: /198\.51\.100\.2:80.*line 2/ },
  { name: "duplicate virtual", text: `${V}${R}${V}${R}`, line: 3, code: "duplicate-virtual", words: /tcp:192\.0\.2\.1:80 is already defined on line 1/ },
  { name: "duplicate virtual via service name", text: `${V}${R}virtual=192.0.2.1:www\n${R}`, line: 3, code: "duplicate-virtual", words: /tcp:192\.0\.2\.1:80/ },
  { name: "unknown service", text: `${V}${R}\tservice=mysq1\n`, line: 3, code: "unknown-service", words: /service=mysq1.*did you mean mysql/ },
  { name: "unknown checktype", text: `${V}${R}\tchecktype=conect\n`, line: 3, code: "unknown-checktype", words: /checktype=conect.*did you mean connect/ },
  { name: "unknown scheduler", text: `${V}${R}\tscheduler=WRR\n`, line: 3, code: "unknown-scheduler", words: /scheduler=WRR.*rr wrr lc wlc.*did you mean wrr/ },
  { name: "bad yes/no", text: `quiescent=maybe\n${V}${R}`, line: 1, code: "bad-yes-no", words: /quiescent=maybe: expected yes or no/ },
  { name: "bad yes/no in a section", text: `${V}${R}\tcleanstop=1\n`, line: 3, code: "bad-yes-no", words: /cleanstop=1/ },
  { name: "zero checktimeout", text: `checktimeout=0\n${V}${R}`, line: 1, code: "bad-number", words: /checktimeout=0: expected a number of seconds greater than 0/ },
  { name: "non-numeric checkinterval", text: `checkinterval=often\n${V}${R}`, line: 1, code: "bad-number", words: /checkinterval=often/ },
  { name: "failurecount 0", text: `${V}${R}\tfailurecount=0\n`, line: 3, code: "bad-number", words: /failurecount=0/ },
  { name: "checkport 0", text: `${V}${R}\tcheckport=0\n`, line: 3, code: "bad-number", words: /checkport=0: expected a port from 1 to 65535/ },
  { name: "bad receive regex", text: `${V}${R}\treceive="(unclosed"\n`, line: 3, code: "bad-regex", words: /receive="\(unclosed".*not a usable regular expression/ },
  { name: "Perl-only regex construct", text: `${V}${R}\treceive="a++"\n`, line: 3, code: "bad-regex", words: /possessive/ },
  { name: "empty request", text: `${V}${R}\trequest=""\n`, line: 3, code: "bad-value", words: /request="": expected a non-empty request/ },
  { name: "unterminated quote", text: `${V}${R}\trequest="/x\n`, line: 3, code: "bad-value", words: /missing closing double quote/ },
  { name: "protocol fwm on an address", text: `${V}${R}\tprotocol=fwm\n`, line: 3, code: "conflict", words: /protocol=fwm.*must be tcp or udp/ },
  { name: "protocol tcp on a firewall mark", text: `virtual=7\n${R}\tprotocol=tcp\n`, line: 3, code: "conflict", words: /firewall-mark.*protocol=fwm/ },
  { name: "protocol sctp", text: `${V}${R}\tprotocol=sctp\n`, line: 3, code: "bad-value", words: /protocol=sctp: expected tcp or udp/ },
  { name: "HEAD with receive", text: `${V}${R}\thttpmethod=HEAD\n\treceive="OK"\n`, line: 4, code: "conflict", words: /httpmethod=HEAD/ },
  { name: "httpmethod POST", text: `${V}${R}\thttpmethod=POST\n`, line: 3, code: "bad-value", words: /httpmethod=POST: expected GET or HEAD/ },
  { name: "emailalertstatus none with others", text: `emailalertstatus=none,running\n${V}${R}`, line: 1, code: "conflict", words: /"none" cannot be combined/ },
  { name: "emailalertstatus unknown state", text: `emailalertstatus=down\n${V}${R}`, line: 1, code: "bad-value", words: /unknown state "down"/ },
  { name: "emailalert list without commas", text: `emailalert=root@example.com admin@example.com\n${V}${R}`, line: 1, code: "bad-value", words: /is not an e-mail address.*separate addresses with commas/ },
  { name: "netmask not contiguous", text: `${V}${R}\tpersistent=300\n\tnetmask=255.0.255.0\n`, line: 4, code: "bad-value", words: /netmask=255\.0\.255\.0: expected a dotted-quad netmask/ },
  { name: "IPv6 netmask out of range", text: `virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]:80 gate\n\tpersistent=60\n\tnetmask=129\n`, line: 4, code: "bad-number", words: /netmask=129.*prefix length/ },
  { name: "persistent 0", text: `${V}${R}\tpersistent=0\n`, line: 3, code: "bad-number", words: /persistent=0: ipvsadm rejects/ },
  { name: "unknown schedflags", text: `${V}${R}\tschedflags=sh-fallback,sh-bogus\n`, line: 3, code: "bad-value", words: /unknown flag "sh-bogus"/ },
  { name: "fallback with bad method", text: `fallback=127.0.0.1:80 nat\n${V}${R}`, line: 1, code: "bad-forward", words: /unknown forwarding method "nat"/ },
  { name: "fallback6 in an IPv4 section", text: `${V}${R}\tfallback6=[::1]:80\n`, line: 3, code: "wrong-family", words: /fallback6= is not allowed in a virtual= section; use fallback=/ },
  { name: "smtp with a bad port", text: `smtp=mail.example.com:0\n${V}${R}`, line: 1, code: "bad-port", words: /port 0 is out of range/ },
  { name: "port 0 without persistence", text: `virtual=192.0.2.1:0\n${R}`, line: 1, code: "conflict", words: /port 0 \(all ports\) needs persistent=/ },
  { name: "empty logfile", text: `logfile=""\n${V}${R}`, line: 1, code: "bad-value", words: /logfile="": expected a file path/ },
  { name: "bare IPv6 in real6", text: `virtual6=[2001:db8::1]:80\n\treal6=2001:db8::2 gate\n`, line: 2, code: "bad-address", words: /must be written in brackets/ },
];

describe("malformed configs", () => {
  it("has at least 40 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const r = await parse(c.text, "bad.cf");
      expect(r.config).toBeUndefined();
      const errors = errorsOf(r);
      const hit = errors.find((e) => e.line === c.line && e.code === c.code);
      expect(hit, `errors: ${JSON.stringify(errors, null, 1)}`).toBeDefined();
      expect(hit?.message).toMatch(c.words);
      expect(hit?.file).toBe("bad.cf");
      // Every error names a line inside the file.
      for (const e of errors) expect(e.line).toBeGreaterThanOrEqual(1);
    });
  }
});
