// Value rules shared by directives: quoting, yes/no, numbers, durations. Each reports to Diagnostics with the
// directive's line and returns undefined when the value is unusable.
import type { DirectiveNode } from "./ast.js";
import type { Diagnostics } from "./diagnostics.js";

const TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb";

/** Replace typographic quotes used as the delimiters of a value (`“/var/log/x“`) by ASCII double quotes. */
export function normalizeQuotes(value: string): { value: string; changed: boolean } {
  const first = value[0];
  if (first === undefined || !TYPOGRAPHIC_QUOTES.includes(first)) return { value, changed: false };
  let last = -1;
  for (let i = value.length - 1; i > 0; i--) {
    const c = value[i] ?? "";
    if (c === '"' || TYPOGRAPHIC_QUOTES.includes(c)) {
      last = i;
      break;
    }
  }
  if (last === -1) return { value: `"${value.slice(1)}`, changed: true };
  return { value: `"${value.slice(1, last)}"${value.slice(last + 1)}`, changed: true };
}

/** How a directive treats quotes. */
export type QuoteRule =
  /** ldirectord requires "…" (request, receive, login, passwd, database, secret, load, logfile, callback). */
  | "required"
  /** Surrounding quotes are optional and removed (checkcommand, virtualhost, monitorfile, fallbackcommand, emailalert). */
  | "optional";

/**
 * The text of a quoted value. With rule "required" an unquoted value is accepted as the literal text with a
 * warning (ldirectord rejects it); text after the closing quote is ignored with a warning, as ldirectord ignores it.
 */
export function stringValue(node: DirectiveNode, diags: Diagnostics, rule: QuoteRule): string | undefined {
  const norm = normalizeQuotes(node.value);
  if (norm.changed) {
    diags.warning(
      "typographic-quote",
      node.line,
      `${node.name}= is quoted with typographic quotes (“ ”); read as ASCII double quotes (ldirectord rejects the line)`,
    );
  }
  const value = norm.value;
  if (value.startsWith('"')) {
    // Greedy, as ldirectord's \"(.*)\": from the first to the last double quote.
    const last = value.lastIndexOf('"');
    if (last === 0) {
      diags.error("bad-value", node.line, `${node.name}=${node.value}: missing closing double quote`);
      return undefined;
    }
    const rest = value.slice(last + 1).trim();
    if (rest !== "") {
      diags.warning("trailing-text", node.line, `${node.name}=: text after the closing quote is ignored: "${rest}"`);
    }
    return value.slice(1, last);
  }
  if (rule === "required" && value !== "") {
    diags.warning(
      "unquoted-value",
      node.line,
      `${node.name}=${value}: value is not in double quotes; taken literally as "${value}" (ldirectord requires ${node.name}="…" and rejects the line)`,
    );
  }
  return value;
}

/** yes/no (exact lower case as ldirectord; other casings accepted with a warning). */
export function yesNoValue(node: DirectiveNode, diags: Diagnostics, isGlobal: boolean): boolean | undefined {
  const v = node.value;
  let result: boolean | undefined;
  if (v === "yes" || v === "no") result = v === "yes";
  else if (/^(yes|no)$/i.test(v)) {
    result = v.toLowerCase() === "yes";
    diags.warning("bad-yes-no", node.line, `${node.name}=${v}: read as "${v.toLowerCase()}" (ldirectord accepts only lower-case yes or no)`);
  } else {
    diags.error("bad-yes-no", node.line, `${node.name}=${v === "" ? '""' : v}: expected yes or no`);
    return undefined;
  }
  if (isGlobal && node.comment !== undefined) {
    diags.warning(
      "trailing-comment",
      node.line,
      `${node.name}=${v}: the trailing comment is ignored (ldirectord does not strip comments on global lines and rejects the value)`,
    );
  } else if (node.trailingBlanks !== "") {
    diags.warning("trailing-text", node.line, `${node.name}=${v}: trailing blanks are ignored (ldirectord keeps them and rejects the value)`);
  }
  return result;
}

/** Integer bounds and wording for integerValue. */
export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  /** What the number is, for messages ("a port", "a weight"). */
  readonly what?: string;
}

function lenientDigits(node: DirectiveNode, diags: Diagnostics, pattern: RegExp): string | undefined {
  const v = node.value;
  if (pattern.test(v)) return v;
  const m = /^(\d+(?:\.\d+)?)(?=\D)/.exec(v);
  if (m?.[1] !== undefined && !/^\d+(\.\d+)?\s*[-+*/]/.test(v)) {
    diags.warning(
      "lenient-number",
      node.line,
      `${node.name}=${v}: read as ${m[1]} (the leading number, as ldirectord reads it); write a plain number`,
    );
    return m[1];
  }
  return undefined;
}

/** A whole number in [min, max]. */
export function integerValue(node: DirectiveNode, diags: Diagnostics, rule: IntegerRule): number | undefined {
  const expected = `expected ${rule.what ?? "a whole number"} ${rule.max === Infinity ? `≥ ${rule.min}` : `from ${rule.min} to ${rule.max}`}`;
  const digits = lenientDigits(node, diags, /^\d+$/);
  if (digits === undefined || !/^\d+$/.test(digits)) {
    diags.error("bad-number", node.line, `${node.name}=${node.value === "" ? '""' : node.value}: ${expected}`);
    return undefined;
  }
  const n = Number(digits);
  if (n < rule.min || n > rule.max) {
    diags.error("bad-number", node.line, `${node.name}=${n}: ${expected}`);
    return undefined;
  }
  return n;
}

/** A positive duration in seconds; fractions (0.5) are an ldirectord-ts extension, reported as a warning. */
export function secondsValue(node: DirectiveNode, diags: Diagnostics): number | undefined {
  const digits = lenientDigits(node, diags, /^\d+(\.\d+)?$/);
  if (digits === undefined) {
    diags.error("bad-number", node.line, `${node.name}=${node.value === "" ? '""' : node.value}: expected a number of seconds greater than 0`);
    return undefined;
  }
  const n = Number(digits);
  if (!(n > 0) || n > 86400 * 365) {
    diags.error("bad-number", node.line, `${node.name}=${node.value}: expected a number of seconds greater than 0 (and at most a year)`);
    return undefined;
  }
  if (!Number.isInteger(n)) {
    const ld = Math.floor(n);
    diags.warning(
      "fractional-seconds",
      node.line,
      `${node.name}=${digits}: fractional seconds are an ldirectord-ts extension (ldirectord reads ${ld}${ld === 0 ? " and rejects it" : ""})`,
    );
  }
  return n;
}

/** Report a trailing comment on a global line whose value ldirectord would have taken with the comment in it. */
export function warnGlobalComment(node: DirectiveNode, diags: Diagnostics): void {
  if (node.comment === undefined) return;
  diags.warning(
    "trailing-comment",
    node.line,
    `${node.name}=: the trailing comment "${node.comment.length > 24 ? `${node.comment.slice(0, 24)}…` : node.comment}" is ignored (ldirectord does not strip comments on global lines and would read it as part of the value)`,
  );
}
