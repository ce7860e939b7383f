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

/** Wrap a resolver so each (name, family) is looked up once per parse, and lookups can start early. */
export function cachedResolver(resolve: HostResolver): HostResolver {
  const cache = new Map<string, Promise<string | undefined>>();
  return (host, family) => {
    const key = `${family}/${host.toLowerCase()}`;
    let p = cache.get(key);
    if (p === undefined) {
      // A throwing injected resolver counts as "cannot resolve": parseConfig never throws for bad input.
      p = Promise.resolve()
        .then(() => resolve(host, family))
        .catch(() => undefined);
      cache.set(key, p);
    }
    return p;
  };
}
