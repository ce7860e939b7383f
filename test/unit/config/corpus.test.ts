// The 27 real-world configs of ../shared/corpus: what ldirectord accepts parses with the same meaning; what it
// rejects is either an error at the same or a better line with a clear reason, or accepted with a warning.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DirectorConfig, VirtualService } from "../../../src/config/index.js";
import { corpusDir, errorsOf, parse, warningsOf } from "./helpers.js";

const dir = corpusDir();

interface Expected {
  /** undefined = the config is valid. */
  readonly firstError?: { readonly line: number; readonly code: string; readonly words: RegExp };
  /** Warnings that must be present (line and code). */
  readonly warnings?: ReadonlyArray<readonly [number, string]>;
  readonly virtuals?: number;
  readonly reals?: number;
  /** Meaning checks on the parsed config. */
  readonly check?: (c: DirectorConfig) => void;
}

function v(c: DirectorConfig, i: number): VirtualService {
  const x = c.virtuals[i];
  if (x === undefined) throw new Error(`no virtual ${i}`);
  return x;
}

const EXPECTED: Readonly<Record<string, Expected>> = {
  // ---- accepted by ldirectord: same meaning
  "01-populis-production.cf": {
    virtuals: 70,
    reals: 193,
    check: (c) => {
      expect(c.globals.checkinterval).toBe(2);
      expect(c.globals.alerts).toMatchObject({ emailalert: ["it.sysadmin@populis.com"], emailalertfreq: 1800 });
      // The same VIP:domain twice: tcp (explicit) and udp (explicit) are distinct services.
      expect(v(c, 0)).toMatchObject({ key: "tcp:10.0.16.1:53", service: "dns", scheduler: "wrr", request: "/vip-ldap.de.prod", receive: "10.0.16.24" });
      expect(v(c, 1)).toMatchObject({ key: "udp:10.0.16.1:53", scheduler: "rr" });
      expect(v(c, 0).reals.map((r) => `${r.address}:${r.port}`)).toEqual(["10.0.240.8:53", "10.0.240.9:53"]);
      expect(v(c, 2)).toMatchObject({ key: "tcp:10.0.16.2:80", service: "http", scheduler: "sed", checktimeout: 10, negotiatetimeout: 10, quiescent: true });
      expect(v(c, 2).reals.map((r) => r.weight)).toEqual([100, 100, 100, 100]);
      const ldap = c.virtuals.find((x) => x.key === "tcp:10.0.16.24:389");
      expect(ldap).toMatchObject({ service: "ldap", login: "cn=monitor,dc=populis,dc=com" });
      // fallback=10.0.112.2:mysql␠ (service-name port, trailing blank, no method → gate).
      const withFallback = c.virtuals.find((x) => x.source.line === 412);
      expect(withFallback).toMatchObject({ key: "tcp:10.0.16.111:3306", service: "mysql", login: "monitor", database: "mysql", request: "/select (1) from user" });
      expect(withFallback?.fallback).toMatchObject({ address: "10.0.112.2", port: 3306, forward: "gate" });
      expect(c.virtuals.filter((x) => x.persistent !== undefined).length).toBe(5);
      expect(c.virtuals.filter((x) => x.port === 3306).length).toBeGreaterThan(0);
      expect(c.virtuals.every((x) => x.checktype === "negotiate" || x.checktype === "connect")).toBe(true);
    },
  },
  "03-mariadb-no-eol.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[5, "ignored-option"]],
    check: (c) => {
      expect(v(c, 0)).toMatchObject({
        key: "tcp:192.168.208.150:3306",
        service: "mysql",
        scheduler: "wlc",
        login: "monetiq",
        passwd: "monetiq",
        database: "rft",
        request: "/SELECT us_login FROM user_session LIMIT 1",
        checktimeout: 5,
        negotiatetimeout: 30,
        checkinterval: 10,
        quiescent: false,
      });
      expect(v(c, 0).netmask).toBeUndefined();
      expect(v(c, 0).reals.map((r) => r.weight)).toEqual([2, 1]);
    },
  },
  "06-k8s-harder-way.cf": {
    virtuals: 1,
    reals: 3,
    check: (c) => {
      expect(c.globals).toMatchObject({ autoreload: true, checkinterval: 1 });
      expect(v(c, 0)).toMatchObject({ key: "tcp:192.168.1.21:6443", service: "https", request: "/healthz", receive: "ok", servicename: "kubernetes", checktimeout: 5, negotiatetimeout: 5, quiescent: true });
    },
  },
  "07-betadots-masq-servicename.cf": {
    virtuals: 1,
    reals: 2,
    check: (c) => {
      expect(v(c, 0)).toMatchObject({ key: "tcp:10.100.10.11:80", servicename: "Web Site", comment: "Test load balanced web site", scheduler: "rr", checkport: 80, request: "/", receive: "" });
      expect(v(c, 0).fallback).toBeUndefined();
      expect(v(c, 0).reals.every((r) => r.forward === "masq")).toBe(true);
    },
  },
  "09-leseb-callback-dup-logfile.cf": {
    virtuals: 1,
    reals: 3,
    warnings: [[7, "duplicate-directive"]],
    check: (c) => {
      expect(c.globals).toMatchObject({ callback: "/usr/local/bin/sync_ldirectord", logfile: { kind: "syslog", facility: "local0" }, autoreload: true });
      expect(v(c, 0)).toMatchObject({ persistent: 600, scheduler: "wlc", request: "/check_lvs.html", receive: "up", checktimeout: 10, negotiatetimeout: 10, checkinterval: 15, quiescent: true });
      // Global fallback without a forwarding method: gate; it had a port.
      expect(v(c, 0).fallback).toMatchObject({ address: "127.0.0.1", port: 80, forward: "gate" });
    },
  },
  "21-jekyll-vs-nat-xp-reals.cf": {
    virtuals: 1,
    reals: 2,
    check: (c) => {
      expect(c.globals.logfile).toEqual({ kind: "syslog", facility: "local0" });
      expect(v(c, 0)).toMatchObject({ key: "tcp:192.168.1.199:80", request: "/heartbeat.html", receive: "Test Page", scheduler: "rr" });
      expect(v(c, 0).fallback).toMatchObject({ address: "127.0.0.1", port: 80, forward: "gate" });
      expect(v(c, 0).reals.map((r) => r.address)).toEqual(["192.168.0.109", "192.168.1.112"]);
    },
  },
  "22-forum-lucid-heartbeat.cf": {
    virtuals: 1,
    reals: 2,
    check: (c) => {
      expect(v(c, 0)).toMatchObject({ key: "tcp:192.168.9.130:80", request: "/loadb/loadb.html", checktimeout: 10, checkinterval: 2, quiescent: true });
      expect(v(c, 0).reals.every((r) => r.forward === "gate" && r.weight === 1)).toBe(true);
    },
  },
  "25-rst-codeblock-sorry.cf": {
    virtuals: 1,
    reals: 3,
    check: (c) => {
      expect(v(c, 0)).toMatchObject({ key: "tcp:10.0.46.151:80", scheduler: "wrr", checkport: 80, request: "/test.html", receive: "test", quiescent: false, checktimeout: 3, negotiatetimeout: 3, checkinterval: 1 });
      expect(v(c, 0).reals.map((r) => r.weight)).toEqual([1, 2, 3]);
      expect(v(c, 0).fallback).toMatchObject({ address: "127.0.0.1", port: 80, forward: "gate" });
    },
  },
  // ---- rejected by ldirectord
  "02-redecard-poslss.cf": { firstError: { line: 33, code: "unknown-service", words: /pingpong_master.*expected one of/ } },
  // ldirectord stops on the missing log directory; that depends on the host, so it is a warning here.
  "04-radius-external-udp.cf": {
    virtuals: 2,
    reals: 4,
    check: (c) => {
      expect(v(c, 0)).toMatchObject({ key: "udp:192.168.202.50:1812", checktype: "external", service: "radius" });
      expect(v(c, 1)).toMatchObject({ key: "udp:192.168.202.50:1813", service: "none" });
    },
  },
  "05-config-ldirectord-ini.cf": { firstError: { line: 7, code: "syntax", words: /\[vip\]/ } },
  "08-graylog-external-perl.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[1, "indentation"]],
    check: (c) => expect(v(c, 0)).toMatchObject({ key: "udp:192.168.100.100:12201", checktype: "external-perl", checkcommand: "/usr/local/bin/graylog2-ldirectord" }),
  },
  "10-imkindu-tab-inline-comments.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[2, "unicode-space"], [6, "trailing-comment"]],
    check: (c) => {
      expect(c.globals.autoreload).toBe(true);
      expect(v(c, 0).checktimeout).toBe(3);
    },
  },
  "11-netkiller-ellipsis.cf": { firstError: { line: 15, code: "syntax", words: /\.\.\./ } },
  "12-lvs-md-inline-comments.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[6, "trailing-comment"], [12, "trailing-comment"]],
    check: (c) => expect(v(c, 0).persistent).toBe(600),
  },
  "13-gbk-comments.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[35, "whitespace-line"]],
    check: (c) => expect(v(c, 0)).toMatchObject({ scheduler: "wlc", checktimeout: 20 }),
  },
  // Placeholder host names: cannot resolve (the test resolver knows no such names).
  "14-linux-help-spaced-equals.cf": { firstError: { line: 1, code: "unresolved-host", words: /xx\.xx\.xx\.xx/ } },
  "15-mandic-echo-crlf.cf": {
    virtuals: 2,
    reals: 4,
    warnings: [[1, "crlf"]],
    check: (c) => {
      expect(c.globals.autoreload).toBe(true);
      expect(v(c, 1)).toMatchObject({ service: "none", checktype: "connect" });
    },
  },
  "16-grep-output-crlf-tab-line.cf": { virtuals: 1, reals: 2, warnings: [[1, "crlf"]] },
  "17-lvs-install-dash-w.cf": {
    firstError: { line: 13, code: "syntax", words: /expected DIRECTIVE=VALUE/ },
    warnings: [[6, "trailing-comment"]],
  },
  "18-fwmark3-two-space-indent.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[4, "trailing-comment"], [15, "indentation"], [22, "blank-line-in-section"]],
    check: (c) => {
      expect(v(c, 0)).toMatchObject({ key: "fwm:3", protocol: "fwm", port: 0, fwmark: 3, service: "http", checkport: 80, request: "/index.html" });
      expect(v(c, 0).fallback).toMatchObject({ address: "127.0.0.1", port: 80, forward: "gate" });
      expect(v(c, 0).reals.map((r) => r.weight)).toEqual([2, 1]);
    },
  },
  "19-fwmark5-curly-quotes.cf": {
    firstError: { line: 12, code: "unindented-section-line", words: /checktype=.*column 0.*indent the lines of a virtual section by a tab or four spaces/ },
    warnings: [[4, "typographic-quote"]],
  },
  "20-sorry-server-inline-comments.cf": {
    virtuals: 1,
    reals: 2,
    warnings: [[4, "trailing-comment"]],
    check: (c) => {
      expect(c.globals.fallback).toMatchObject({ address: "127.0.0.1", port: 80, forward: "gate" });
      expect(v(c, 0).fallback).toMatchObject({ address: "127.0.0.1", port: 80 });
    },
  },
  "23-backslash-comments.cf": { firstError: { line: 3, code: "syntax", words: /unexpected "\\\\/ } },
  "24-indented-globals-hash-hash.cf": {
    virtuals: 1,
    reals: 3,
    warnings: [[2, "indentation"], [12, "indentation"], [27, "duplicate-directive"]],
    check: (c) => {
      expect(c.globals.checkinterval).toBe(1);
      // request/receive/virtualhost are given twice: the later values win, as in ldirectord.
      expect(v(c, 0)).toMatchObject({ request: "/index.html", receive: "Test Page", virtualhost: "www.x.y.z", quiescent: true });
    },
  },
  "26-csdn-per-real-request-receive.cf": {
    firstError: { line: 7, code: "unindented-section-line", words: /real=.*indent the lines of a virtual section/ },
  },
  "27-51cto-curly-quotes-no-port.cf": { firstError: { line: 6, code: "bad-address", words: /missing port.*firewall mark 172/ } },
};

describe("the shared corpus", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cf")).sort();

  it("has 27 configs, each with an expected outcome here", () => {
    expect(files.length).toBe(27);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it("MANIFEST's ldirectord verdicts: 8 accepted", () => {
    const manifest = readFileSync(join(dir, "MANIFEST.tsv"), "utf8").split("\n").slice(1).filter((l) => l !== "");
    const accepted = manifest.filter((l) => l.split("\t")[3] === "accepted").map((l) => l.split("\t")[0]);
    expect(accepted.length).toBe(8);
    // Every config ldirectord accepts must be accepted here too, with no error.
    for (const f of accepted) expect(EXPECTED[f ?? ""]?.firstError, f).toBeUndefined();
  });

  for (const file of Object.keys(EXPECTED).sort()) {
    it(file, async () => {
      const exp = EXPECTED[file] as Expected;
      const r = await parse(readFileSync(join(dir, file)), file);
      const errors = errorsOf(r);
      if (exp.firstError !== undefined) {
        expect(r.config).toBeUndefined();
        const first = errors[0];
        expect(first, JSON.stringify(r.diagnostics)).toBeDefined();
        expect(first?.line).toBe(exp.firstError.line);
        expect(first?.code).toBe(exp.firstError.code);
        expect(first?.message).toMatch(exp.firstError.words);
        expect(first?.file).toBe(file);
      } else {
        expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
        const c = r.config as DirectorConfig;
        expect(c).toBeDefined();
        if (exp.virtuals !== undefined) expect(c.virtuals.length).toBe(exp.virtuals);
        if (exp.reals !== undefined) expect(c.virtuals.reduce((n, x) => n + x.reals.length, 0)).toBe(exp.reals);
        exp.check?.(c);
        expect(c.warnings).toEqual(warningsOf(r));
      }
      const warnings = warningsOf(r).map((w) => [w.line, w.code]);
      for (const w of exp.warnings ?? []) expect(warnings).toContainEqual(w);
    });
  }
});
