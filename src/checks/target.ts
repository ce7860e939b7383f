// What a service checker needs to know about one (virtual, real) pair, with every ldirectord rule already applied
// (check port, per-real request/receive, timeouts), so a checker never looks at the config itself.
import type { Family, Protocol, RealServer, Service, VirtualService } from "../config/types.js";
import { portForService } from "../config/services.js";
import type { CheckResult } from "./types.js";

/** Everything a service checker needs: where to talk, what to send and expect, and how long it may take. */
export interface CheckTarget {
  /** IP address of the real server (IPv6 without brackets). */
  readonly host: string;
  readonly family: Family;
  /** The port the check talks to: checkport, else the real's port when > 0, else the service's port, else the virtual's. */
  readonly port: number;
  /** The request (a path starting with "/", or an absolute URL for a per-real request / http_proxy). */
  readonly request: string;
  /** Receive pattern (a Perl-ish regex; "" = none). */
  readonly receive: string;
  readonly virtualhost?: string;
  readonly httpmethod: "GET" | "HEAD";
  readonly login: string;
  readonly passwd: string;
  readonly database: string;
  readonly secret: string;
  /** The virtual's IPVS protocol: selects TCP or UDP for dns, sip and simpletcp. */
  readonly protocol: Protocol;
  readonly service: Service;
  /** external / external-perl program. */
  readonly checkcommand: string;
  /** ping attempts within the timeout. */
  readonly checkcount: number;
  readonly virtual: VirtualService;
  readonly real: RealServer;
  /** Bounds the whole check (checktimeout or negotiatetimeout, §1.7). */
  readonly timeoutMs: number;
  /** Verify TLS certificate chain and name (opt-in, LDIRECTORD_TS_TLS_VERIFY=1); default false. */
  readonly tlsVerify?: boolean;
  /** `HOST:PORT` of the check port, IPv6 bracketed, for messages. */
  describe(): string;
}

/** A checker of one service: resolves a result by the signal, never rejects for remote behaviour. */
export type ServiceChecker = (target: CheckTarget, signal: AbortSignal) => Promise<CheckResult>;

/** `host:port`, with IPv6 in brackets. */
export function formatHostPort(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}

/** An address as it stands before a port, in a URL authority or a Host header: IPv6 in brackets. */
export function bracketHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** ldirectord's `ld_checkport`: checkport, else the real's port if > 0, else the service's port, else the virtual port. */
export function checkPort(virtual: VirtualService, real: RealServer): number {
  if (virtual.checkport !== undefined && virtual.checkport > 0) return virtual.checkport;
  if (real.port > 0) return real.port;
  const byService = portForService(virtual.service);
  // ldirectord would connect to port 0 here (service none/simpletcp on a port-less real); the virtual port is what
  // IPVS forwards to for gate/ipip, so it is the port the real actually serves.
  return byService > 0 ? byService : virtual.port;
}

/** Whether TLS certificates are verified: opt-in with the environment variable LDIRECTORD_TS_TLS_VERIFY=1 (or yes/true). */
export function tlsVerifyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env["LDIRECTORD_TS_TLS_VERIFY"] ?? "").trim().toLowerCase();
  return v === "1" || v === "yes" || v === "true";
}

/** Build the target of a check of `real` in `virtual`, bounded by `timeoutMs`. */
export function checkTarget(virtual: VirtualService, real: RealServer, timeoutMs: number): CheckTarget {
  const port = checkPort(virtual, real);
  const host = real.address;
  const base = {
    host,
    family: real.family,
    port,
    request: real.request,
    receive: real.receive,
    httpmethod: virtual.httpmethod,
    login: virtual.login,
    passwd: virtual.passwd,
    database: virtual.database,
    secret: virtual.secret,
    protocol: virtual.protocol,
    service: virtual.service,
    checkcommand: virtual.checkcommand,
    checkcount: virtual.checkcount,
    virtual,
    real,
    timeoutMs,
    tlsVerify: tlsVerifyFromEnv(),
    describe: () => formatHostPort(host, port),
  };
  return virtual.virtualhost !== undefined ? { ...base, virtualhost: virtual.virtualhost } : base;
}
