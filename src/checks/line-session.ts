// A CRLF line session over TCP or TLS for the text-protocol probes (smtp, pop, imap, nntp).
// Why not a client library: a health probe needs exactly greeting/login/logout with one deadline for the whole
// exchange and an AbortSignal that closes the socket at once. The npm clients (imapflow, nodemailer's
// SMTPConnection, the POP3 clients) add their own per-operation timers, capability negotiation, and retries
// (the very thing that made ldirectord's IMAP check slow, LDIRECTORD.md §5.2 N), and none of them takes a signal.
import { connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { ProbeFailure, describeError } from "./probe.js";

/** Longest line accepted from a server: a probe reads greetings and status lines, never bulk data. */
export const MAX_LINE_BYTES = 8192;

/** How to open a line session. */
export interface LineSessionOptions {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (pops, imaps). */
  readonly tls: boolean;
  /** Verify the certificate chain and name; default off (back-ends are addressed by IP, often self-signed). */
  readonly tlsVerify?: boolean;
  /** Closing the session at once when this fires. */
  readonly signal: AbortSignal;
}

/** An open line-oriented connection; every read fails fast once the socket closes or the signal fires. */
export interface LineSession {
  /** Next line without its CR LF. Rejects with a ProbeFailure on close, error, overlong line or abort. */
  readLine(step: string): Promise<string>;
  /** Send one line (CR LF appended). */
  writeLine(line: string): void;
  /** Destroy the socket (idempotent). */
  close(): void;
}

/** Open a TCP (or implicit-TLS) connection and resolve once it is established (TLS: handshake done). */
export function openLineSession(options: LineSessionOptions): Promise<LineSession> {
  const { host, port, signal } = options;
  return new Promise<LineSession>((resolve, reject) => {
    if (signal.aborted) {
      reject(new ProbeFailure("connect", "aborted before connecting"));
      return;
    }
    const socket: Socket = options.tls
      ? tlsConnect({
          host,
          port,
          rejectUnauthorized: options.tlsVerify === true,
          // An IP literal is not a valid SNI name (RFC 6066); Node would warn, so send none, as ldirectord.
          ...(host.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(host) ? {} : { servername: host }),
        })
      : netConnect({ host, port });
    const session = new SocketLineSession(socket, signal);
    const event = options.tls ? "secureConnect" : "connect";
    const onReady = (): void => {
      socket.off("error", onEarlyError);
      signal.removeEventListener("abort", onEarlyAbort);
      session.start();
      resolve(session);
    };
    const onEarlyError = (err: Error): void => {
      signal.removeEventListener("abort", onEarlyAbort);
      socket.destroy();
      reject(new ProbeFailure(options.tls ? "TLS connect" : "connect", describeError(err), { cause: err }));
    };
    const onEarlyAbort = (): void => {
      socket.destroy();
      reject(new ProbeFailure("connect", "aborted"));
    };
    socket.once(event, onReady);
    socket.once("error", onEarlyError);
    signal.addEventListener("abort", onEarlyAbort, { once: true });
  });
}

/** The socket-backed implementation: buffers input, splits lines, fails pending reads on close. */
class SocketLineSession implements LineSession {
  private buffer = "";
  private readonly lines: string[] = [];
  private waiter: { step: string; resolve: (line: string) => void; reject: (err: Error) => void } | undefined;
  private ended: Error | undefined;
  private readonly onAbort = (): void => this.fail(new ProbeFailure("", "aborted"), true);

  constructor(
    private readonly socket: Socket,
    private readonly signal: AbortSignal,
  ) {}

  /** Attach the data handlers (after connect, so early errors go to openLineSession's reject). */
  start(): void {
    this.socket.setEncoding("latin1"); // bytes map 1:1 to chars: a garbage server cannot produce decode errors
    this.socket.on("data", (chunk: string) => this.onData(chunk));
    this.socket.on("error", (err) => this.fail(err, false));
    this.socket.on("close", () => this.fail(new Error("connection closed by server"), false));
    this.signal.addEventListener("abort", this.onAbort, { once: true });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf("\n");
    while (nl >= 0) {
      this.lines.push(this.buffer.slice(0, nl).replace(/\r$/, ""));
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf("\n");
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.fail(new Error(`line longer than ${MAX_LINE_BYTES} bytes`), true);
      return;
    }
    this.deliver();
  }

  private deliver(): void {
    if (this.waiter === undefined) return;
    const line = this.lines.shift();
    if (line !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(line);
    } else if (this.ended !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(new ProbeFailure(w.step, describeError(this.ended), { cause: this.ended }));
    }
  }

  private fail(err: Error, destroy: boolean): void {
    if (this.ended === undefined) this.ended = err;
    if (destroy) this.close();
    this.deliver();
  }

  readLine(step: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.waiter = { step, resolve, reject };
      this.deliver();
    });
  }

  writeLine(line: string): void {
    if (this.ended === undefined && !this.socket.destroyed) this.socket.write(`${line}\r\n`, "utf8");
  }

  close(): void {
    this.signal.removeEventListener("abort", this.onAbort);
    this.socket.destroy();
  }
}
