// The syntax of a `real=` value and of a fallback value, before any name is resolved. Pure.
import type { Forward } from "./types.js";

/** A host as written: an IPv4 literal, a bracketed IPv6 literal (brackets removed), or a host name. */
export interface HostToken {
  readonly kind: "ipv4" | "ipv6" | "name";
  readonly text: string;
}

/** The parts of `HOST[->HOST2][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"] [l:N] [u:N]`. */
export interface RealSpec {
  readonly host: HostToken;
  readonly rangeEnd?: HostToken;
  /** The port token as written (number or service name); undefined = omitted (port 0). */
  readonly port?: string;
  readonly forward: Forward;
  readonly weight: number;
  /** True when the weight was written ipvsadm-style (`-w N`). */
  readonly ipvsadmWeight: boolean;
  readonly request?: string;
  readonly receive?: string;
  readonly lower: number;
  readonly upper: number;
}

/** A parse outcome: the value, or what is wrong with it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const FORWARDS: readonly Forward[] = ["gate", "masq", "ipip"];

/** Split `HOST[->HOST2][:PORT]`. */
export function parseHostPort(token: string, allowRange: boolean): Parsed<{ host: HostToken; rangeEnd?: HostToken; port?: string }> {
  const host = (t: string): HostToken | string => {
    if (t.startsWith("[")) {
      if (!t.endsWith("]")) return `"${t}": missing "]" after an IPv6 address`;
      return { kind: "ipv6", text: t.slice(1, -1) };
    }
    if (/^[\d.]+$/.test(t)) return { kind: "ipv4", text: t };
    if (/^[A-Za-z0-9_.-]+$/.test(t)) return { kind: "name", text: t };
    if (t.includes(":")) return `"${t}": an IPv6 address must be written in brackets, e.g. [2001:db8::1]:80`;
    return `"${t}" is neither an IP address nor a host name`;
  };
  // Port: the last ":" outside brackets.
  let rest = token;
  let port: string | undefined;
  const close = rest.lastIndexOf("]");
  const colon = rest.lastIndexOf(":");
  if (colon > close) {
    port = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (port === "") return { ok: false, reason: `"${token}": empty port after ":"` };
    if (!/^[A-Za-z0-9_-]+$/.test(port)) return { ok: false, reason: `"${port}" is not a port number or service name` };
    if (rest.includes(":") && !rest.includes("[")) {
      if (/^[\w.-]+:[\w-]+$/.test(rest)) return { ok: false, reason: `"${token}": expected HOST:PORT with a single ":"` };
      return { ok: false, reason: `"${token}": an IPv6 address must be written in brackets, e.g. [2001:db8::1]:80` };
    }
  }
  if (rest === "") return { ok: false, reason: `"${token}": missing address` };
  const arrow = rest.indexOf("->");
  let first = rest;
  let second: string | undefined;
  if (arrow !== -1) {
    if (!allowRange) return { ok: false, reason: `"${token}": an address range (->) is not allowed here` };
    first = rest.slice(0, arrow);
    second = rest.slice(arrow + 2);
  }
  const h1 = host(first);
  if (typeof h1 === "string") return { ok: false, reason: h1 };
  let h2: HostToken | undefined;
  if (second !== undefined) {
    const r = host(second);
    if (typeof r === "string") return { ok: false, reason: r };
    h2 = r;
  }
  return { ok: true, value: { host: h1, ...(h2 !== undefined ? { rangeEnd: h2 } : {}), ...(port !== undefined ? { port } : {}) } };
}

