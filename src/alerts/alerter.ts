// The alert side of the director: turns transitions, fallback changes and the resend timer into mails, after
// the policy (status filter, recipients, maintenance) and within a batching window. Never blocks the caller.
import type { AlertSettings, DaemonStatus, DirectorConfig, RealServer, VirtualService } from "../config/types.js";
import type { FallbackChange, RealTransition } from "../daemon/hooks.js";
import type { Logger } from "pino";
import { realKey } from "../ipvs/desired.js";
import { fallbackText, inaccessibleText, realLabel, transitionAction, transitionText, virtualLabel } from "../ops/labels.js";
import { batchAlerts, type AlertItem } from "./alert-mail.js";
import { dueResends, resendAfterTransition, shouldAlert, type AlertKind, type ResendEntry } from "./alert-policy.js";
import type { Mailer } from "./mailer.js";

/** Default batching window: alerts within it go out as one mail per recipient. */
export const DEFAULT_BATCH_WINDOW_MS = 2_000;

/** Options of createAlerter. */
export interface AlerterOptions {
  readonly logger: Logger;
  readonly mailer: Mailer;
  /** Shown in the body (`ldirectord host:`). */
  readonly hostname: string;
  /** From header when emailalertfrom is unset (ldirectord: login@hostname). */
  readonly defaultFrom: string;
  /** Masks secrets in reasons. */
  readonly scrub: (s: string) => string;
  readonly windowMs?: number;
}

/** What the operations wiring calls. */
export interface Alerter {
  status(s: DaemonStatus): void;
  transition(t: RealTransition): void;
  fallback(c: FallbackChange): void;
  /** Resend reminders that are due. */
  tick(now: number): void;
  reload(config: DirectorConfig): void;
  /** Send what is waiting in the batching window now. */
  flush(): void;
  /** Flush, then wait for delivery at most `withinMs`; resolves to true when nothing was left undelivered. */
  close(withinMs: number): Promise<boolean>;
}

interface Reminder {
  entry: ResendEntry;
  virtual: VirtualService;
  real: RealServer;
}

/** The transport key of alert settings: `smtp://host:port` or `sendmail`. */
export function transportKey(a: AlertSettings): string {
  if (a.smtp === undefined) return "sendmail";
  const host = a.smtp.host.includes(":") ? `[${a.smtp.host}]` : a.smtp.host;
  return `smtp://${host}:${a.smtp.port}`;
}

/** Create an alerter. */
export function createAlerter(o: AlerterOptions): Alerter {
  const windowMs = o.windowMs ?? DEFAULT_BATCH_WINDOW_MS;
  let status: DaemonStatus = "starting";
  let pending: AlertItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  const reminders = new Map<string, Reminder>();
  // Reals whose last down was maintenance: their restore is operator-made too, so it is not mailed either.
  const maintained = new Set<string>();
  // Reals up as far as transitions tell: on stop with cleanstop they are purged, and ldirectord mails each purge.
  const up = new Map<string, { virtual: VirtualService; real: RealServer }>();

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const mails = batchAlerts(pending, o.hostname);
    pending = [];
    o.mailer.enqueue(mails);
  };

  const offer = (kind: AlertKind, virtual: VirtualService, text: string, reason: string | undefined, at: number, maintenance: boolean): void => {
    const verdict = shouldAlert({ kind, status, maintenance }, virtual.alerts);
    if (!verdict.send) {
      o.logger.debug({ vs: virtual.key, why: verdict.why }, `no email alert: ${text}`);
      return;
    }
    pending.push({
      text,
      ...(reason === undefined ? {} : { reason: o.scrub(reason) }),
      status,
      at,
      recipients: virtual.alerts.emailalert,
      transport: transportKey(virtual.alerts),
      from: virtual.alerts.emailalertfrom ?? o.defaultFrom,
      ...(virtual.servicename === undefined ? {} : { servicename: virtual.servicename }),
      ...(virtual.comment === undefined ? {} : { comment: virtual.comment }),
    });
    // The window opens with the first alert and is not extended: a steady trickle still goes out every window.
    if (timer === undefined) {
      timer = setTimeout(flush, windowMs);
      timer.unref();
    }
  };

  return {
    status(s) {
      status = s;
      if (s !== "stopping") return;
      const at = Date.now();
      for (const { virtual, real } of up.values()) {
        if (virtual.cleanstop) offer("transition", virtual, `Purged real server (stop): ${realLabel(real)} (${virtualLabel(virtual)})`, undefined, at, false);
      }
      up.clear();
    },
    transition(t) {
      const id = `${t.virtual.key} ${realKey(t.real)}`;
      let maintenance = t.maintenance;
      if (t.to === "down" && t.maintenance) maintained.add(id);
      if (t.to === "up" && maintained.delete(id)) maintenance = true;
      if (t.to === "up") up.set(id, { virtual: t.virtual, real: t.real });
      else up.delete(id);
      // Bookkeeping first, as ldirectord: a reminder is kept for a real down, even while the status filter mutes mail.
      const entry = maintenance ? undefined : resendAfterTransition(t.to, t.virtual.alerts.emailalertfreq, t.at);
      if (entry === undefined) reminders.delete(id);
      else reminders.set(id, { entry, virtual: t.virtual, real: t.real });
      const text = transitionText(transitionAction({ from: t.from, to: t.to, quiescent: t.virtual.quiescent }), t.virtual, t.real);
      offer("transition", t.virtual, text, t.reason, t.at, maintenance);
    },
    fallback(c) {
      const text = fallbackText(c.state, c.virtual);
      if (text !== undefined) offer("fallback", c.virtual, text, undefined, c.at, false);
    },
    tick(at) {
      for (const id of dueResends(new Map([...reminders].map(([k, r]) => [k, r.entry])), at)) {
        const r = reminders.get(id);
        if (r === undefined) continue;
        r.entry = { lastAt: at, freqSec: r.entry.freqSec };
        offer("resend", r.virtual, inaccessibleText(r.virtual, r.real), undefined, at, false);
      }
    },
    reload(config) {
      // Reminders follow their real into the new config (new frequency, recipients); gone or freq 0 → dropped.
      const byId = new Map<string, { virtual: VirtualService; real: RealServer }>();
      for (const v of config.virtuals) for (const r of v.reals) byId.set(`${v.key} ${realKey(r)}`, { virtual: v, real: r });
      for (const [id, rem] of reminders) {
        const next = byId.get(id);
        if (next === undefined || next.virtual.alerts.emailalertfreq <= 0) reminders.delete(id);
        else reminders.set(id, { entry: { lastAt: rem.entry.lastAt, freqSec: next.virtual.alerts.emailalertfreq }, ...next });
      }
      for (const id of maintained) if (!byId.has(id)) maintained.delete(id);
      for (const id of up.keys()) {
        const next = byId.get(id);
        if (next === undefined) up.delete(id);
        else up.set(id, next);
      }
    },
    flush,
    async close(withinMs) {
      flush();
      const ok = await o.mailer.drain(withinMs);
      o.mailer.close();
      return ok;
    },
  };
}
