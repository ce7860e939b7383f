// Shared test helpers for the config tests: a deterministic resolver (never DNS) and the corpus location.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig, type ParseResult } from "../../../src/config/index.js";
import { builtinServices, lookupServicePort } from "../../../src/config/services.js";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The shared corpus directory; throws (fails the test loudly) when it is missing. */
export function corpusDir(): string {
  const dir = resolve(repoRoot, "../shared/corpus");
  if (!existsSync(resolve(dir, "MANIFEST.tsv"))) {
    throw new Error(`the ldirectord.cf corpus is missing: expected ${dir}/MANIFEST.tsv (clone the shared material next to the repository)`);
  }
  return dir;
}

/** Host names the tests may use, with their addresses (documentation ranges). */
export const HOSTS: Readonly<Record<string, { 4?: string; 6?: string }>> = {
  "www.example.com": { 4: "192.0.2.80", 6: "2001:db8::80" },
  "real1.example.com": { 4: "198.51.100.1" },
  "real2.example.com": { 4: "198.51.100.2" },
  "sorry.example.com": { 4: "192.0.2.99", 6: "2001:db8::99" },
  localhost: { 4: "127.0.0.1", 6: "::1" },
};

/** Resolve from HOSTS only. */
export async function fakeResolveHost(host: string, family: 4 | 6): Promise<string | undefined> {
  return Promise.resolve(HOSTS[host]?.[family]);
}

/** Service names from the built-in table only, so tests do not depend on the host's /etc/services. */
export function fakeResolveService(name: string, protocol: "tcp" | "udp"): number | undefined {
  return lookupServicePort(name, protocol, builtinServices());
}

/** parseConfig with the deterministic resolvers. */
export function parse(text: string | Buffer, file = "test.cf"): Promise<ParseResult> {
  return parseConfig(text, file, { resolveHost: fakeResolveHost, resolveService: fakeResolveService });
}

/** Only the errors of a result. */
export function errorsOf(r: ParseResult): ParseResult["diagnostics"] {
  return r.diagnostics.filter((d) => d.severity === "error");
}

/** Only the warnings of a result. */
export function warningsOf(r: ParseResult): ParseResult["diagnostics"] {
  return r.diagnostics.filter((d) => d.severity === "warning");
}
