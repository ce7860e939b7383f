// Property tests: whatever the input, parseConfig resolves to a config or to diagnostics; it never throws and
// never hangs. Inputs are mutated corpus configs and random lines built from the config vocabulary.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ParseResult } from "../../../src/config/index.js";
import { ALL_DIRECTIVE_NAMES } from "../../../src/config/directives.js";
import { corpusDir, parse } from "./helpers.js";

const corpus = readdirSync(corpusDir())
  .filter((f) => f.endsWith(".cf"))
  .sort()
  .map((f) => readFileSync(join(corpusDir(), f), "latin1"));

/** The result is well formed: either a config and no error, or no config and at least one error. */
function wellFormed(r: ParseResult): void {
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (r.config !== undefined) expect(errors).toEqual([]);
  else expect(errors.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(typeof d.code).toBe("string");
    expect(d.message.length).toBeGreaterThan(0);
  }
}

/** Parse with a time bound: a hang fails the property instead of the whole run. */
async function parseBounded(text: string | Buffer): Promise<ParseResult> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`parseConfig took over 5 s on ${JSON.stringify(String(text).slice(0, 200))}`)), 5000);
  });
  try {
    return await Promise.race([parse(text, "fuzz.cf"), limit]);
  } finally {
    clearTimeout(timer);
  }
}

const value = fc.oneof(
  fc.constantFrom("", "yes", "no", "0", "1", "5", "0.5", "65536", "-1", "gate", "masq", "ipip", "http", "none", '"x"', '"', "“x“", "#", "# c", "\u3000", "\t", "\\\\"),
  fc.constantFrom("192.0.2.1:80", "192.0.2.1", "[2001:db8::1]:80", "[::1]", "www.example.com:www", "42", "1.2.3.4->1.2.3.9:80 gate", "198.51.100.1:80 gate 2 \"/a\", \"b\" l:1 u:2"),
  fc.string({ maxLength: 30 }),
);

const line = fc.tuple(
  fc.constantFrom("", " ", "  ", "\t", "\t\t", "    ", "        "),
  fc.oneof(fc.constantFrom(...ALL_DIRECTIVE_NAMES), fc.string({ maxLength: 12 })),
  fc.constantFrom("=", " = ", "", "=="),
  value,
  fc.constantFrom("", " ", " # comment", "\r", "\u3000"),
).map(([indent, name, eq, v, tail]) => `${indent}${name}${eq}${v}${tail}`);

describe("parseConfig never throws and never hangs", () => {
  it("on random lines from the config vocabulary", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), async (lines) => {
        wellFormed(await parseBounded(lines.join("\n")));
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20000 },
    );
  });

  it("on mutated corpus configs (lines deleted, duplicated, swapped, re-indented, bytes flipped)", async () => {
    const mutation = fc.record({
      file: fc.integer({ min: 0, max: corpus.length - 1 }),
      ops: fc.array(
        fc.tuple(fc.constantFrom("delete", "duplicate", "swap", "indent", "dedent", "insert", "flip"), fc.nat(), fc.nat(), fc.string({ maxLength: 20 })),
        { maxLength: 8 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ file, ops }) => {
        const lines = (corpus[file] ?? "").split("\n");
        for (const [op, a, b, s] of ops) {
          const i = lines.length === 0 ? 0 : a % lines.length;
          const j = lines.length === 0 ? 0 : b % lines.length;
          if (op === "delete") lines.splice(i, 1);
          else if (op === "duplicate") lines.splice(i, 0, lines[i] ?? "");
          else if (op === "swap") [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
          else if (op === "indent") lines[i] = `\t${lines[i] ?? ""}`;
          else if (op === "dedent") lines[i] = (lines[i] ?? "").trimStart();
          else if (op === "insert") lines.splice(i, 0, s);
          else {
            const l = lines[i] ?? "";
            const k = l.length === 0 ? 0 : b % l.length;
            lines[i] = `${l.slice(0, k)}${s.slice(0, 1) || "#"}${l.slice(k + 1)}`;
          }
        }
        wellFormed(await parseBounded(Buffer.from(lines.join("\n"), "latin1")));
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20000 },
    );
  });

  it("on arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        wellFormed(await parseBounded(Buffer.from(bytes)));
      }),
      { numRuns: 200, interruptAfterTimeLimit: 10000 },
    );
  });

  it("on pathological single lines (long values, many quotes and arrows)", async () => {
    for (const text of [
      `virtual=192.0.2.1:80\n\treal=${"1".repeat(20000)} gate\n`,
      `virtual=192.0.2.1:80\n\treceive="${"(".repeat(5000)}"\n`,
      `virtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate ${'"a" '.repeat(3000)}\n`,
      `virtual=192.0.2.1:80\n\treal=${"1.1.1.1->".repeat(2000)}1.1.1.2 gate\n`,
      `${"#".repeat(100000)}\n`,
      `checktimeout=${"9".repeat(400)}\n`,
      `virtual=192.0.2.1:80\n${"\t\n".repeat(20000)}`,
    ]) {
      wellFormed(await parseBounded(text));
    }
  });
});

describe("layout changes that keep the meaning keep the parsed config", () => {
  const accepted = ["01", "03", "06", "07", "09", "21", "22", "25"].map((n) => {
    const f = readdirSync(corpusDir()).find((x) => x.startsWith(`${n}-`)) ?? "";
    return readFileSync(join(corpusDir(), f), "latin1");
  });
  const meaning = (r: ParseResult): string =>
    JSON.stringify(r.config?.virtuals, (k, v: unknown) => (k === "source" ? undefined : v)) + JSON.stringify(r.config?.globals, (k, v: unknown) => (k === "source" ? undefined : v));

  it("CRLF, TAB ↔ spaces indentation, comments after section lines, comment lines anywhere, no final newline", async () => {
    const transforms = fc.record({
      file: fc.integer({ min: 0, max: accepted.length - 1 }),
      crlf: fc.boolean(),
      spaces: fc.constantFrom("", "    ", "        ", "\t\t", " \t"),
      sectionComments: fc.boolean(),
      commentAt: fc.array(fc.nat(), { maxLength: 4 }),
      dropFinalNewline: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(transforms, async (t) => {
        const original = accepted[t.file] ?? "";
        const base = await parseBounded(original);
        expect(base.config).toBeDefined();
        let lines = original.replace(/\n$/, "").split("\n");
        lines = lines.map((l) => {
          const indented = /^[ \t]+\S/.test(l) && !/^\s*#/.test(l);
          let out = indented && t.spaces !== "" ? l.replace(/^[ \t]+/, t.spaces) : l;
          if (indented && t.sectionComments) out = `${out} # note`;
          return out;
        });
        for (const at of t.commentAt) lines.splice(at % (lines.length + 1), 0, "# inserted comment");
        let text = lines.join(t.crlf ? "\r\n" : "\n");
        if (!t.dropFinalNewline) text += t.crlf ? "\r\n" : "\n";
        const r = await parseBounded(text);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(meaning(r)).toBe(meaning(base));
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20000 },
    );
  });
});
