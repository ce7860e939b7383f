// Parser: numbered lines → ConfigAst. Decides which section each directive belongs to, following ldirectord's
// layout rules (globals at column 0; a virtual section is the lines after `virtual=` indented by a TAB or ≥ 4
// spaces; comment lines do not end it) and resolving its traps as the README's config section describes.
import type { ConfigAst, DirectiveNode, VirtualNode } from "./ast.js";
import { allowedGlobally, allowedInVirtual, ALL_DIRECTIVE_NAMES, directiveScope, nearest } from "./directives.js";
import type { Diagnostics } from "./diagnostics.js";
import { isBlankLine, isCommentLine, splitIndent, stripComment, trimEnd, type SourceLine } from "./lexer.js";

const INDENT_HINT = "indent the lines of a virtual section by a tab or four spaces";

/** Split one non-blank, non-comment line into a directive node, or undefined (with an error) when it is not one. */
function toDirective(src: SourceLine, diags: Diagnostics): DirectiveNode | undefined {
  const { width, body } = splitIndent(src.text);
  const stripped = stripComment(body);
  const { text: content, trimmed } = trimEnd(stripped.content);
  const m = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(=?)[ \t]*(.*)$/s.exec(content);
  if (m === null || (m[2] === "" && m[3] !== "")) {
    const shown = content.length > 60 ? `${content.slice(0, 57)}...` : content;
    diags.error("syntax", src.line, `expected DIRECTIVE=VALUE, found "${shown}"`);
    return undefined;
  }
  const name = m[1] ?? "";
  const hasEquals = m[2] === "=";
  if (!hasEquals && name !== "supervised") {
    const scope = directiveScope(name);
    diags.error(
      "syntax",
      src.line,
      scope === undefined && name !== "virtual" && name !== "virtual6"
        ? `expected DIRECTIVE=VALUE, found "${content}"`
        : `${name} needs a value: write ${name}=VALUE`,
    );
    return undefined;
  }
  if (/\s(\\\\|\/\/)/.test(m[3] ?? "")) {
    diags.warning(
      "trailing-text",
      src.line,
      `${name}=: "\\\\" and "//" do not start comments in ldirectord.cf; only # does (write # before the comment)`,
    );
  }
  if (/[\u00a0\u3000\u2000-\u200a]/u.test(trimmed)) {
    diags.warning("unicode-space", src.line, `non-ASCII blank (e.g. U+3000 ideographic space) after the value of ${name} is treated as a blank`);
  }
  return {
    name,
    value: (m[3] ?? "").trim(),
    line: src.line,
    hasEquals,
    indent: width,
    ...(stripped.comment !== undefined ? { comment: stripped.comment } : {}),
    trailingBlanks: trimmed,
  };
}

/** Typo hints, memoised: a file of 200,000 unknown lines must not cost 200,000 fuzzy searches. */
const hintCache = new Map<string, string | undefined>();

function unknownDirective(node: DirectiveNode, diags: Diagnostics): void {
  let guess = hintCache.get(node.name);
  if (guess === undefined && !hintCache.has(node.name)) {
    guess = nearest(node.name, ALL_DIRECTIVE_NAMES);
    if (hintCache.size > 10000) hintCache.clear();
    hintCache.set(node.name, guess);
  }
  diags.error(
    "unknown-directive",
    node.line,
    `unknown directive "${node.name}"${guess !== undefined ? `; did you mean "${guess}"?` : ""}`,
  );
}

