import { describe, expect, it } from "vitest";
import { createScrubber, MASK, scrubText, secretsOf } from "../../../src/ops/scrub.js";
import { fallbackText, inaccessibleText, transitionAction, transitionText, virtualLabel } from "../../../src/ops/labels.js";
import { escapeMonitorMessage, formatMonitorLine, monitorRealId, perlLocaltime } from "../../../src/ops/monitor-file.js";
import { maintenanceNames } from "../../../src/ops/maintenance.js";
import { fallbackArgs, splitCommand } from "../../../src/ops/fallback-command.js";
import { executePlan } from "../../../src/ops/execute.js";
import { severityOf, syslogLine } from "../../../src/ops/syslog-stream.js";
import { config, real, virtual } from "./fixtures.js";

describe("scrubText", () => {
  it.each([
    ["ftp://user:s3cret@192.0.2.10/file", [], `ftp://user:${MASK}@192.0.2.10/file`],
    ["GET http://a:b%40c@host/x failed", [], `GET http://a:${MASK}@host/x failed`],
    ["http://host/x?no=creds", [], "http://host/x?no=creds"],
    ["login failed for hunter22", ["hunter22"], `login failed for ${MASK}`],
    ["short secrets are left alone: ab", ["ab"], "short secrets are left alone: ab"],
  ])("%s", (input, secrets, expected) => {
    expect(scrubText(input, secrets)).toBe(expected);
  });

  it("masks secret keys and values at any depth, and error messages", () => {
    const s = createScrubber(["topsecret"]);
    const out = s.value({ a: { b: { passwd: "x", note: "has topsecret inside" } }, err: new Error("auth topsecret") }) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain("topsecret");
    expect(JSON.stringify(out)).toContain(`"passwd":"${MASK}"`);
    expect(JSON.stringify(out)).toContain("auth ****");
  });

  it("collects passwd and secret of every virtual", () => {
    const c = config([virtual({ passwd: "p1pass" }), virtual({ secret: "radius-key", passwd: "" })]);
    expect(secretsOf(c).sort()).toEqual(["p1pass", "radius-key"]);
  });
});

describe("labels", () => {
  const v = virtual();
  const r = real({ weight: 3 });
  it.each([
    ["unknown", "up", false, "Added real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 3)"],
    ["down", "up", false, "Restored real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 3)"],
    ["up", "down", true, "Quiescent real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 0)"],
    ["up", "down", false, "Deleted real server: 192.0.2.10:80 (192.0.2.1:80)"],
    ["unknown", "down", false, "Inaccessible real server: 192.0.2.10:80 (192.0.2.1:80)"],
    ["unknown", "down", true, "Quiescent real server: 192.0.2.10:80 (192.0.2.1:80) (Weight set to 0)"],
  ] as const)("%s → %s (quiescent %s)", (from, to, quiescent, text) => {
    expect(transitionText(transitionAction({ from, to, quiescent }), v, r)).toBe(text);
  });
  it("prints IPv6 in brackets and fwmarks as numbers", () => {
    expect(virtualLabel(virtual({ family: 6, address: "2001:db8::1", port: 443 }))).toBe("[2001:db8::1]:443");
    expect(virtualLabel(virtual({ protocol: "fwm", fwmark: 42, port: 0 }))).toBe("42");
    expect(inaccessibleText(v, real({ family: 6, address: "2001:db8::5" }))).toBe("Inaccessible real server: [2001:db8::5]:80 (192.0.2.1:80)");
  });
  it("names the fallback server only when there is one", () => {
    expect(fallbackText("on", v)).toBeUndefined();
    const f = virtual({ fallback: { address: "127.0.0.1", family: 4, port: 80, forward: "gate", source: { file: "x", line: 1 } } });
    expect(fallbackText("on", f)).toBe("Added fallback server: 127.0.0.1:80 (192.0.2.1:80) (Weight set to 1)");
    expect(fallbackText("off", f)).toBe("Deleted fallback server: 127.0.0.1:80 (192.0.2.1:80)");
  });
});

