// service=mysql against a real MariaDB and service=pgsql against a real PostgreSQL, both initialised in temp dirs
// by the test: row returned, no rows, SQL error, wrong password, missing login/request, refused, silent, abort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMysql } from "../../../src/checks/services/sql-mysql.js";
import { checkPgsql } from "../../../src/checks/services/sql-pgsql.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import type { CheckResult } from "../../../src/checks/types.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { startMariadb } from "../../fixtures/servers/part2-mariadb.js";
import type { Mariadb } from "../../fixtures/servers/part2-mariadb.js";
import { startPostgres } from "../../fixtures/servers/part2-postgres.js";
import type { Postgres } from "../../fixtures/servers/part2-postgres.js";
import { guardSocketLeaks } from "./leak-guard.js";

let mariadb: Mariadb;
let postgres: Postgres;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  // Both at once: their initialisation is the slow part of this file.
  [mariadb, postgres] = await Promise.all([startMariadb("db-Secret-1"), startPostgres("db-Secret-1")]);
  silent = await startSilentServer();
}, 120_000);
afterAll(async () => {
  console.log(`MariaDB: install-db ${mariadb?.initMs} ms, start ${mariadb?.startMs} ms; PostgreSQL: initdb ${postgres?.initMs} ms, start+setup ${postgres?.startMs} ms`);
  await Promise.all([silent?.close(), mariadb?.stop(), postgres?.stop()]);
}, 60_000);
guardSocketLeaks();

type Check = (t: ProbeTarget, signal: AbortSignal) => Promise<CheckResult>;
const engines: ReadonlyArray<{ name: "mysql" | "pgsql"; check: Check; port: () => number; wrongPassword: RegExp; badSql: RegExp; noDb: RegExp }> = [
  {
    name: "mysql",
    check: checkMysql,
    port: () => mariadb.port,
    wrongPassword: /^connect as checker on 127\.0\.0\.1:\d+\/health: .*Access denied for user 'checker'/,
    badSql: /^SELECT nope FROM status on 127\.0\.0\.1:\d+\/health: .*Unknown column 'nope'/,
    noDb: /^connect as checker on 127\.0\.0\.1:\d+\/nosuchdb: .*(Access denied|Unknown database)/,
  },
  {
    name: "pgsql",
    check: checkPgsql,
    port: () => postgres.port,
    wrongPassword: /^connect as checker on 127\.0\.0\.1:\d+\/health: password authentication failed for user "checker" \(SQLSTATE 28P01\)/,
    badSql: /^SELECT nope FROM status on 127\.0\.0\.1:\d+\/health: column "nope" does not exist \(SQLSTATE 42703\)/,
    noDb: /^connect as checker on 127\.0\.0\.1:\d+\/nosuchdb: database "nosuchdb" does not exist \(SQLSTATE 3D000\)/,
  },
];

describe.each(engines)("service=$name", ({ name, check, port, wrongPassword, badSql, noDb }) => {
  const target = (over: Partial<ProbeTarget>): ProbeTarget => ({
    host: "127.0.0.1",
    port: port(),
    // As the config hands it over: ldirectord (and our parser) add a leading "/" to every request.
    request: "/SELECT ok FROM status",
    receive: "",
    login: "checker",
    passwd: "db-Secret-1",
    database: "health",
    timeoutMs: 5000,
    ...over,
  });

  it("is up when the request returns a row", async () => {
    const r = await check(target({}), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `SELECT ok FROM status: 1 row on 127.0.0.1:${port()}/health` });
  });

  it("is up over IPv6", async () => {
    const r = await check(target({ host: "::1" }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `SELECT ok FROM status: 1 row on [::1]:${port()}/health` });
  });

  it("runs a request that starts with a comment as written", async () => {
    const r = await check(target({ request: "/* probe */ SELECT ok FROM status" }), new AbortController().signal);
    expect(r.ok).toBe(true);
  });

  it("is down when the request returns no rows", async () => {
    const r = await check(target({ request: "/SELECT ok FROM empty" }), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, message: `SELECT ok FROM empty on 127.0.0.1:${port()}/health: returned no rows` });
  });

  it("is down when the request is not valid SQL for this schema", async () => {
    const r = await check(target({ request: "SELECT nope FROM status" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(badSql);
  });

  it("is down for a wrong password, without leaking it", async () => {
    const r = await check(target({ passwd: "wrong-Db-Pass" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(wrongPassword);
    expect(JSON.stringify(r)).not.toContain("wrong-Db-Pass");
  });

  it("is down for a database that does not exist", async () => {
    const r = await check(target({ database: "nosuchdb" }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(noDb);
  });

  it("is down, without connecting, when login or request is missing", async () => {
    // "/" is the config's default request, i.e. none configured.
    const r = await check(target({ login: "", request: "/" }), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, message: `configuration on 127.0.0.1:${port()}/health: service=${name} needs login and request (set login= and request= in the virtual block)` });
  });

  it("is down at once when the connection is refused", async () => {
    const r = await check(target({ port: await freePort() }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^connect as checker on 127\.0\.0\.1:\d+\/health: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await check(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, message: `connect as checker on 127.0.0.1:${silent.port}/health: timed out after 1000 ms` });
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at its timeout when the query runs longer", async () => {
    const sleepSql = name === "mysql" ? "SELECT SLEEP(5) AS ok" : "SELECT 1 AS ok FROM pg_sleep(5)";
    const t0 = Date.now();
    const r = await check(target({ request: sleepSql, timeoutMs: 1000 }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/timed out after 1000 ms$/);
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await check(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal);
    expect(r).toMatchObject({ ok: false, message: `connect as checker on 127.0.0.1:${silent.port}/health: aborted` });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
