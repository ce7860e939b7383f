// Service checkers contributed by the second checks workstream (ftp, smtp, submission, pop, pops, imap, imaps, nntp,
// ldap, ldaps, mysql, pgsql, oracle); merged into the registry by src/checks/registry.ts.
import type { Service } from "../../config/types.js";
import type { ServiceChecker } from "../target.js";

/** Checkers for the services of part 2, keyed by service; a service missing here is reported unsupported. */
export const extraServiceCheckers: Partial<Record<Service, ServiceChecker>> = {};
