// Composing alert mails: the ldirectord subject and body, and batching a window of alerts into one mail per
// recipient (a whole rack failing is one mail per person, not a storm). Pure.
import type { DaemonStatus } from "../config/types.js";

/** One alert, before batching. */
export interface AlertItem {
  /** ldirectord's log text, e.g. `Quiescent real server: 10.0.0.5:80 (10.0.0.1:80) (Weight set to 0)`. */
  readonly text: string;
  /** The check message behind it (already scrubbed), if any. */
  readonly reason?: string;
  readonly status: DaemonStatus;
  readonly at: number;
  readonly recipients: readonly string[];
  /** Identifies the relay (`smtp:host:port` or `sendmail`): mails only batch within one transport. */
  readonly transport: string;
  readonly from: string;
  readonly servicename?: string;
  readonly comment?: string;
}

/** One mail to send: exactly one recipient (one RCPT TO). */
export interface AlertMail {
  readonly to: string;
  readonly from: string;
  readonly transport: string;
  readonly subject: string;
  readonly text: string;
  /** How many alerts it carries. */
  readonly count: number;
}

/** `[servicename] ` prefix as ldirectord adds it. */
function prefix(servicename: string | undefined): string {
  return servicename === undefined || servicename === "" ? "" : `[${servicename}] `;
}

/** The ldirectord body block for one alert, plus the reason and time. */
export function alertBlock(item: AlertItem): string {
  const lines = [`Log-Message: ${item.text}`, `Daemon-Status: ${item.status}`];
  if (item.reason !== undefined && item.reason !== "") lines.push(`Reason: ${item.reason}`);
  lines.push(`Time: ${new Date(item.at).toISOString()}`);
  if (item.servicename !== undefined && item.servicename !== "") lines.push(`Service name: ${item.servicename}`);
  if (item.comment !== undefined && item.comment !== "") lines.push(`Comment: ${item.comment}`);
  return lines.join("\n");
}

/** Subject of a mail carrying the items (same recipient): ldirectord's for one, a count summary for several. */
export function batchSubject(items: readonly AlertItem[]): string {
  const first = items[0];
  if (first === undefined) return "";
  const names = new Set(items.map((i) => i.servicename ?? ""));
  const pre = names.size === 1 ? prefix(first.servicename) : "";
  if (items.length === 1) return `${pre}${first.text}`;
  // "Quiescent real server: R (V) …" → "Quiescent real server"; counted in first-seen order.
  const counts = new Map<string, number>();
  for (const i of items) {
    const kind = i.text.split(":")[0] ?? i.text;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return `${pre}${items.length} alerts: ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}`;
}

/** Alert blocks listed in one mail; the rest are counted (the subject has the full count, the log every line). */
export const MAX_BLOCKS_PER_MAIL = 100;

/** The body of a mail carrying the items. */
export function batchBody(items: readonly AlertItem[], hostname: string): string {
  const shown = items.slice(0, MAX_BLOCKS_PER_MAIL).map(alertBlock);
  const rest = items.length - shown.length;
  if (rest > 0) shown.push(`... and ${rest} more alert${rest === 1 ? "" : "s"} (every one is in the log)`);
  return `ldirectord host: ${hostname}\n\n${shown.join("\n\n")}\n`;
}

/** Group a window of alerts into one mail per (recipient, sender, transport), items in order. */
export function batchAlerts(items: readonly AlertItem[], hostname: string): AlertMail[] {
  const groups = new Map<string, { to: string; from: string; transport: string; items: AlertItem[] }>();
  for (const item of items) {
    for (const to of item.recipients) {
      const key = JSON.stringify([to.toLowerCase(), item.from, item.transport]);
      let g = groups.get(key);
      if (g === undefined) {
        g = { to, from: item.from, transport: item.transport, items: [] };
        groups.set(key, g);
      }
      // The same alert listed twice for one recipient (a recipient repeated in the list) is sent once.
      if (g.items[g.items.length - 1] !== item) g.items.push(item);
    }
  }
  return [...groups.values()].map((g) => ({
    to: g.to,
    from: g.from,
    transport: g.transport,
    subject: batchSubject(g.items),
    text: batchBody(g.items, hostname),
    count: g.items.length,
  }));
}
