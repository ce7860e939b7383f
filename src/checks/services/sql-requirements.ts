// What an SQL check (mysql, pgsql) needs from the configuration, checked before any connection is made.
import { ProbeFailure } from "../probe.js";
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

/** The query named as in messages: `SELECT 1 on 127.0.0.1:3306/db` reads as the step that failed. */
export function sqlStep(request: string): string {
  const oneLine = request.replace(/\s+/g, " ").trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