describe("monitorfile line", () => {
  it("matches ldirectord's verified example", () => {
    const v = virtual({ virtualhost: "www.example.net", service: "http" });
    const r = real({ address: "10.0.0.12", weight: 10, request: "/health/index.html", receive: "Status: OK" });
    const at = new Date(2026, 10, 23, 20, 27, 19);
    expect(formatMonitorLine(v, r, false, "503 Service Unavailable", 18228, at)).toBe(
      "[Mon Nov 23 20:27:19 2026] [18228] negotiate http tcp 10.0.0.12 80 www.example.net 10 gate /health/index.html Status  OK [down] 503 Service Unavailable\n",
    );
  });
  it("pads the day with a space, uses - for an empty message and escapes % | CR LF", () => {
    expect(perlLocaltime(new Date(2026, 0, 5, 1, 2, 3))).toBe("Mon Jan  5 01:02:03 2026");
    expect(escapeMonitorMessage("a|b%c\r\nd")).toBe("a%7Cb%25c%0D%0Ad");
    expect(formatMonitorLine(virtual(), real(), true, "", 1, new Date(2026, 0, 5))).toMatch(/\[up\] -\n$/);
  });
  it("names external checks by their command", () => {
    expect(monitorRealId(virtual({ checktype: "external", checkcommand: "/usr/local/bin/chk" }), real())).toMatch(/^external \/usr\/local\/bin\/chk tcp 192\.0\.2\.10 80 /);
  });
});

describe("maintenanceNames", () => {
  it.each([
    ["IPv4 without host name", real({ address: "10.0.0.5", port: 80 }), undefined, ["10.0.0.5:80", "10.0.0.5"]],
    ["portless real", real({ address: "10.0.0.5", port: 0 }), undefined, ["10.0.0.5:0", "10.0.0.5"]],
    ["host name with short form", real({ address: "10.0.0.5" }), "web1.example.net", ["10.0.0.5:80", "10.0.0.5", "web1.example.net:80", "web1.example.net", "web1:80", "web1"]],
    ["IPv6 bracketed and bare", real({ family: 6, address: "2001:db8::5", port: 443 }), undefined, ["[2001:db8::5]:443", "[2001:db8::5]", "2001:db8::5"]],
    ["host name without dot has no short form", real({ address: "10.0.0.5" }), "web1", ["10.0.0.5:80", "10.0.0.5", "web1:80", "web1"]],
  ])("%s", (_n, r, host, names) => {
    expect(maintenanceNames(r, host)).toEqual(names);
  });
});

describe("fallbackcommand argv", () => {
  it.each([
    ['/usr/local/bin/fb.sh "two words" x', ["/usr/local/bin/fb.sh", "two words", "x"]],
    ["/bin/echo 'a b' c\\ d $HOME", ["/bin/echo", "a b", "c d", "$HOME"]],
  ])("splits %s without a shell", (line, argv) => {
    expect(splitCommand(line)).toEqual({ argv });
  });
  it("refuses shell operators", () => {
    expect(splitCommand("/bin/fb.sh >> /tmp/log")).toHaveProperty("error");
    expect(splitCommand("   ")).toEqual({ error: "empty command" });
  });
  it.each([
    ["on", virtual(), ["start", "192.0.2.1:80", "tcp"]],
    ["off", virtual({ protocol: "udp", port: 53 }), ["stop", "192.0.2.1:53", "udp"]],
    ["on", virtual({ family: 6, address: "2001:db8::1", port: 80 }), ["start", "[2001:db8::1]:80", "tcp"]],
    ["on", virtual({ protocol: "fwm", fwmark: 7, port: 0 }), ["start", "7:0", "fwm"]],
  ] as const)("%s → %j", (state, v, args) => {
    expect(fallbackArgs(state, v)).toEqual(args);
  });
});

describe("executePlan", () => {
  it("stops removed, reloads kept and starts new instances", () => {
    expect(executePlan(["a.cf", "b.cf"], ["b.cf", "c.cf"])).toEqual({ stop: ["a.cf"], reload: ["b.cf"], start: ["c.cf"] });
  });
});

describe("syslogLine", () => {
  it("maps level to severity and keeps fields on one line", () => {
    expect(severityOf(50)).toBe(3);
    expect(syslogLine(JSON.stringify({ level: 30, time: 1, pid: 2, hostname: "h", name: "n", msg: "Deleted real server: x\ny", vs: "tcp:1" }), 16)).toBe(
      '<134>Deleted real server: x y {"vs":"tcp:1"}',
    );
  });
});
