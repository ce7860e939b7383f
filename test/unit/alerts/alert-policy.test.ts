import { describe, expect, it } from "vitest";
import { dueResends, nextResendAt, resendAfterTransition, retryDelayMs, shouldAlert, type AlertCandidate, type ResendEntry } from "../../../src/alerts/alert-policy.js";
import type { DaemonStatus } from "../../../src/config/types.js";

const all: DaemonStatus[] = ["starting", "running", "stopping", "reloading"];

describe("shouldAlert", () => {
  const cases: [string, AlertCandidate, { emailalert: string[]; emailalertstatus: DaemonStatus[] }, string][] = [
    ["sends a transition while running", { kind: "transition", status: "running", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: all }, "send"],
    ["no recipients → nothing", { kind: "transition", status: "running", maintenance: false }, { emailalert: [], emailalertstatus: all }, "no-recipients"],
    ["emailalertstatus=none → nothing", { kind: "transition", status: "running", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: [] }, "status-filtered"],
    ["starting filtered out by running,stopping", { kind: "transition", status: "starting", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: ["running", "stopping"] }, "status-filtered"],
    ["stopping passes running,stopping", { kind: "transition", status: "stopping", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: ["running", "stopping"] }, "send"],
    ["resend is filtered like a transition", { kind: "resend", status: "reloading", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: ["running"] }, "status-filtered"],
    ["maintenance is silent", { kind: "transition", status: "running", maintenance: true }, { emailalert: ["a@x"], emailalertstatus: all }, "maintenance"],
    ["fallback alerts pass", { kind: "fallback", status: "running", maintenance: false }, { emailalert: ["a@x"], emailalertstatus: all }, "send"],
  ];
  it.each(cases)("%s", (_name, c, policy, expected) => {
    const v = shouldAlert(c, policy);
    expect(v.send ? "send" : v.why).toBe(expected);
  });
});

describe("resend schedule", () => {
  it.each([
    ["down with a frequency is remembered", "down", 60, 1_000, { lastAt: 1_000, freqSec: 60 }],
    ["down with frequency 0 is not", "down", 0, 1_000, undefined],
    ["up clears it", "up", 60, 1_000, undefined],
  ] as const)("%s", (_n, to, freq, now, expected) => {
    expect(resendAfterTransition(to, freq, now)).toEqual(expected);
  });

  it("is due exactly emailalertfreq seconds after the last alert, and not before", () => {
    const book = new Map<string, ResendEntry>([
      ["a", { lastAt: 0, freqSec: 10 }],
      ["b", { lastAt: 5_000, freqSec: 10 }],
    ]);
    expect(nextResendAt({ lastAt: 0, freqSec: 10 })).toBe(10_000);
    expect(dueResends(book, 9_999)).toEqual([]);
    expect(dueResends(book, 10_000)).toEqual(["a"]);
    expect(dueResends(book, 15_000)).toEqual(["a", "b"]);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [10, 300_000],
  ])("attempt %i waits %i ms", (n, ms) => {
    expect(retryDelayMs(n)).toBe(ms);
  });
});
