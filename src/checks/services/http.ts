// service=http, https, http_proxy with undici: one fresh connection per check (a dead server must be noticed, not
// hidden behind a pooled socket), Host = virtualhost, SNI = virtualhost, bounded body, bounded same-server redirects.
import { performance } from "node:perf_hooks";
import { isIP } from "node:net";
import { Client } from "undici";
import { abortReason, describeError } from "../deadline.js";
import { compileReceive } from "../receive.js";
import { bracketHost, formatHostPort, type CheckTarget } from "../target.js";
import type { CheckResult } from "../types.js";

// Pre-built once: passed to client.destroy() at the end of every check (see there).
const CHECK_DONE = new Error("check done");

/** Most body bytes read; past it the connection is dropped and the pattern is matched against what was read. */
export const HTTP_MAX_BODY_BYTES = 1024 * 1024;
/** Most redirects followed, and only to the same real server (its address, or the virtualhost name). */
export const HTTP_MAX_REDIRECTS = 5;

/** One HTTP exchange to perform: where to connect, and what to put on the request line and in Host. */
export interface HttpPlan {
  readonly scheme: "http" | "https";
  /** Address (or name) to connect to, IPv6 without brackets. */
  readonly connectHost: string;
  readonly connectPort: number;
  /** Request target: a path, or an absolute URL (http_proxy). */
  readonly path: string;
  /** Host header value. */
  readonly hostHeader: string;
  /** TLS SNI name; undefined = none (an IP address is never sent as SNI). */
  readonly servername?: string;
  /** The URL as an operator reads it, for messages. */
  readonly url: string;
}

