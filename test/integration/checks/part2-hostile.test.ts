// Hostile servers against every part-2 checker: binary garbage, a one-byte trickle, a reset mid-response.
// Each must be down within one timeout (+500 ms), leak no socket, and raise no uncaught error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extraServiceCheckers } from "../../../src/checks/services/extra.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import type { Service } from "../../../src/config/types.js";
import {  } from "../../fixtures/servers/common.js";
import { startHostileServer } from "../../fixtures/servers/part2-hostile.js";
import type { HostileServer, Hostility } from "../../fixtures/servers/part2-hostile.js";
import { guardSocketLeaks } from "./leak-guard.js";

/** Each service with the start of a greeting its real servers would send. */
const SERVICES: ReadonlyArray<[Service, string]> = [
  ["ftp", "220 "],
  ["smtp", "220 "],
  ["submission", "220 "],
  ["pop", "+OK "],
  ["pops", "+OK "],
  ["imap", "* OK "],
  ["imaps", "* OK "],
  ["nntp", "200 "],
  ["ldap", "0\u0084"],
  ["ldaps", "0\u0084"],
  ["mysql", "J\u0000\u0000\u0000\n10.11"],
  ["pgsql", "R\u0000\u0000"],
];
const KINDS: readonly Hostility[] = ["garbage", "trickle", "reset"];
// Short: the trickle cases always run to the timeout, and there are twelve of them.
const TIMEOUT_MS = 500;

const servers = new Map<string, HostileServer>();

beforeAll(async () => {
  for (const [service, greeting] of SERVICES) for (const kind of KINDS) servers.set(`${service}/${kind}`, await startHostileServer(kind, greeting));
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
});
guardSocketLeaks();

const cases = SERVICES.flatMap(([service]) => KINDS.map((kind) => ({ service, kind })));

describe("hostile servers", () => {
  it.each(cases)("service=$service is down within one timeout against a $kind server", async ({ service, kind }) => {
    const check = extraServiceCheckers[service];
    if (check === undefined) throw new Error(`no checker registered for ${service}`);
    const server = servers.get(`${service}/${kind}`);
    if (server === undefined) throw new Error("server missing");
    const target: ProbeTarget = {
      host: "127.0.0.1",
      port: server.port,
      request: service === "mysql" || service === "pgsql" ? "/SELECT 1" : "/health.txt",
      receive: "",
      login: "probe",
      passwd: "probe-Secret",
      database: "",
      timeoutMs: TIMEOUT_MS,
    };
    const t0 = Date.now();
    const r = await check(target, new AbortController().signal);
    const elapsed = Date.now() - t0;
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`127.0.0.1:${server.port}`);
    expect(r.message).not.toContain("probe-Secret");
    expect(elapsed).toBeLessThanOrEqual(TIMEOUT_MS + 500);
    expect(r.durationMs).toBeLessThanOrEqual(TIMEOUT_MS + 500);
  });
});
