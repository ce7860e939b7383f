// IP address parsing and canonical forms. Pure; host names are resolved elsewhere.
import { isIPv6 } from "node:net";

/** A parsed IPv4 dotted quad, or why it is not one. */
export type Ipv4Parse = { readonly ok: true; readonly address: string; readonly value: number } | { readonly ok: false; readonly reason: string };

/** Parse a strict dotted quad (four decimal octets 0..255, no leading zeros: glibc would read them as octal). */
export function parseIpv4(text: string): Ipv4Parse {
  const parts = text.split(".");
  if (parts.length !== 4) return { ok: false, reason: "an IPv4 address has four dot-separated numbers" };
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return { ok: false, reason: `"${part}" is not a number 0..255` };
    if (part.length > 1 && part.startsWith("0")) {
      return { ok: false, reason: `octet "${part}" has a leading zero (ambiguous: the C library reads it as octal)` };
    }
    const n = Number(part);
    if (n > 255) return { ok: false, reason: `octet ${n} is greater than 255` };
    value = value * 256 + n;
  }
  return { ok: true, address: parts.map(Number).join("."), value };
}

/** True when the text looks like a dotted quad attempt (digits and dots only). */
export function looksLikeIpv4(text: string): boolean {
  return /^[\d.]+$/.test(text) && text.includes(".");
}

/** Dotted quad of a 32-bit unsigned integer. */
export function ipv4FromInt(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** The canonical IPv6 text (RFC 5952: compressed, lower-case, no brackets), or undefined when invalid. */
export function canonicalIpv6(text: string): string | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!isIPv6(bare) || bare.includes("%")) return undefined;
  // The WHATWG URL parser serialises IPv6 hosts in RFC 5952 form.
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

/** Canonical form of an address of either family, or undefined. */
export function canonicalAddress(text: string, family: 4 | 6): string | undefined {
  if (family === 6) return canonicalIpv6(text);
  const p = parseIpv4(text);
  return p.ok ? p.address : undefined;
}

/** True for a dotted-quad netmask with contiguous ones (255.255.255.0), as ipvsadm -M expects. */
export function isContiguousNetmask(text: string): boolean {
  const p = parseIpv4(text);
  if (!p.ok) return false;
  const inverted = ~p.value >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

/** A host name as ldirectord accepts it (`[A-Za-z0-9.-]+`), not purely numeric. */
export function isHostName(text: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(text) && /[A-Za-z_-]/.test(text);
}
