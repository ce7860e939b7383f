// Entry point of the configuration: find, read, parse and validate ldirectord.cf.
// CONTRACT (owned by the configuration work; bodies are filled in there):
import type { ConfigDiagnostic, DirectorConfig } from "./types.js";

export type * from "./types.js";

/** Options of parseConfig. */
export interface ParseOptions {
  /** Resolve a host name to an address of the family (default: node:dns lookup, first address). */
  readonly resolveHost?: (host: string, family: 4 | 6) => Promise<string | undefined>;
  /** Resolve a service name to a port for the protocol (default: an /etc/services table, then a built-in one). */
  readonly resolveService?: (name: string, protocol: "tcp" | "udp") => number | undefined;
}

/** The result of parsing: a config when there is no error, and every diagnostic (errors and warnings) with file and line. */
export interface ParseResult {
  readonly config?: DirectorConfig;
  readonly diagnostics: readonly ConfigDiagnostic[];
}

/** Parse and validate config text (a Buffer is decoded leniently: invalid UTF-8 inside comments is harmless). Never throws for bad input. */
export async function parseConfig(text: string | Buffer, file: string, options: ParseOptions = {}): Promise<ParseResult> {
  void text;
  void file;
  void options;
  throw new Error("parseConfig: not implemented yet");
}

/**
 * Heartbeat's lookup rule: NAME is tried as HA_DIR/NAME, then HA_DIR/conf/NAME, then as a path;
 * no NAME means `ldirectord.cf`. Resolves to an absolute path; throws ConfigNotFoundError.
 */
export async function locateConfig(name: string | undefined, haDir: string): Promise<string> {
  void name;
  void haDir;
  throw new Error("locateConfig: not implemented yet");
}

/** locateConfig + read + parseConfig; throws ConfigError (with every diagnostic) when the config has errors. */
export async function loadConfig(name: string | undefined, options: ParseOptions & { readonly haDir: string }): Promise<DirectorConfig> {
  void name;
  void options;
  throw new Error("loadConfig: not implemented yet");
}
