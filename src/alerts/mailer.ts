// Delivery of alert mails. Sending is asynchronous and bounded in time; a dead, refusing or hanging relay is
// logged and retried with backoff from a bounded queue, and never reaches the checks or the table (callers
// only enqueue). One queue per transport, so a hanging per-virtual relay does not hold up the others.
import { existsSync } from "node:fs";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { AlertMail } from "./alert-mail.js";
import { retryDelayMs } from "./alert-policy.js";

/** Sends one message; resolves when the relay accepted it. (nodemailer's Transporter fits.) */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string; envelope: { from: string; to: string[] } }): Promise<unknown>;
  close(): void;
}

/** Options of createMailer. */
export interface MailerOptions {
  readonly logger: Logger;
  /** Builds the transport for a key (`smtp://host:port` or `sendmail`); default: nodemailer. */
  readonly createTransport?: (key: string, timeoutMs: number) => MailTransport;
  /** Bound on one delivery attempt (connect, greeting, every command). Default 15 s. */
  readonly timeoutMs?: number;
  /** Mails kept waiting across all transports; the oldest are dropped (and logged) beyond it. Default 500. */
  readonly maxQueue?: number;
  /** Attempts per mail before it is dropped (logged). Default 6 (about 2.5 minutes of backoff). */
  readonly maxAttempts?: number;
  /** First retry delay, doubled each time. Default 5 s. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

/** Delivery counters (for logs and tests). */
export interface MailerStats {
  sent: number;
  failedAttempts: number;
  dropped: number;
}

/** The delivery side of alerts. */
export interface Mailer {
  /** Queue mails; returns at once. */
  enqueue(mails: readonly AlertMail[]): void;
  /** Resolves when every queue is empty or after `withinMs`; resolves to true when everything was delivered or dropped. */
  drain(withinMs: number): Promise<boolean>;
  /** Stop retrying and close transports (pending mails are dropped and counted). */
  close(): void;
  readonly stats: Readonly<MailerStats>;
}

/** The envelope address inside a From header (`"Name" <a@b>` → `a@b`). */
export function envelopeAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m?.[1] ?? from).trim();
}

/** The sendmail program used without smtp=: the first of these that exists, else `sendmail` on PATH. */
export function findSendmail(): string {
  return ["/usr/sbin/sendmail", "/usr/lib/sendmail"].find((p) => existsSync(p)) ?? "sendmail";
}

