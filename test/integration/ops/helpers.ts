// Test helpers for the operations tests: a real SMTP server on loopback that records what it receives, a
// decoder for the plain-text mails nodemailer writes, and bounded waiting.
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

/** One received mail. */
export interface Received {
  readonly mailFrom: string;
  readonly rcptTo: string[];
  readonly raw: string;
  readonly subject: string;
  readonly to: string;
  readonly body: string;
}

/** Decode headers (unfolded) and a 7bit or quoted-printable text body. */
export function decodeMail(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers.get("content-transfer-encoding") ?? "")) {
    body = Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  }
  return { headers, body: body.replace(/\r\n/g, "\n") };
}

/** A real SMTP server (smtp-server) on 127.0.0.1, recording every accepted message. */
export async function startSmtp(port = 0): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const { headers, body } = decodeMail(raw);
        mails.push({
          mailFrom: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: headers.get("subject") ?? "",
          to: headers.get("to") ?? "",
          body,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return { port: address.port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Poll until pred() holds; throws after timeoutMs (bounded in count and time). */
export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  for (let i = 0; i < 10_000 && Date.now() - start < timeoutMs; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!pred()) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Resolve after ms. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
