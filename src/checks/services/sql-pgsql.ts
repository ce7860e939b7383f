// service=pgsql: connect with login/passwd/database, run the request, up when it returns at least one row
// (LDIRECTORD.md §2.3). Client: pg (node-postgres, well kept). An abort ends the client, which destroys a
// socket that is still connecting or running a query.
import pg from "pg";
import type { CheckResult } from "../types.js";
import { ProbeFailure, describeError, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { requireSqlSettings, sqlQuery, sqlRowsVerdict, sqlStep, sqlWhere } from "./sql-requirements.js";

/** A pg error with its SQLSTATE, which names the failure class (28P01 = wrong password, 3D000 = no database). */
function pgReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (err instanceof Error && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return `${err.message.replace(/\s+/g, " ").trim()} (SQLSTATE ${code})`;
  return describeError(err);
}

/** Check a PostgreSQL server. An empty database is the login's own database, as libpq (and DBD::Pg) do. */
export async function checkPgsql(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  return runProbe(sqlWhere(target), target.timeoutMs, signal, [target.passwd], async (probe) => {
    requireSqlSettings("pgsql", target);
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      user: target.login,
      password: target.passwd,
      ...(target.database === "" ? {} : { database: target.database }),
      // Library timer only as a backstop, just after our deadline (which names the step that timed out).
      connectionTimeoutMillis: probe.remainingMs() + 250,
      application_name: "ldirectord-ts",
    });
    // Errors after a failure (server gone mid-session) must not become unhandled 'error' events.
    client.on("error", () => undefined);
    const onAbort = (): void => void client.end().catch(() => undefined);
    probe.signal.addEventListener("abort", onAbort, { once: true });
    try {
      probe.step = `connect as ${target.login}`;
      await client.connect().catch((err: unknown) => {
        throw new ProbeFailure(probe.step, pgReason(err), { cause: err });
      });
      const query = sqlQuery(target.request);
      probe.step = sqlStep(query);
      const result = await client.query(query).catch((err: unknown) => {
        throw new ProbeFailure(probe.step, pgReason(err), { cause: err });
      });
      const rows = result.rowCount ?? result.rows.length;
      return sqlRowsVerdict(probe.step, rows);
    } finally {
      probe.signal.removeEventListener("abort", onAbort);
      // Not awaited: the verdict is known, and a server slow to say goodbye must not turn it into a timeout.
      // end() destroys a socket that is still connecting or querying, and ends an idle one gracefully.
      void client.end().catch(() => undefined);
    }
  });
}
