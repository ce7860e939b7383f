// Operator-facing error classes: each has a stable `code`, carries its operands, and keeps the original error as `cause`.
import type { ConfigDiagnostic } from "./config/types.js";

/** Base class for errors an operator must act on. */
export class LdError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The configuration has errors; `diagnostics` lists every one (errors first, then warnings), each with file and line. */
export class ConfigError extends LdError {
  readonly diagnostics: readonly ConfigDiagnostic[];
  constructor(diagnostics: readonly ConfigDiagnostic[], options?: { cause?: unknown }) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super("ERR_CONFIG", errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join("\n") || "invalid configuration", options);
    this.diagnostics = diagnostics;
  }
}

/** The configuration file could not be found or read. */
export class ConfigNotFoundError extends LdError {
  readonly path: string;
  constructor(path: string, tried: readonly string[], options?: { cause?: unknown }) {
    super("ERR_CONFIG_NOT_FOUND", `config file ${path} not found (tried ${tried.join(", ")})`, options);
    this.path = path;
  }
}

/** An ipvsadm invocation failed. */
export class IpvsadmError extends LdError {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(argv: readonly string[], exitCode: number | null, stderr: string, options?: { cause?: unknown }) {
    super("ERR_IPVSADM", `ipvsadm ${argv.join(" ")} exited ${exitCode ?? "by signal"}: ${stderr.trim() || "(no output)"}`, options);
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** The kernel has no IPVS (ipvsadm answers "Protocol not available"), or ipvsadm is missing. */
export class IpvsUnavailableError extends LdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_IPVS_UNAVAILABLE", message, options);
  }
}

/** Wrong command-line usage. */
export class UsageError extends LdError {
  constructor(message: string) {
    super("ERR_USAGE", message);
  }
}