/** The config normalises a request to start with "/"; `/http://x/y` is an absolute URL written without the slash rule. */
function absoluteUrl(request: string): URL | undefined {
  const text = request.replace(/^\/(?=[a-z][a-z0-9+.-]*:\/\/)/i, "");
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Plan the first exchange of an http/https/http_proxy check (LDIRECTORD.md §1.4, §1.7, §2.3). */
export function planHttp(target: CheckTarget): HttpPlan {
  const service = target.service;
  const abs = absoluteUrl(target.request);
  if (service === "http_proxy") {
    // The real server is the proxy; the request line carries the absolute URL, Host comes from it.
    const url = abs ?? new URL(`http://${target.virtualhost ?? bracketHost(target.host)}${target.request}`);
    return { scheme: "http", connectHost: target.host, connectPort: target.port, path: url.href, hostHeader: url.host, url: url.href };
  }
  if (abs !== undefined) {
    // A per-real absolute URL is checked as is (ldirectord): it names the server to ask.
    const host = abs.hostname.replace(/^\[|\]$/g, "");
    const scheme = abs.protocol === "https:" ? "https" : "http";
    const port = abs.port !== "" ? Number(abs.port) : scheme === "https" ? 443 : 80;
    const hostHeader = target.virtualhost ?? abs.host;
    const sni = target.virtualhost ?? (isIP(host) === 0 ? host : undefined);
    return withSni({ scheme, connectHost: host, connectPort: port, path: `${abs.pathname}${abs.search}`, hostHeader, url: abs.href }, sni);
  }
  const scheme = service === "https" ? "https" : "http";
  const hostHeader = target.virtualhost ?? bracketHost(target.host);
  return withSni(
    { scheme, connectHost: target.host, connectPort: target.port, path: target.request, hostHeader, url: `${scheme}://${hostHeader}${target.request}` },
    target.virtualhost,
  );
}

function withSni(plan: HttpPlan, servername: string | undefined): HttpPlan {
  return servername !== undefined && isIP(servername) === 0 ? { ...plan, servername } : plan;
}

/** The next exchange for a redirect, or why it is not followed (only to the same server, http/https only). */
export function planRedirect(current: HttpPlan, location: string, target: CheckTarget): HttpPlan | string {
  let url: URL;
  try {
    url = new URL(location, `${current.scheme}://${formatHostPort(current.connectHost, current.connectPort)}${current.path.startsWith("/") ? current.path : "/"}`);
  } catch {
    return `redirect to an invalid Location ${JSON.stringify(location.slice(0, 200))}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `redirect to ${url.href} not followed (not http or https)`;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const sameServer =
    host === current.connectHost.toLowerCase() || host === current.hostHeader.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase() || (target.virtualhost !== undefined && host === target.virtualhost.toLowerCase());
  if (!sameServer) return `redirect to ${url.href} not followed (another server)`;
  const scheme = url.protocol === "https:" ? "https" : "http";
  const port = url.port !== "" ? Number(url.port) : scheme === "https" ? 443 : 80;
  const hostHeader = isIP(host) !== 0 ? current.hostHeader.replace(/:\d+$/, "") : url.host;
  return withSni(
    { scheme, connectHost: current.connectHost, connectPort: port, path: `${url.pathname}${url.search}`, hostHeader, url: url.href },
    current.servername ?? (isIP(host) === 0 ? host : undefined),
  );
}

/** Outcome of one exchange: a response (status, location, body prefix) or a failure text. */
type Exchange =
  | { readonly kind: "response"; readonly status: number; readonly location?: string; readonly body: string; readonly truncated: boolean }
  | { readonly kind: "failure"; readonly reason: string; readonly cause?: unknown };

async function exchange(plan: HttpPlan, target: CheckTarget, signal: AbortSignal): Promise<Exchange> {
  const origin = `${plan.scheme}://${formatHostPort(plan.connectHost, plan.connectPort)}`;
  const tls = plan.scheme === "https" ? { rejectUnauthorized: target.tlsVerify === true, ...(plan.servername !== undefined ? { servername: plan.servername } : {}) } : {};
  // A client per exchange, no pipelining, no reuse: every check opens its own connection.
  const client = new Client(origin, {
    pipelining: 0,
    headersTimeout: target.timeoutMs,
    bodyTimeout: target.timeoutMs,
    connectTimeout: target.timeoutMs,
    connect: { ...tls, maxCachedSessions: 0 },
  });
  // undici's own connect timeout is coarse and its abort does not reach a TLS handshake in progress: destroying
  // the client on abort closes whatever socket it has, at once.
  const onAbort = (): void => void client.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted")).catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const res = await client.request({
      method: target.httpmethod,
      path: plan.path,
      headers: { host: plan.hostHeader, "user-agent": "ldirectord-ts", connection: "close" },
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = HTTP_MAX_BODY_BYTES - size;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    if (truncated) res.body.destroy();
    const location = res.headers["location"];
    const loc = Array.isArray(location) ? location[0] : location;
    return { kind: "response", status: res.statusCode, ...(loc !== undefined ? { location: loc } : {}), body: Buffer.concat(chunks).toString("utf8"), truncated };
  } catch (err) {
    if (signal.aborted) return { kind: "failure", reason: abortReason(signal, target.timeoutMs), cause: err };
    return { kind: "failure", reason: httpReason(err), cause: err };
  } finally {
    signal.removeEventListener("abort", onAbort);
    // destroy, not close: a peer that trickles must not keep the socket past the check.
    // One shared error: destroy() without an argument builds a new Error (and its stack trace) on every check.
    await client.destroy(CHECK_DONE).catch(() => undefined);
  }
}

/** An undici/TLS error in words. */
function httpReason(err: unknown): string {
  const e = err as { code?: unknown; cause?: unknown };
  const inner = e.cause !== undefined && typeof (e.cause as { code?: unknown }).code === "string" ? e.cause : err;
  const code = String((inner as { code?: unknown }).code ?? "");
  // OpenSSL's message is a long internal string; its `reason` ("wrong version number") is what an operator needs.
  const sslReason = (inner as { reason?: unknown }).reason;
  if (code.startsWith("ERR_SSL_")) return `TLS handshake failed: ${typeof sslReason === "string" ? sslReason : code}`;
  if (code === "HPE_INVALID_CONSTANT" || code.startsWith("HPE_")) return `invalid HTTP response: ${describeError(inner)}`;
  const text = describeError(inner);
  return typeof (inner as { code?: unknown }).code === "string" && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(String((inner as { code: string }).code))
    ? `TLS certificate not accepted: ${text}`
    : text;
}

/** Check an http, https or http_proxy real server (LDIRECTORD.md §2.3): 2xx after same-server redirects, body =~ receive. */
export async function checkHttp(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const receive = compileReceive(target.receive, target.describe());
  if ("failure" in receive) return receive.failure;
  const { pattern } = receive;
  let plan = planHttp(target);
  const via = (p: HttpPlan): string => `${target.httpmethod} ${p.url} via ${formatHostPort(p.connectHost, p.connectPort)}`;
  const done = (ok: boolean, message: string, cause?: unknown): CheckResult => {
    const r = { ok, message, durationMs: performance.now() - started };
    return cause === undefined ? r : { ...r, cause };
  };
  for (let hop = 0; ; hop++) {
    const ex = await exchange(plan, target, signal);
    if (ex.kind === "failure") return done(false, `${via(plan)}: ${ex.reason}`, ex.cause);
    if (ex.status >= 300 && ex.status < 400 && ex.location !== undefined && target.service !== "http_proxy") {
      if (hop >= HTTP_MAX_REDIRECTS) return done(false, `${via(plan)}: status ${ex.status}, more than ${HTTP_MAX_REDIRECTS} redirects`);
      const next = planRedirect(plan, ex.location, target);
      if (typeof next === "string") return done(false, `${via(plan)}: status ${ex.status}, ${next}`);
      plan = next;
      continue;
    }
    if (ex.status < 200 || ex.status > 299) return done(false, `${via(plan)}: status ${ex.status}`);
    if (pattern !== undefined && !pattern.test(ex.body)) {
      return done(false, `${via(plan)}: body did not match /${target.receive}/${ex.truncated ? ` (first ${HTTP_MAX_BODY_BYTES} bytes read)` : ""}`);
    }
    return done(true, `${via(plan)}: status ${ex.status}${pattern !== undefined ? `, body matched /${target.receive}/` : ""}`);
  }
}