/** Parse a `real=` value. */
export function parseRealSpec(value: string): Parsed<RealSpec> {
  const m = /^(\S+)(?:\s+(.*))?$/s.exec(value.trim());
  if (m === null) return { ok: false, reason: "empty value; expected HOST[:PORT] gate|masq|ipip [WEIGHT]" };
  const hp = parseHostPort(m[1] ?? "", true);
  if (!hp.ok) return hp;
  let rest = (m[2] ?? "").trim();
  const fm = /^(\S+)\s*(.*)$/s.exec(rest);
  const method = fm?.[1];
  if (method === undefined) {
    return { ok: false, reason: `missing forwarding method after "${m[1] ?? ""}"; expected gate, masq or ipip` };
  }
  if (!(FORWARDS as readonly string[]).includes(method)) {
    const lower = method.toLowerCase();
    const hint = (FORWARDS as readonly string[]).includes(lower) ? ` (write "${lower}" in lower case)` : "";
    return { ok: false, reason: `unknown forwarding method "${method}"; expected gate, masq or ipip${hint}` };
  }
  rest = fm?.[2] ?? "";
  let weight = 1;
  let ipvsadmWeight = false;
  const wm = /^(-w\s+)?(\d+)(?=\s|$)\s*(.*)$/s.exec(rest);
  if (wm !== null) {
    weight = Number(wm[2]);
    ipvsadmWeight = wm[1] !== undefined;
    rest = wm[3] ?? "";
    if (weight > 65535) return { ok: false, reason: `weight ${weight} is out of range; expected 0..65535` };
  }
  let request: string | undefined;
  let receive: string | undefined;
  if (rest.startsWith('"')) {
    const qm = /^"([^"]*)"\s*,?\s*"([^"]*)"\s*(.*)$/s.exec(rest);
    if (qm === null) {
      return { ok: false, reason: `expected a per-real check as "REQUEST", "RECEIVE" (two double-quoted strings), found ${rest}` };
    }
    request = qm[1] ?? "";
    receive = qm[2] ?? "";
    rest = qm[3] ?? "";
  }
  let lower = 0;
  let upper = 0;
  for (let guard = 0; guard < 2 && rest !== ""; guard++) {
    const tm = /^([lu]):(\d+)(?=\s|$)\s*(.*)$/s.exec(rest);
    if (tm === null) break;
    const n = Number(tm[2]);
    if (n > 4294967295) return { ok: false, reason: `threshold ${tm[1] ?? ""}:${tm[2] ?? ""} is out of range; expected 0..4294967295` };
    if (tm[1] === "l") lower = n;
    else upper = n;
    rest = tm[3] ?? "";
  }
  if (rest !== "") {
    return {
      ok: false,
      reason: `unexpected "${rest.length > 40 ? `${rest.slice(0, 40)}…` : rest}"; expected HOST[:PORT] gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"] [l:N] [u:N]`,
    };
  }
  return {
    ok: true,
    value: {
      ...hp.value,
      forward: method as Forward,
      weight,
      ipvsadmWeight,
      ...(request !== undefined ? { request } : {}),
      ...(receive !== undefined ? { receive } : {}),
      lower,
      upper,
    },
  };
}

/** The parts of a fallback value `HOST[:PORT] [gate|masq|ipip]`. */
export interface FallbackSpec {
  readonly host: HostToken;
  readonly port?: string;
  readonly forward: Forward;
}

/** Parse a `fallback=` / `fallback6=` value (forwarding method default gate, as ldirectord). */
export function parseFallbackSpec(value: string): Parsed<FallbackSpec> {
  const tokens = value.trim().split(/\s+/).filter((t) => t !== "");
  if (tokens.length === 0) return { ok: false, reason: "empty value; expected HOST[:PORT] [gate|masq|ipip]" };
  if (tokens.length > 2) {
    return { ok: false, reason: `unexpected "${tokens.slice(2).join(" ")}"; expected HOST[:PORT] [gate|masq|ipip]` };
  }
  const hp = parseHostPort(tokens[0] ?? "", false);
  if (!hp.ok) return hp;
  const method = tokens[1] ?? "gate";
  if (!(FORWARDS as readonly string[]).includes(method)) {
    return { ok: false, reason: `unknown forwarding method "${method}"; expected gate, masq or ipip` };
  }
  return { ok: true, value: { host: hp.value.host, ...(hp.value.port !== undefined ? { port: hp.value.port } : {}), forward: method as Forward } };
}
