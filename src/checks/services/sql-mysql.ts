// service=mysql: connect with login/passwd/database, run the request, up when it returns at least one row
// (LDIRECTORD.md §2.3). Client: mysql2 (well kept, pure JS). We hand it our own socket (its documented `stream`
// option): mysql2's destroy() only half-closes, and a server busy with a long query would keep that open.
import { connect } from "node:net";
import mysql from "mysql2";
import type { CheckResult } from "../types.js";
import { ProbeFailure, describeError, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { requireSqlSettings, sqlQuery, sqlRowsVerdict, sqlStep, sqlWhere } from "./sql-requirements.js";

/** Rows a mysql2 result stands for: a SELECT's row count, else the affected rows (DBI's `$sth->rows`). */
export function mysqlRowCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const affected = (result as { affectedRows?: unknown } | null)?.affectedRows;
  return typeof affected === "number" ? affected : 0;
}

/** Check a MySQL/MariaDB server. */
export async function checkMysql(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  return runProbe(sqlWhere(target), target.timeoutMs, signal, [target.passwd], async (probe) => {
    requireSqlSettings("mysql", target);
    probe.step = `connect as ${target.login}`;
    const socket = connect({ host: target.host, port: target.port });
    const conn = mysql.createConnection({
      stream: socket,
      user: target.login,
      password: target.passwd,
      ...(target.database === "" ? {} : { database: target.database }),
      // Library timer only as a backstop, just after our deadline (which names the step that timed out).
      connectTimeout: probe.remainingMs() + 250,
    });
    // Fatal errors arrive as 'error' events too; the pending callback reports them, so never let one go unhandled.
    conn.on("error", () => undefined);
    const onAbort = (): void => {
      socket.destroy();
      conn.destroy();
    };
    probe.signal.addEventListener("abort", onAbort, { once: true });
    let queried = false;
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))).catch((err: unknown) => {
        throw new ProbeFailure(probe.step, describeError(err), { cause: err });
      });
      const query = sqlQuery(target.request);
      probe.step = sqlStep(query);
      // No per-query timeout: the probe's deadline destroys the connection, which ends the query for us.
      const result = await new Promise<unknown>((resolve, reject) => conn.query(query, (err, rows) => (err ? reject(err) : resolve(rows)))).catch((err: unknown) => {
        throw new ProbeFailure(probe.step, describeError(err), { cause: err });
      });
      queried = true;
      const rows = mysqlRowCount(result);
      return sqlRowsVerdict(probe.step, rows);
    } finally {
      probe.signal.removeEventListener("abort", onAbort);
      // A polite COM_QUIT only after a completed query (after an error mysql2 may never call end()'s callback),
      // not awaited: the verdict is known, and a server slow to say goodbye must not turn it into a timeout.
      if (queried && !probe.signal.aborted) {
        conn.end(() => socket.destroy());
        setTimeout(() => socket.destroy(), 1000).unref();
      } else onAbort();
    }
  });
}
