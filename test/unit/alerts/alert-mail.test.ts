import { describe, expect, it } from "vitest";
import { batchAlerts, batchSubject, MAX_BLOCKS_PER_MAIL, type AlertItem } from "../../../src/alerts/alert-mail.js";

const item = (over: Partial<AlertItem> = {}): AlertItem => ({
  text: "Deleted real server: 192.0.2.10:80 (192.0.2.1:80)",
  status: "running",
  at: Date.UTC(2026, 10, 25, 8, 0, 0),
  recipients: ["ops@example.net"],
  transport: "smtp://127.0.0.1:25",
  from: "lvs@example.net",
  ...over,
});

describe("batchSubject", () => {
  it("keeps ldirectord's subject for a single alert, with the [servicename] prefix", () => {
    expect(batchSubject([item({ servicename: "www" })])).toBe("[www] Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
    expect(batchSubject([item()])).toBe("Deleted real server: 192.0.2.10:80 (192.0.2.1:80)");
  });
  it("summarises several alerts by kind", () => {
    const s = batchSubject([item({ servicename: "www" }), item({ servicename: "www" }), item({ servicename: "www", text: "Restored real server: 192.0.2.11:80 (192.0.2.1:80) (Weight set to 1)" })]);
    expect(s).toBe("[www] 3 alerts: 2 Deleted real server, 1 Restored real server");
  });
  it("drops the prefix when the alerts come from different services", () => {
    expect(batchSubject([item({ servicename: "www" }), item({ servicename: "mail" })])).toBe("2 alerts: 2 Deleted real server");
  });
});

describe("batchAlerts", () => {
  it("makes one mail per recipient, each alert listed once, in order", () => {
    const a = item({ recipients: ["a@x", "b@x"], reason: "GET http://192.0.2.10/: status 503" });
    const b = item({ recipients: ["a@x"], text: "Quiescent real server: 192.0.2.11:80 (192.0.2.1:80) (Weight set to 0)" });
    const mails = batchAlerts([a, b], "lb1");
    expect(mails.map((m) => [m.to, m.count])).toEqual([
      ["a@x", 2],
      ["b@x", 1],
    ]);
    const first = mails[0]?.text ?? "";
    expect(first).toMatch(/^ldirectord host: lb1\n/);
    expect(first.indexOf("Deleted real server")).toBeLessThan(first.indexOf("Quiescent real server"));
    expect(first).toContain("Reason: GET http://192.0.2.10/: status 503");
    expect(first).toContain("Daemon-Status: running");
  });
  it("does not merge alerts bound for different relays or senders", () => {
    const mails = batchAlerts([item(), item({ transport: "sendmail" }), item({ from: "other@x" })], "lb1");
    expect(mails).toHaveLength(3);
  });
  it("adds service name and comment lines when set", () => {
    const [m] = batchAlerts([item({ servicename: "www", comment: "front web farm" })], "lb1");
    expect(m?.text).toContain("Service name: www\nComment: front web farm");
  });
  it("lists at most MAX_BLOCKS_PER_MAIL alerts in the body and counts the rest; the subject counts all", () => {
    const many = Array.from({ length: MAX_BLOCKS_PER_MAIL + 25 }, () => item());
    const [m] = batchAlerts(many, "lb1");
    expect(m?.subject).toBe(`${MAX_BLOCKS_PER_MAIL + 25} alerts: ${MAX_BLOCKS_PER_MAIL + 25} Deleted real server`);
    expect(m?.text.match(/^Log-Message: /gm)).toHaveLength(MAX_BLOCKS_PER_MAIL);
    expect(m?.text).toContain("... and 25 more alerts (every one is in the log)");
  });
  it("sends an alert once to a recipient listed twice", () => {
    expect(batchAlerts([item({ recipients: ["a@x", "a@x"] })], "lb1").map((m) => m.count)).toEqual([1]);
  });
});
