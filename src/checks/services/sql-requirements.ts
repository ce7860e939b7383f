// What an SQL check (mysql, pgsql) needs from the configuration, checked before any connection is made, and the
// wording both use for where they talk and what the rows say.
import { ProbeFailure, hostPort } from "../probe.js";
import type { ProbeTarget } from "../probe.js";

/**
 * ldirectord logs "Must specify a login and request string" and marks the real down; so do we, as a value
 * naming the missing directive (we never die, unlike ldirectord without its DBD driver, LDIRECTORD.md §5.2 L).
 */
export function requireSqlSettings(service: "mysql" | "pgsql", target: ProbeTarget): void {
  const missing = [target.login === "" ? "login" : "", sqlQuery(target.request) === "" ? "request" : ""].filter((m) => m !== "");
  if (missing.length > 0) {
    throw new ProbeFailure("configuration", `service=${service} needs ${missing.join(" and ")} (set ${missing.map((m) => `${m}=`).join(" and ")} in the virtual block)`);
  }
}

/**
 * The SQL to run: the configured request without the "/" the config adds to every request (LDIRECTORD.md §1.3;
 * ldirectord strips it too). A leading comment ("/* … *\/ SELECT …") is left whole.
 */
export function sqlQuery(request: string): string {
  return request.startsWith("/*") ? request.trim() : request.replace(/^\//, "").trim();
}

/** Where an SQL check talks, as messages name it: `host:port/database` (no `/database` when none is set). */
export function sqlWhere(target: ProbeTarget): string {
  return `${hostPort(target.host, target.port)}${target.database === "" ? "" : `/${target.database}`}`;
}

/** The verdict on a query's row count: up with "STEP: N rows", down (a ProbeFailure of `step`) on none. */
export function sqlRowsVerdict(step: string, rows: number): string {
  if (rows < 1) throw new ProbeFailure(step, "returned no rows");
  return `${step}: ${rows} row${rows === 1 ? "" : "s"}`;
}

/** The query named as in messages: `SELECT 1 on 127.0.0.1:3306/db` reads as the step that failed. */
export function sqlStep(request: string): string {
  const oneLine = request.replace(/\s+/g, " ").trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
