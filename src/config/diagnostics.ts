// Collects errors and warnings with file and line, in the order they are found.
import type { ConfigDiagnostic } from "./types.js";

/** Stable diagnostic codes (the README's config section lists what each means). */
export type DiagnosticCode =
  | "syntax"
  | "unknown-directive"
  | "misplaced-directive"
  | "unindented-section-line"
  | "indentation"
  | "blank-line-in-section"
  | "whitespace-line"
  | "bad-value"
  | "bad-number"
  | "bad-yes-no"
  | "bad-address"
  | "bad-port"
  | "unknown-service"
  | "unknown-checktype"
  | "unknown-scheduler"
  | "bad-forward"
  | "wrong-family"
  | "duplicate-virtual"
  | "duplicate-real"
  | "bad-regex"
  | "conflict"
  | "unresolved-host"
  | "deprecated"
  | "trailing-comment"
  | "trailing-text"
  | "typographic-quote"
  | "unquoted-value"
  | "lenient-number"
  | "fractional-seconds"
  | "no-reals"
  | "ignored-option"
  | "missing-directory"
  | "duplicate-directive"
  | "unsupported-check"
  | "invalid-utf8"
  | "crlf"
  | "unicode-space"
  | "ldirectord-difference";

/** An append-only list of diagnostics for one file. */
export class Diagnostics {
  readonly list: ConfigDiagnostic[] = [];
  constructor(readonly file: string) {}

  /** Record an error: the config is unusable. */
  error(code: DiagnosticCode, line: number, message: string): void {
    this.list.push({ severity: "error", code, file: this.file, line, message });
  }

  /** Record a warning: the config works, but probably not as intended or not as ldirectord would read it. */
  warning(code: DiagnosticCode, line: number, message: string): void {
    this.list.push({ severity: "warning", code, file: this.file, line, message });
  }

  /** True when at least one error was recorded. */
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === "error");
  }

  /** Errors first, then warnings, each in line order (stable for equal lines). */
  sorted(): ConfigDiagnostic[] {
    const rank = (d: ConfigDiagnostic): number => (d.severity === "error" ? 0 : 1);
    return this.list
      .map((d, i) => ({ d, i }))
      .sort((a, b) => rank(a.d) - rank(b.d) || a.d.line - b.d.line || a.i - b.i)
      .map((x) => x.d);
  }
}
