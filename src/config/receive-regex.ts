// `receive=` strings are Perl regular expressions in ldirectord (`=~ /$receive/`). This converts the Perl-isms
// that have a JavaScript equivalent and rejects the ones that do not, so a check can use a JS RegExp.

/** A converted pattern: JS source (a leading (?i) / (?s) / (?m) is lowered into it; flags stay empty), or why it cannot be used. */
export type ConvertedPattern =
  | { readonly ok: true; readonly source: string; readonly flags: string }
  | { readonly ok: false; readonly reason: string };

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: "\\s",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  word: "\\w",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

/** Convert a Perl regex to JavaScript RegExp source and flags. */
export function perlToJs(pattern: string): ConvertedPattern {
  let flags = "";
  let src = pattern;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead?.[1] !== undefined) {
    if (lead[1].includes("x")) return { ok: false, reason: "the (?x) extended-syntax flag has no JavaScript equivalent" };
    flags = [...new Set(lead[1])].join("");
    src = src.slice(lead[0].length);
  }
  // The flags are lowered into the pattern itself, so `new RegExp(receive)` works for every consumer.
  const icase = flags.includes("i");
  const dotall = flags.includes("s");
  const multiline = flags.includes("m");
  const letter = (c: string, inCls: boolean): string => {
    if (!icase || c.toLowerCase() === c.toUpperCase()) return c;
    const both = `${c.toLowerCase()}${c.toUpperCase()}`;
    return inCls ? both : `[${both}]`;
  };
  const swapCase = (body: string): string => {
    let r = "";
    for (let k = 0; k < body.length; k++) {
      const ch = body[k] ?? "";
      if (ch === "\\") {
        r += ch + (body[k + 1] ?? "");
        k++;
      } else r += ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
    }
    return r;
  };
  let out = "";
  let inClass = false;
  /** Where the current character class's body starts in out (after `[` / `[^`). */
  let classStart = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? "";
    const next = src[i + 1] ?? "";
    if (c === "\\") {
      if (next === "Q") {
        // \Q…\E quotes a literal.
        const end = src.indexOf("\\E", i + 2);
        const literal = src.slice(i + 2, end === -1 ? src.length : end);
        out += [...literal].map((ch) => (/[.*+?^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : inClass ? ch : letter(ch, false))).join("");
        i = end === -1 ? src.length : end + 1;
        continue;
      }
      if (!inClass && next === "A") out += "^";
      else if (!inClass && next === "z") out += "$(?![\\s\\S])";
      else if (!inClass && next === "Z") out += "(?=\\n?$(?![\\s\\S]))";
      else if (next === "h") out += inClass ? " \\t" : "[ \\t]";
      else if (next === "E") out += "";
      else if (next === "G" || next === "K" || next === "R" || next === "X") {
        return { ok: false, reason: `\\${next} has no JavaScript equivalent` };
      } else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && next === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m !== null) {
          const cls = POSIX_CLASSES[m[2] ?? ""];
          if (cls === undefined) return { ok: false, reason: `unknown POSIX class [:${m[2] ?? ""}:]` };
          if (m[1] === "^") return { ok: false, reason: `negated POSIX class [:^${m[2] ?? ""}:] is not supported` };
          out += cls;
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === "]") {
        inClass = false;
        // Case-insensitive class: add the body again with the case of its letters swapped (escapes kept).
        if (icase) out += swapCase(out.slice(classStart));
      }
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      // A ] right after [ or [^ is a literal in Perl and must be escaped in JS.
      if (next === "^") {
        out += "^";
        i++;
      }
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      classStart = out.length;
      continue;
    }
    if (c === "(" && next === "?") {
      if (src[i + 2] === "#") {
        const end = src.indexOf(")", i);
        i = end === -1 ? src.length : end;
        continue;
      }
      if (src[i + 2] === ">") return { ok: false, reason: "atomic groups (?>…) have no JavaScript equivalent" };
      if (/^\(\?[imsx-]+[:)]/.test(src.slice(i))) return { ok: false, reason: "inline flags other than a leading (?i) are not supported" };
      // Group syntax is copied verbatim (its letters are not pattern letters).
      const g = /^\(\?(?:<[A-Za-z_][A-Za-z0-9_]*>|<=|<!|=|!|:)/.exec(src.slice(i));
      if (g !== null) {
        out += g[0];
        i += g[0].length - 1;
        continue;
      }
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && next === "+") {
      return { ok: false, reason: "possessive quantifiers (++, *+) have no JavaScript equivalent" };
    }
    if (dotall && c === ".") out += "[\\s\\S]";
    else if (multiline && c === "^") out += "(?<=^|\\n)";
    else if (multiline && c === "$") out += "(?=\\n|$)";
    else out += letter(c, false);
  }
  flags = "";
  try {
    new RegExp(out, flags);
  } catch (err) {
    return { ok: false, reason: (err as Error).message.replace(/^Invalid regular expression: /, "") };
  }
  return { ok: true, source: out, flags };
}

/** The RegExp for a `receive` string of the typed config (already plain JavaScript; a stray leading (?i) still works). */
export function receiveRegExp(receive: string): RegExp {
  const lead = /^\(\?([ims]+)\)/.exec(receive);
  return lead?.[1] !== undefined ? new RegExp(receive.slice(lead[0].length), lead[1]) : new RegExp(receive);
}
