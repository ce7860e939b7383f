// One request/answer exchange over UDP or TCP for the small built-in protocols (dns, sip, radius, simpletcp):
// bounded by the check's signal and a byte limit, sockets always closed, failures as words.
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { abortReason, describeError } from "../deadline.js";
import type { CheckTarget } from "../target.js";

/** Most bytes read from a stream peer before the check gives up on it. */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** What an exchange yields: the decoded answer, or why there is none (which step failed). */
export type ExchangeResult<T> = { readonly kind: "answer"; readonly value: T } | { readonly kind: "failure"; readonly reason: string; readonly cause?: unknown };

/** Decides on what was received so far: an answer, `undefined` to read more, or a failure text. */
export type Decide<T> = (received: Buffer, ended: boolean) => { readonly answer: T } | { readonly fail: string } | undefined;

/** Send `payload` in one datagram to the target and decide on each reply datagram (others are ignored). */
export function udpExchange<T>(target: CheckTarget, payload: Buffer | ((local: { address: string; port: number }) => Buffer), signal: AbortSignal, decide: Decide<T>): Promise<ExchangeResult<T>> {
  return new Promise((resolve) => {
    const socket = createSocket(target.family === 6 ? "udp6" : "udp4");
    let settled = false;
    const finish = (r: ExchangeResult<T>): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      // Resolve once the socket is really closed, so a settled check holds no handle.
      try {
        socket.close(() => resolve(r));
      } catch {
        resolve(r); // already closed
      }
    };
    const onAbort = (): void => finish({ kind: "failure", reason: `no answer: ${abortReason(signal, target.timeoutMs)}`, cause: signal.reason });
    socket.on("error", (err) => finish({ kind: "failure", reason: (err as { code?: string }).code === "ECONNREFUSED" ? "port unreachable (ICMP)" : describeError(err), cause: err }));
    socket.on("message", (msg) => {
      const d = decide(msg, true);
      if (d === undefined) return;
      finish("answer" in d ? { kind: "answer", value: d.answer } : { kind: "failure", reason: d.fail });
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    // A connected UDP socket: replies from other sources are dropped, and an ICMP port unreachable becomes an error.
    socket.connect(target.port, target.host, () => {
      if (settled) return;
      const local = socket.address();
      const bytes = typeof payload === "function" ? payload({ address: local.address, port: local.port }) : payload;
      socket.send(bytes, (err) => {
        if (err) finish({ kind: "failure", reason: `send: ${describeError(err)}`, cause: err });
      });
    });
  });
}

/** Connect over TCP, send `payload` (then half-close when `endAfterWrite`), decide on the bytes as they arrive. */
export function tcpExchange<T>(
  target: CheckTarget,
  payload: Buffer | ((local: { address: string; port: number }) => Buffer),
  signal: AbortSignal,
  decide: Decide<T>,
  endAfterWrite = false,
): Promise<ExchangeResult<T>> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port, family: target.family });
    let settled = false;
    let connected = false;
    let received = Buffer.alloc(0);
    const finish = (r: ExchangeResult<T>): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(r);
    };
    const step = (): string => (connected ? (received.length > 0 ? `read (${received.length} bytes so far)` : "waiting for an answer") : "connect");
    const onAbort = (): void => finish({ kind: "failure", reason: `${step()}: ${abortReason(signal, target.timeoutMs)}`, cause: signal.reason });
    const consider = (ended: boolean): void => {
      const d = decide(received, ended);
      if (d !== undefined) finish("answer" in d ? { kind: "answer", value: d.answer } : { kind: "failure", reason: d.fail });
      else if (ended) finish({ kind: "failure", reason: `connection closed by the server after ${received.length} bytes` });
    };
    socket.on("error", (err) => finish({ kind: "failure", reason: `${step()}: ${describeError(err)}`, cause: err }));
    socket.on("connect", () => {
      connected = true;
      const bytes = typeof payload === "function" ? payload({ address: socket.localAddress ?? "", port: socket.localPort ?? 0 }) : payload;
      if (endAfterWrite) socket.end(bytes);
      else socket.write(bytes);
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_REPLY_BYTES) {
        finish({ kind: "failure", reason: `more than ${MAX_REPLY_BYTES} bytes without an answer` });
        return;
      }
      consider(false);
    });
    socket.on("end", () => consider(true));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
