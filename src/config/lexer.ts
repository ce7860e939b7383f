// Lexer: config bytes → numbered lines, with the facts the parser needs about each line's layout.
// It decides nothing about meaning; see parser.ts for structure and validate.ts for values.

/** One physical line of the file. */
export interface SourceLine {
  /** 1-based line number. */
  readonly line: number;
  /** The text without the line terminator (a CR before LF is removed). */
  readonly text: string;
}

/** The decoded text and what decoding noticed. */
export interface DecodedText {
  readonly text: string;
  /** 1-based lines that contained bytes which are not valid UTF-8 (decoded as U+FFFD). */
  readonly invalidUtf8Lines: readonly number[];
  /** The first line that ended in CRLF, if any. */
  readonly firstCrlfLine?: number;
}

/** Decode a Buffer as UTF-8 leniently (invalid bytes, e.g. GBK comments, become U+FFFD); strip a BOM. */
export function decodeConfig(input: string | Buffer): string {
  const text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: false }).decode(input);
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** Split text into numbered lines: LF or CRLF terminated, a missing final newline is fine. */
export function splitLines(text: string): { lines: SourceLine[]; firstCrlfLine?: number } {
  const lines: SourceLine[] = [];
  let firstCrlfLine: number | undefined;
  let start = 0;
  let n = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    const last = end === -1;
    if (last) end = text.length;
    n++;
    let lineText = text.slice(start, end);
    if (lineText.endsWith("\r")) {
      lineText = lineText.slice(0, -1);
      if (!last && firstCrlfLine === undefined) firstCrlfLine = n;
    }
    // A final newline does not start another line.
    if (!(last && lineText === "" && start === text.length && n > 1)) lines.push({ line: n, text: lineText });
    if (last) break;
    start = end + 1;
  }
  return firstCrlfLine === undefined ? { lines } : { lines, firstCrlfLine };
}

/** Whitespace for our purposes: ASCII blanks and Unicode spaces such as U+3000 and NBSP. */
export const BLANK = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;

/** True for a line that is empty or only blanks. */
export function isBlankLine(text: string): boolean {
  return /^[\s\u00a0\u3000]*$/u.test(text);
}

/** True for a full-line comment (`#` after optional blanks), as ldirectord's `^\s*#`. */
export function isCommentLine(text: string): boolean {
  return /^[\s\u00a0\u3000]*#/u.test(text);
}

/** Leading indentation: its width with each TAB counted as four columns (ldirectord's s/\t/    /g), and the rest. */
export function splitIndent(text: string): { width: number; body: string } {
  let width = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "\t") width += 4;
    else if (c === " " || c === "\u00a0" || c === "\u3000") width += 1;
    else break;
  }
  return { width, body: text.slice(i) };
}

/** A line body with its trailing comment removed. */
export interface StrippedBody {
  readonly content: string;
  /** The comment text (from `#`), when one was removed. */
  readonly comment?: string;
}

/**
 * Remove a trailing comment: the first `#` outside double quotes. Quotes are counted with typographic
 * double quotes too, so `receive=“a # b“` keeps its `#`.
 */
export function stripComment(body: string): StrippedBody {
  let inQuote = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === "\u201c" || c === "\u201d" || c === "\u201e" || c === "\u201f") inQuote = !inQuote;
    else if (c === "#" && !inQuote) return { content: body.slice(0, i), comment: body.slice(i) };
  }
  return { content: body };
}

/** Trim blanks (including Unicode spaces) at the end; reports whether any were non-ASCII. */
export function trimEnd(text: string): { text: string; trimmed: string } {
  let end = text.length;
  while (end > 0 && BLANK.test(text[end - 1] ?? "")) end--;
  return { text: text.slice(0, end), trimmed: text.slice(end) };
}
