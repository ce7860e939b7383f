// Service checkers contributed by the second checks workstream (ftp, smtp, submission, pop, pops, imap, imaps, nntp,
// ldap, ldaps, mysql, pgsql, oracle); merged into the registry by src/checks/registry.ts.
import type { Service } from "../../config/types.js";
import type { CheckResult } from "../types.js";
import type { ProbeTarget } from "../probe.js";
import { lazyChecker } from "../lazy.js";

/** A part-2 checker: takes the subset of CheckTarget it reads (any CheckTarget fits), so tests can call it directly. */
type PartTwoChecker = (target: ProbeTarget, signal: AbortSignal) => Promise<CheckResult>;

// Each module (and its client library) is imported on first use; see ../lazy.ts.
const ftp = lazyChecker<ProbeTarget>(async () => (await import("./ftp.js")).checkFtp);
const smtp = lazyChecker<ProbeTarget>(async () => (await import("./smtp.js")).checkSmtp);
const pop = (tls: boolean) => lazyChecker<ProbeTarget>(async () => { const { checkPop } = await import("./pop.js"); return (t, s) => checkPop(t, s, tls); });
const imap = (tls: boolean) => lazyChecker<ProbeTarget>(async () => { const { checkImap } = await import("./imap.js"); return (t, s) => checkImap(t, s, tls); });
const ldap = (tls: boolean) => lazyChecker<ProbeTarget>(async () => { const { checkLdap } = await import("./ldap.js"); return (t, s) => checkLdap(t, s, tls); });

/** Checkers for the services of part 2, keyed by service; a service missing here is reported unsupported. */
export const extraServiceCheckers: Partial<Record<Service, PartTwoChecker>> = {
  ftp,
  // submission is SMTP on port 587: same greeting and EHLO, no AUTH or STARTTLS (as ldirectord).
  smtp,
  submission: smtp,
  pop: pop(false),
  pops: pop(true),
  imap: imap(false),
  imaps: imap(true),
  nntp: lazyChecker<ProbeTarget>(async () => (await import("./nntp.js")).checkNntp),
  ldap: ldap(false),
  ldaps: ldap(true),
  mysql: lazyChecker<ProbeTarget>(async () => (await import("./sql-mysql.js")).checkMysql),
  pgsql: lazyChecker<ProbeTarget>(async () => (await import("./sql-pgsql.js")).checkPgsql),
  oracle: lazyChecker<ProbeTarget>(async () => (await import("./oracle.js")).checkOracle),
};
