// E-mail alert directives (global and per virtual): emailalert, emailalertfreq, emailalertstatus, smtp.
import type { DirectiveNode } from "./ast.js";
import type { Diagnostics } from "./diagnostics.js";
import { canonicalIpv6 } from "./addresses.js";
import type { DaemonStatus, SmtpRelay } from "./types.js";
import { integerValue, stringValue } from "./values.js";

/** Every daemon status, the meaning of `emailalertstatus=all` (ldirectord's default). */
export const ALL_STATUSES: readonly DaemonStatus[] = ["starting", "running", "stopping", "reloading"];

/** `emailalert="a@b, c@d"` → recipients. */
export function parseEmailalert(node: DirectiveNode, diags: Diagnostics): string[] | undefined {
  const text = stringValue(node, diags, "optional");
  if (text === undefined) return undefined;
  const list = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (list.length === 0) {
    diags.error("bad-value", node.line, `emailalert=${node.value}: no e-mail address given; expected e.g. emailalert="admin@example.com"`);
    return undefined;
  }
  for (const a of list) {
    if (/\s/.test(a) && !/<[^\s@]+@[^\s@]+>/.test(a)) {
      diags.error("bad-value", node.line, `emailalert: "${a}" is not an e-mail address (user@host; separate addresses with commas)`);
      return undefined;
    }
    if (!a.includes("@")) {
      // A bare local user ("root") works with the local sendmail, as in ldirectord, but not through an SMTP relay.
      diags.warning("bad-value", node.line, `emailalert: "${a}" has no @domain; only a local sendmail can deliver it (with smtp= it will be refused)`);
    }
  }
  return list;
}

/** `emailalertfreq=N` seconds (0 = never resend). */
export function parseEmailalertfreq(node: DirectiveNode, diags: Diagnostics): number | undefined {
  return integerValue(node, diags, { min: 0, max: 2 ** 31 - 1, what: "a number of seconds" });
}

/** `emailalertstatus=all|none|starting,running,…`. */
export function parseEmailalertstatus(node: DirectiveNode, diags: Diagnostics): DaemonStatus[] | undefined {
  const words = node.value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (words.length === 0) {
    diags.error("bad-value", node.line, `emailalertstatus=: expected all, none, or a comma list of ${ALL_STATUSES.join(", ")}`);
    return undefined;
  }
  const result = new Set<DaemonStatus>();
  for (const w of words) {
    if (w === "all") ALL_STATUSES.forEach((s) => result.add(s));
    else if (w === "none") {
      if (words.length > 1) {
        diags.error("conflict", node.line, `emailalertstatus=${node.value}: "none" cannot be combined with other states`);
        return undefined;
      }
    } else if ((ALL_STATUSES as readonly string[]).includes(w)) result.add(w as DaemonStatus);
    else {
      diags.error("bad-value", node.line, `emailalertstatus: unknown state "${w}"; expected all, none, ${ALL_STATUSES.join(", ")}`);
      return undefined;
    }
  }
  return ALL_STATUSES.filter((s) => result.has(s));
}

/** `smtp=host`, `smtp=host:port` or `smtp=[v6]:port` (port default 25). */
export function parseSmtp(node: DirectiveNode, diags: Diagnostics): SmtpRelay | undefined {
  const v = node.value;
  let host: string;
  let port = 25;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  const plain = /^([0-9A-Za-z._+-]+)(?::(\d+))?$/.exec(v);
  if (v6 !== null) {
    const c = canonicalIpv6(v6[1] ?? "");
    if (c === undefined) {
      diags.error("bad-address", node.line, `smtp=${v}: "${v6[1] ?? ""}" is not an IPv6 address`);
      return undefined;
    }
    host = c;
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else if (plain !== null) {
    host = plain[1] ?? "";
    if (plain[2] !== undefined) port = Number(plain[2]);
  } else {
    diags.error("bad-address", node.line, `smtp=${v}: expected HOST or HOST:PORT (e.g. smtp=mail.example.com:25)`);
    return undefined;
  }
  if (port < 1 || port > 65535) {
    diags.error("bad-port", node.line, `smtp=${v}: port ${port} is out of range 1..65535`);
    return undefined;
  }
  return { host, port };
}
