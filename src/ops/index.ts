// Operations wiring: e-mail alerts, monitorfile, maintenancedir, fallbackcommand, transition logs.
// CONTRACT (owned by the operations work): the daemon's start command calls createOperations and passes
// its hooks to the director; reload() swaps the config; close() flushes pending mail within a bound.
import type { DirectorConfig } from "../config/types.js";
import type { DirectorHooks } from "../daemon/hooks.js";
import type { Logger } from "./logger.js";

/** What createOperations returns. */
export interface Operations {
  readonly hooks: DirectorHooks;
  reload(config: DirectorConfig): void;
  close(): Promise<void>;
}

/** Build the operations side for a config (provisional body: transitions logged, nothing else). */
export function createOperations(config: DirectorConfig, deps: { readonly logger: Logger }): Operations {
  void config;
  const { logger } = deps;
  return {
    hooks: {
      onTransition: (t) =>
        logger.info({ vs: t.virtual.key, rs: `${t.real.address}:${t.real.port}`, from: t.from, to: t.to, reason: t.reason }, "real server transition"),
    },
    reload: () => undefined,
    close: async () => undefined,
  };
}
