// service=mysql: connect with login/passwd/database, run the request, up when it returns at least one row
// (LDIRECTORD.md §2.3). Client: mysql2 (well kept, pure JS). An abort destroys the connection at once.
import { createConnection } from "mysql2/promise";
import type { Connection } from "mysql2/promise";
import type { CheckResult } from "../types.js";
import { ProbeFailure, describeError, hostPort, runProbe } from "./ftp-ldap-sql-mail-probe.js";
import type { ProbeTarget } from "./ftp-ldap-sql-mail-probe.js";
import { requireSqlSettings, sqlStep } from "./sql-requirements.js";

/** Rows a mysql2 result stands for: a SELECT's row count, else the affected rows (DBI's `$sth->rows`). */
export function mysqlRowCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const affected = (result as { affectedRows?: unknown } | null)?.affectedRows;
  return typeof affected === "number" ? affected : 0;
}

/** Check a MySQL/MariaDB server. */
export async function checkMysql(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  const where = `${hostPort(target.host, target.port)}${target.database === "" ? "" : `/${target.database}`}`;
  return runProbe(where, target.timeoutMs, signal, [target.passwd], async (probe) => {
    requireSqlSettings("mysql", target);
    let conn: Connection | undefined;
    const onAbort = (): void => conn?.destroy();
    probe.signal.addEventListener("abort", onAbort, { once: true });
    try {
      probe.step = `connect as ${target.login}`;
      const connecting = createConnection({
        host: target.host,
        port: target.port,
        user: target.login,
        password: target.passwd,
        ...(target.database === "" ? {} : { database: target.database }),
        connectTimeout: probe.remainingMs(),
      });
      // createConnection gives no handle before it settles: if we time out first, destroy it when it does.
      connecting.then((c) => (probe.signal.aborted ? c.destroy() : undefined)).catch(() => undefined);
      conn = await connecting.catch((err: unknown) => {
        throw new ProbeFailure(probe.step, describeError(err), { cause: err });
      });
      probe.step = sqlStep(target.request);
      const [result] = await conn.query({ sql: target.request, timeout: probe.remainingMs() }).catch((err: unknown) => {
        throw new ProbeFailure(probe.step, describeError(err), { cause: err });
      });
      const rows = mysqlRowCount(result);
      if (rows < 1) throw new ProbeFailure(probe.step, "returned no rows");
      return `${probe.step}: ${rows} row${rows === 1 ? "" : "s"}`;
    } finally {
      probe.signal.removeEventListener("abort", onAbort);
      if (conn !== undefined) {
        const c = conn;
        // A polite COM_QUIT when the connection is healthy; destroy otherwise (never wait past the deadline).
        if (probe.signal.aborted) c.destroy();
        else await c.end().catch(() => c.destroy());
      }
    }
  });
}