/** Parse lines into global directives and virtual sections; structural problems go to diags. */
export function parseLines(lines: readonly SourceLine[], diags: Diagnostics): ConfigAst {
  const globals: DirectiveNode[] = [];
  const virtuals: VirtualNode[] = [];
  let current: VirtualNode | undefined;
  /** Line of the column-0 directive that ended the last section (indented lines after it belong nowhere). */
  let endedBy: DirectiveNode | undefined;
  /** First blank line seen inside the open section, not yet followed by a section line. */
  let pendingBlank: number | undefined;

  for (const src of lines) {
    if (isBlankLine(src.text)) {
      if (current !== undefined) {
        pendingBlank ??= src.line;
        if (splitIndent(src.text).width >= 5) {
          diags.warning(
            "whitespace-line",
            src.line,
            "whitespace-only line inside a virtual section is ignored (ldirectord rejects it: Unknown command)",
          );
        }
      }
      continue;
    }
    if (isCommentLine(src.text)) continue;
    const node = toDirective(src, diags);
    if (node === undefined) continue;
    const known = node.name === "virtual" || node.name === "virtual6" || directiveScope(node.name) !== undefined;

    if (node.name === "virtual" || node.name === "virtual6") {
      if (node.indent > 0) {
        diags.warning(
          "indentation",
          node.line,
          `${node.name}= is indented; taken as the start of a virtual section (ldirectord needs it at column 0 and rejects the line: Unknown command)`,
        );
      }
      current = { head: node, body: [] };
      virtuals.push(current);
      endedBy = undefined;
      pendingBlank = undefined;
      continue;
    }

    if (node.indent > 0) {
      if (current !== undefined) {
        if (pendingBlank !== undefined) {
          diags.warning(
            "blank-line-in-section",
            pendingBlank,
            `blank line inside the virtual section of line ${current.head.line}; the section continues at line ${node.line} (ldirectord ends the section at the blank line and rejects line ${node.line})`,
          );
          pendingBlank = undefined;
        }
        if (node.indent < 4) {
          diags.warning(
            "indentation",
            node.line,
            `${node.name}= is indented by ${node.indent} space${node.indent === 1 ? "" : "s"}; taken as part of the virtual section of line ${current.head.line} (ldirectord needs a tab or four spaces and rejects the line)`,
          );
        }
        if (!known) unknownDirective(node, diags);
        current.body.push(node);
        continue;
      }
      if (endedBy !== undefined) {
        diags.error(
          "indentation",
          node.line,
          `indented ${node.name}= belongs to no virtual section: the section of line ${virtuals[virtuals.length - 1]?.head.line ?? 0} ended at the column-0 ${endedBy.name}= on line ${endedBy.line}; move ${endedBy.name}= above the virtual= line, or indent it`,
        );
        continue;
      }
      if (!known) {
        unknownDirective(node, diags);
        continue;
      }
      if (allowedGlobally(node.name)) {
        diags.warning(
          "indentation",
          node.line,
          `global directive ${node.name}= is indented; taken as global (ldirectord needs global directives at column 0 and rejects the line: Unknown command)`,
        );
        globals.push(node);
      } else {
        diags.error(
          "misplaced-directive",
          node.line,
          `${node.name}= is only valid inside a virtual section, but no virtual= line precedes it`,
        );
      }
      continue;
    }

    // Column 0.
    if (!known) {
      unknownDirective(node, diags);
      continue;
    }
    if (current !== undefined && !allowedGlobally(node.name)) {
      // The operator evidently meant this line to belong to the section (appendix 2 of issue 2): keep validating it
      // as such, but the file is rejected, as ldirectord rejects it.
      diags.error(
        "unindented-section-line",
        node.line,
        `${node.name}= is at column 0, which ends the virtual section of line ${current.head.line} (ldirectord: Unknown command); ${INDENT_HINT}`,
      );
      current.body.push(node);
      continue;
    }
    if (!allowedGlobally(node.name)) {
      diags.error(
        "misplaced-directive",
        node.line,
        endedBy !== undefined
          ? `${node.name}= is only valid inside a virtual section; the section ended at the column-0 ${endedBy.name}= on line ${endedBy.line}; ${INDENT_HINT}`
          : `${node.name}= is only valid inside a virtual section, but no virtual= line precedes it`,
      );
      continue;
    }
    if (current !== undefined) endedBy = node;
    current = undefined;
    pendingBlank = undefined;
    globals.push(node);
  }
  return { globals, virtuals };
}

/** Scope check for section bodies: global-only directives inside a section are errors. */
export function checkSectionScopes(ast: ConfigAst, diags: Diagnostics): void {
  for (const v of ast.virtuals) {
    for (const d of v.body) {
      if (directiveScope(d.name) !== undefined && !allowedInVirtual(d.name)) {
        diags.error(
          "misplaced-directive",
          d.line,
          `${d.name}= is a global directive and is not allowed inside a virtual section (section of line ${v.head.line}); move it to column 0 above the first virtual= line`,
        );
      }
    }
  }
}
