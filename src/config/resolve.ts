// Host-name resolution for the config, with a time bound and a per-parse cache.
import { lookup } from "node:dns/promises";
import type { Family } from "./types.js";

/** Resolves a host name to one address of a family; undefined when it cannot. */
export type HostResolver = (host: string, family: Family) => Promise<string | undefined>;

/** How long the default resolver waits for one name. */
export const RESOLVE_TIMEOUT_MS = 5000;

/** The default resolver: the system resolver (getaddrinfo, as ldirectord), first address, bounded in time. */
export const systemResolveHost: HostResolver = async (host, family) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), RESOLVE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const found = lookup(host, { family }).then(
      (r) => r.address,
      () => undefined,
    );
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Wrap a resolver so each (name, family) is looked up once per parse, lookups can start early, a throwing resolver
 * counts as "cannot resolve", and no lookup takes longer than timeoutMs (parseConfig never hangs on a resolver).
 */
export function cachedResolver(resolve: HostResolver, timeoutMs = RESOLVE_TIMEOUT_MS): HostResolver {
  const cache = new Map<string, Promise<string | undefined>>();
  return (host, family) => {
    const key = `${family}/${host.toLowerCase()}`;
    let p = cache.get(key);
    if (p === undefined) {
      const lookup = Promise.resolve()
        .then(() => resolve(host, family))
        .catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<undefined>((done) => {
        timer = setTimeout(() => done(undefined), timeoutMs);
      });
      p = Promise.race([lookup, limit]).finally(() => clearTimeout(timer));
      cache.set(key, p);
    }
    return p;
  };
}
