// Test helpers: configs through the real parser (so the table sees what the daemon sees), and a health view from a list.
import { parseConfig } from "../../../src/config/index.js";
import type { DirectorConfig } from "../../../src/config/types.js";
import type { HealthView, RealHealth } from "../../../src/ipvs/desired.js";

/** Parse config text (no DNS: addresses only); fails the test on any config error. */
export async function config(text: string): Promise<DirectorConfig> {
  const r = await parseConfig(text, "/etc/ha.d/test.cf", { resolveHost: async () => undefined });
  if (r.config === undefined) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join("\n"));
  return r.config;
}

/** Health from `"virtualKey realKey" → health`; unlisted = unknown. `maint` lists reals in maintenance. */
export function health(entries: Record<string, RealHealth>, maint: readonly string[] = []): HealthView {
  return {
    health: (v, r) => entries[`${v} ${r}`] ?? "unknown",
    inMaintenance: (v, r) => maint.includes(`${v} ${r}`),
  };
}