/** Default transport: SMTP relay (STARTTLS when offered, certificate not verified: ldirectord spoke plaintext) or sendmail. */
export function nodemailerTransport(key: string, timeoutMs: number, sendmailPath: string = findSendmail()): MailTransport {
  if (key.startsWith("smtp://")) {
    const rest = key.slice("smtp://".length);
    const colon = rest.lastIndexOf(":");
    const host = rest.slice(0, colon).replace(/^\[|\]$/g, "");
    const port = Number(rest.slice(colon + 1));
    return nodemailer.createTransport({
      host,
      port,
      secure: false,
      tls: { rejectUnauthorized: false },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }
  return nodemailer.createTransport({ sendmail: true, newline: "unix", path: sendmailPath });
}

interface Pending {
  readonly mail: AlertMail;
  attempts: number;
}

/** Create a mailer. */
export function createMailer(options: MailerOptions): Mailer {
  const log = options.logger;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxQueue = options.maxQueue ?? 500;
  const maxAttempts = options.maxAttempts ?? 6;
  const make = options.createTransport ?? nodemailerTransport;
  const queues = new Map<string, Pending[]>();
  const running = new Set<string>();
  const transports = new Map<string, MailTransport>();
  const sleepers = new Map<NodeJS.Timeout, () => void>();
  const idleWaiters = new Set<() => void>();
  const stats: MailerStats = { sent: 0, failedAttempts: 0, dropped: 0 };
  let closed = false;

  const total = (): number => [...queues.values()].reduce((n, q) => n + q.length, 0);
  const idle = (): boolean => total() === 0 && running.size === 0;
  const notifyIdle = (): void => {
    if (!idle()) return;
    for (const w of idleWaiters) w();
    idleWaiters.clear();
  };

  const transportFor = (key: string): MailTransport => {
    let t = transports.get(key);
    if (t === undefined) {
      t = make(key, timeoutMs);
      transports.set(key, t);
    }
    return t;
  };

  // A backoff wait that close() can cut short.
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        sleepers.delete(t);
        resolve();
      }, ms);
      t.unref();
      sleepers.set(t, resolve);
    });

  // One attempt, bounded: nodemailer's own timeouts cover connect/greeting/commands, the race covers the rest.
  const attempt = async (key: string, mail: AlertMail): Promise<void> => {
    const transport = transportFor(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the mail relay within ${timeoutMs} ms`)), timeoutMs + 1_000);
      timer.unref();
    });
    try {
      await Promise.race([
        transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, envelope: { from: envelopeAddress(mail.from), to: [mail.to] } }),
        timeout,
      ]);
    } catch (err) {
      // A hung connection must not be reused for the retry.
      transport.close();
      transports.delete(key);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  const work = async (key: string): Promise<void> => {
    running.add(key);
    try {
      const q = queues.get(key) ?? [];
      for (let p = q[0]; p !== undefined && !closed; p = q[0]) {
        try {
          await attempt(key, p.mail);
          q.shift();
          stats.sent++;
          log.info({ to: p.mail.to, subject: p.mail.subject, alerts: p.mail.count, transport: key }, `emailalert: ${p.mail.subject}`);
        } catch (err) {
          stats.failedAttempts++;
          p.attempts++;
          const reason = err instanceof Error ? err.message : String(err);
          if (p.attempts >= maxAttempts) {
            q.shift();
            stats.dropped++;
            log.error({ to: p.mail.to, subject: p.mail.subject, transport: key, attempts: p.attempts, reason }, "failed to send email alert; giving up on it");
          } else {
            const delay = retryDelayMs(p.attempts, options.retryBaseMs, options.retryMaxMs);
            log.warn({ to: p.mail.to, subject: p.mail.subject, transport: key, attempts: p.attempts, retryInMs: delay, reason }, "failed to send email alert; will retry");
            await sleep(delay);
          }
        }
      }
    } finally {
      running.delete(key);
      notifyIdle();
    }
  };

  return {
    stats,
    enqueue(mails) {
      if (closed) return;
      for (const mail of mails) {
        let q = queues.get(mail.transport);
        if (q === undefined) {
          q = [];
          queues.set(mail.transport, q);
        }
        q.push({ mail, attempts: 0 });
      }
      // Bounded: drop the oldest waiting mail of the longest queue (never one being sent right now).
      while (total() > maxQueue) {
        const longest = [...queues.values()].sort((a, b) => b.length - a.length)[0];
        const victim = longest?.splice(longest.length > 1 ? 1 : 0, 1)[0];
        if (victim === undefined) break;
        stats.dropped++;
        log.error({ to: victim.mail.to, subject: victim.mail.subject, maxQueue }, "email alert queue full; dropping the oldest waiting alert");
      }
      for (const key of queues.keys()) if (!running.has(key) && (queues.get(key)?.length ?? 0) > 0) void work(key);
    },
    drain(withinMs) {
      if (idle()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          idleWaiters.delete(done);
          resolve(false);
        }, withinMs);
        const done = (): void => {
          clearTimeout(t);
          resolve(true);
        };
        idleWaiters.add(done);
      });
    },
    close() {
      closed = true;
      const left = total();
      if (left > 0) {
        stats.dropped += left;
        log.error({ pending: left }, "stopping with email alerts not delivered");
      }
      queues.clear();
      for (const [t, wake] of sleepers) {
        clearTimeout(t);
        wake();
      }
      sleepers.clear();
      for (const t of transports.values()) t.close();
      transports.clear();
      for (const w of idleWaiters) w();
      idleWaiters.clear();
    },
  };
}
