// service=ftp: login, CWD /, TYPE I (binary), passive RETR of the request, body =~ receive (LDIRECTORD.md §2.3).
// Client: basic-ftp (well kept, promise API, EPSV/PASV). It takes no AbortSignal, so an abort closes the client,
// which destroys the control and data sockets and rejects the pending operation.
import { Writable } from "node:stream";
import { Client } from "basic-ftp";
import type { CheckResult } from "../types.js";
import { ProbeFailure, describeError, hostPort, localName, probeStep, receivePattern, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";

/** Largest file a probe downloads; a health file is small, and an endless one must not fill memory. */
export const FTP_MAX_BODY_BYTES = 1024 * 1024;

/** The remote path ldirectord requests: the request with one leading slash (Net::FTP get("/REQUEST")). */
export function ftpPath(request: string): string {
  return `/${request.replace(/^\/+/, "")}`;
}

/** The user and password sent: the configured ones, else anonymous / ldirectord@HOSTNAME (as the parser's §1.3 defaults). */
export function ftpCredentials(login: string, passwd: string): { user: string; password: string } {
  return login === "" ? { user: "anonymous", password: passwd || `ldirectord@${localName()}` } : { user: login, password: passwd };
}

/** A sink that keeps at most `limit` bytes and fails the transfer beyond that. */
function boundedSink(limit: number): { sink: Writable; body: () => Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(new Error(`file larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, body: () => Buffer.concat(chunks) };
}

/** An FTP reply error as the server said it ("530 Login incorrect."). */
function ftpReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const text = describeError(err);
  return typeof code === "number" && !text.startsWith(String(code)) ? `${code} ${text}` : text;
}

/**
 * Check an FTP server. No file requested (request "/" or empty): login and CWD / are enough. Empty receive: a completed download is up
 * (ldirectord's empty pattern is Perl's "last successful match", i.e. unpredictable; we choose the sane reading).
 */
export async function checkFtp(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  const { user, password } = ftpCredentials(target.login, target.passwd);
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, [password], async (probe) => {
    const pattern = receivePattern(target.receive);
    // basic-ftp's timeout is per idle socket; our deadline (probe.aborted) bounds the whole check.
    const client = new Client(target.timeoutMs + 250);
    const onAbort = (): void => client.close();
    probe.signal.addEventListener("abort", onAbort, { once: true });
    const step = <T>(name: string, op: () => Promise<T>): Promise<T> => probeStep(probe, name, ftpReason, op);
    try {
      await step("connect", () => client.connect(target.host, target.port));
      await step(`login as ${user}`, () => client.login(user, password));
      await step("CWD /", () => client.cd("/"));
      await step("TYPE I", () => client.send("TYPE I"));
      const path = ftpPath(target.request);
      // "/" is the config's default request: no file named, so login and CWD / are the check.
      if (path === "/") return `login as ${user} and CWD / ok (no file requested)`;
      const { sink, body } = boundedSink(FTP_MAX_BODY_BYTES);
      await step(`RETR ${path}`, () => client.downloadTo(sink, path));
      const content = body();
      if (pattern !== undefined && !pattern.test(content.toString("utf8"))) {
        throw new ProbeFailure(`RETR ${path}`, `${content.length} bytes, content did not match /${target.receive}/`);
      }
      await client.send("QUIT").catch(() => undefined);
      return `RETR ${path}: ${content.length} bytes${pattern === undefined ? "" : ` matching /${target.receive}/`}`;
    } finally {
      probe.signal.removeEventListener("abort", onAbort);
      client.close();
    }
  });
}
