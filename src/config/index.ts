// Entry point of the configuration: find, read, parse and validate ldirectord.cf.
// lexer.ts (text → lines) → parser.ts (lines → AST) → validate.ts (AST → DirectorConfig).
import { readFile } from "node:fs/promises";
import { ConfigError, ConfigNotFoundError } from "../errors.js";
import { Diagnostics } from "./diagnostics.js";
import { decodeConfig, splitLines } from "./lexer.js";
import { locateConfigFile } from "./locate.js";
import { checkSectionScopes, parseLines } from "./parser.js";
import { cachedResolver, systemResolveHost } from "./resolve.js";
import { lookupServicePort } from "./services.js";
import type { ConfigDiagnostic, DirectorConfig } from "./types.js";
import { validateAst } from "./validate.js";

export type * from "./types.js";
export { receiveRegExp } from "./receive-regex.js";
export { configCandidates, DEFAULT_CONFIG_NAME } from "./locate.js";

/** Options of parseConfig. */
export interface ParseOptions {
  /** Resolve a host name to an address of the family (default: node:dns lookup, first address). */
  readonly resolveHost?: (host: string, family: 4 | 6) => Promise<string | undefined>;
  /** Resolve a service name to a port for the protocol (default: an /etc/services table, then a built-in one). */
  readonly resolveService?: (name: string, protocol: "tcp" | "udp") => number | undefined;
  /** Bound on one host-name lookup in milliseconds (default 5000); a name not resolved in time is an error. */
  readonly resolveTimeoutMs?: number;
}

/** The result of parsing: a config when there is no error, and every diagnostic (errors and warnings) with file and line. */
export interface ParseResult {
  readonly config?: DirectorConfig;
  readonly diagnostics: readonly ConfigDiagnostic[];
}

/** Parse and validate config text (a Buffer is decoded leniently: invalid UTF-8 inside comments is harmless). Never throws for bad input. */
export async function parseConfig(text: string | Buffer, file: string, options: ParseOptions = {}): Promise<ParseResult> {
  const diags = new Diagnostics(file);
  const decoded = decodeConfig(text);
  const { lines, firstCrlfLine } = splitLines(decoded);
  if (firstCrlfLine !== undefined) {
    diags.warning("crlf", firstCrlfLine, "the file has CRLF (Windows) line ends; read as LF (ldirectord keeps the CR in global values and rejects yes/no directives)");
  }
  for (const l of lines) {
    if (l.text.includes("\uFFFD") && !/^\s*#/.test(l.text) && !/#.*\uFFFD/.test(l.text)) {
      diags.warning("invalid-utf8", l.line, "the line contains bytes that are not valid UTF-8 outside a comment (shown as U+FFFD); save the file as UTF-8");
    }
  }
  const ast = parseLines(lines, diags);
  checkSectionScopes(ast, diags);
  const userService = options.resolveService;
  const config = await validateAst(ast, file, diags, {
    resolveHost: cachedResolver(options.resolveHost ?? systemResolveHost, options.resolveTimeoutMs),
    resolveService: (name, protocol) => {
      try {
        return userService !== undefined ? userService(name, protocol) : lookupServicePort(name, protocol);
      } catch {
        return undefined;
      }
    },
  });
  const diagnostics = diags.sorted();
  return config !== undefined && !diags.hasErrors ? { config, diagnostics } : { diagnostics };
}

/**
 * Heartbeat's lookup rule: NAME is tried as HA_DIR/NAME, then HA_DIR/conf/NAME, then as a path;
 * no NAME means `ldirectord.cf`. Resolves to an absolute path; throws ConfigNotFoundError.
 */
export async function locateConfig(name: string | undefined, haDir: string): Promise<string> {
  return locateConfigFile(name, haDir);
}

/** locateConfig + read + parseConfig; throws ConfigError (with every diagnostic) when the config has errors. */
export async function loadConfig(name: string | undefined, options: ParseOptions & { readonly haDir: string }): Promise<DirectorConfig> {
  const path = await locateConfig(name, options.haDir);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ConfigNotFoundError(path, [path], { cause: err });
  }
  const result = await parseConfig(bytes, path, options);
  if (result.config === undefined) throw new ConfigError(result.diagnostics);
  return result.config;
}
