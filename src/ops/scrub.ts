// Secrets (passwd=, secret=, passwords inside URLs) must never reach a log line or a mail. Two layers: values the
// config marks as secret are replaced wherever they occur in text, and `user:password@` in any URL is masked.
import type { DirectorConfig } from "../config/types.js";

/** What replaces a secret. */
export const MASK = "****";

/** Keys whose values are always masked, whatever they hold. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(["passwd", "password", "secret", "pass"]);

/** Secrets shorter than this are not searched for in free text: masking every "a" would destroy the log, not protect it. */
export const MIN_SECRET_LENGTH = 3;

// scheme://user:password@host → scheme://user:****@host (the password part stops at the last @ before the host).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]*@/gi;

/** Every secret value of a config: each virtual's passwd and secret (non-empty ones). */
export function secretsOf(config: DirectorConfig): string[] {
  const out = new Set<string>();
  for (const v of config.virtuals) {
    if (v.passwd !== "") out.add(v.passwd);
    if (v.secret !== "") out.add(v.secret);
  }
  return [...out];
}

/** Replaces secrets in text and in structured values; the secret list can change on reload. */
export interface Scrubber {
  /** Replace the known secret values (config reload). */
  setSecrets(values: readonly string[]): void;
  /** Mask secrets and URL passwords in free text. */
  text(s: string): string;
  /** Deep copy of a log object with secret keys and secret substrings masked. */
  value(v: unknown): unknown;
}

/** Mask URL passwords and the given secret values in a string. Pure. */
export function scrubText(s: string, secrets: readonly string[]): string {
  let out = s.replace(URL_PASSWORD, `$1${MASK}@`);
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** A scrubber holding the current secret list. */
export function createScrubber(initial: readonly string[] = []): Scrubber {
  // Longest first, so a secret containing another one is masked whole.
  let secrets = sortSecrets(initial);
  const text = (s: string): string => scrubText(s, secrets);
  const value = (v: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
    if (typeof v === "string") return text(v);
    if (v === null || typeof v !== "object") return v;
    if (depth > 8 || seen.has(v)) return "[…]";
    seen.add(v);
    if (v instanceof Error) {
      // message and stack are not enumerable: copy them explicitly so they are scrubbed and still logged.
      const e = v as Error & { code?: unknown };
      return { type: e.name, message: text(e.message), ...(e.code === undefined ? {} : { code: e.code }), ...(e.stack === undefined ? {} : { stack: text(e.stack) }) };
    }
    if (Array.isArray(v)) return v.map((x) => value(x, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.has(k.toLowerCase()) && x !== "" && x !== undefined ? MASK : value(x, depth + 1, seen);
    return out;
  };
  return {
    setSecrets: (values) => {
      secrets = sortSecrets(values);
    },
    text,
    value: (v) => value(v),
  };
}

function sortSecrets(values: readonly string[]): string[] {
  return [...new Set(values)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}
