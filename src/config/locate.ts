// Heartbeat's config lookup rule (ldirectord's ld_init): HA_DIR/NAME, HA_DIR/conf/NAME, then NAME as a path.
import { stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigNotFoundError } from "../errors.js";

/** The file name used when no CONFIG argument is given. */
export const DEFAULT_CONFIG_NAME = "ldirectord.cf";

/** The candidate paths for a config name, in lookup order. */
export function configCandidates(name: string | undefined, haDir: string): string[] {
  const n = name ?? DEFAULT_CONFIG_NAME;
  // An absolute path is only itself: joining it under HA_DIR would name a different file.
  if (isAbsolute(n)) return [n];
  return [join(haDir, n), join(haDir, "conf", n), resolve(n)];
}

/** Resolve a CONFIG argument to the absolute path of an existing regular file; throws ConfigNotFoundError. */
export async function locateConfigFile(name: string | undefined, haDir: string): Promise<string> {
  const candidates = configCandidates(name, haDir);
  for (const c of candidates) {
    try {
      if ((await stat(c)).isFile()) return resolve(c);
    } catch {
      // Not there: try the next one.
    }
  }
  throw new ConfigNotFoundError(name ?? DEFAULT_CONFIG_NAME, candidates.map((c) => resolve(c)));
}
