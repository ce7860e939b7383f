// When an alert mail is due: the status filter, the recipients, maintenance silence and the resend schedule
// (ldirectord §4.1). Pure functions over plain data; the alerter only calls them.
import type { AlertSettings, DaemonStatus } from "../config/types.js";

/** What kind of event an alert is about. */
export type AlertKind = "transition" | "fallback" | "resend";

/** The facts shouldAlert looks at. */
export interface AlertCandidate {
  readonly kind: AlertKind;
  /** The daemon's status when it happened (filtered by emailalertstatus). */
  readonly status: DaemonStatus;
  /** The change was caused by maintenancedir (or is the restore after it): operator-made, so no mail. */
  readonly maintenance: boolean;
}

/** Why an alert is or is not sent (for debug logs and tests). */
export type AlertVerdict =
  | { readonly send: true }
  | { readonly send: false; readonly why: "no-recipients" | "status-filtered" | "maintenance" };

/** Decide whether an event becomes a mail under a virtual's alert settings. */
export function shouldAlert(c: AlertCandidate, policy: Pick<AlertSettings, "emailalert" | "emailalertstatus">): AlertVerdict {
  if (policy.emailalert.length === 0) return { send: false, why: "no-recipients" };
  if (!policy.emailalertstatus.includes(c.status)) return { send: false, why: "status-filtered" };
  if (c.maintenance) return { send: false, why: "maintenance" };
  return { send: true };
}

/** A real server being reminded about: the last time an alert was sent for it and the period. */
export interface ResendEntry {
  readonly lastAt: number;
  /** emailalertfreq in seconds (> 0). */
  readonly freqSec: number;
}

/**
 * The resend bookkeeping after a transition (ldirectord: a down alert stamps the id when the frequency is
 * non-zero; an up alert or a zero frequency clears it). Returns the entry to keep, or undefined to forget it.
 */
export function resendAfterTransition(to: "up" | "down", freqSec: number, now: number): ResendEntry | undefined {
  if (to === "up" || freqSec <= 0) return undefined;
  return { lastAt: now, freqSec };
}

/** When the next reminder for an entry is due (epoch ms). */
export function nextResendAt(e: ResendEntry): number {
  return e.lastAt + e.freqSec * 1000;
}

/** The ids whose reminder is due at `now`, in map order. */
export function dueResends(book: ReadonlyMap<string, ResendEntry>, now: number): string[] {
  const due: string[] = [];
  for (const [id, e] of book) if (now >= nextResendAt(e)) due.push(id);
  return due;
}

/** Retry delay after the n-th failed delivery attempt (1-based): doubling from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(attempt: number, baseMs = 5_000, maxMs = 300_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
