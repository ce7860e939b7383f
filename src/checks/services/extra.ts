// Service checkers contributed by the second checks workstream (ftp, smtp, submission, pop, pops, imap, imaps, nntp,
// ldap, ldaps, mysql, pgsql, oracle); merged into the registry by src/checks/registry.ts.
import type { Service } from "../../config/types.js";
import type { CheckResult } from "../types.js";
import type { ProbeTarget } from "../probe.js";
import { checkFtp } from "./ftp.js";
import { checkImap } from "./imap.js";
import { checkLdap } from "./ldap.js";
import { checkNntp } from "./nntp.js";
import { checkOracle } from "./oracle.js";
import { checkPop } from "./pop.js";
import { checkSmtp } from "./smtp.js";
import { checkMysql } from "./sql-mysql.js";
import { checkPgsql } from "./sql-pgsql.js";

/** A part-2 checker: takes the subset of CheckTarget it reads (any CheckTarget fits), so tests can call it directly. */
type PartTwoChecker = (target: ProbeTarget, signal: AbortSignal) => Promise<CheckResult>;

/** Checkers for the services of part 2, keyed by service; a service missing here is reported unsupported. */
export const extraServiceCheckers: Partial<Record<Service, PartTwoChecker>> = {
  ftp: checkFtp,
  // submission is SMTP on port 587: same greeting and EHLO, no AUTH or STARTTLS (as ldirectord).
  smtp: checkSmtp,
  submission: checkSmtp,
  pop: (target, signal) => checkPop(target, signal, false),
  pops: (target, signal) => checkPop(target, signal, true),
  imap: (target, signal) => checkImap(target, signal, false),
  imaps: (target, signal) => checkImap(target, signal, true),
  nntp: checkNntp,
  ldap: (target, signal) => checkLdap(target, signal, false),
  ldaps: (target, signal) => checkLdap(target, signal, true),
  mysql: checkMysql,
  pgsql: checkPgsql,
  oracle: checkOracle,
};
