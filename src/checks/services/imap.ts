// service=imap / imaps: greeting, LOGIN if a login is set, LOGOUT (LDIRECTORD.md §2.3).
// Better than ldirectord (bug N): the configured check port is honoured and a failed connect is not retried.
import type { CheckResult } from "../types.js";
import { ProbeFailure, hostPort, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { openLineSession } from "../line-session.js";
import type { LineSession } from "../line-session.js";

/** An IMAP quoted string (RFC 3501 §4.3): backslash and double quote escaped. Line breaks cannot be quoted. */
export function imapQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Read untagged responses until the tagged reply for `tag`; resolve its status and text. */
async function readTagged(session: LineSession, tag: string, step: string): Promise<{ status: string; text: string }> {
  // Servers send a few untagged lines (CAPABILITY, alerts) before the tagged reply: bound the loop.
  for (let i = 0; i < 200; i++) {
    const line = await session.readLine(step);
    if (line.startsWith(`${tag} `)) {
      const rest = line.slice(tag.length + 1);
      const sp = rest.indexOf(" ");
      return sp < 0 ? { status: rest.toUpperCase(), text: "" } : { status: rest.slice(0, sp).toUpperCase(), text: rest.slice(sp + 1) };
    }
    if (line.startsWith("* BYE")) throw new ProbeFailure(step, line.slice(2, 200));
  }
  throw new ProbeFailure(step, "no tagged reply within 200 lines");
}

/** Check an IMAP server (implicit TLS when `tls`): `* OK`/`* PREAUTH` greeting, optional LOGIN, LOGOUT. */
export async function checkImap(target: ProbeTarget, signal: AbortSignal, tls: boolean): Promise<CheckResult> {
  const secrets = [target.passwd, imapQuote(target.passwd)];
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, secrets, async (probe) => {
    probe.step = tls ? "TLS connect" : "connect";
    const session = await openLineSession({ host: target.host, port: target.port, tls, tlsVerify: target.tlsVerify === true, signal: probe.signal });
    try {
      probe.step = "greeting";
      const greeting = await session.readLine(probe.step);
      const preauth = /^\* PREAUTH\b/i.test(greeting);
      if (!preauth && !/^\* OK\b/i.test(greeting)) throw new ProbeFailure(probe.step, greeting.slice(0, 200) || "(empty line)");
      let summary = preauth ? "PREAUTH greeting" : "OK greeting";
      if (target.login !== "" && !preauth) {
        if (/[\r\n]/.test(target.login + target.passwd)) throw new ProbeFailure("LOGIN probe", "login or passwd contains a line break");
        probe.step = "LOGIN probe";
        session.writeLine(`a1 LOGIN ${imapQuote(target.login)} ${imapQuote(target.passwd)}`);
        const reply = await readTagged(session, "a1", probe.step);
        if (reply.status !== "OK") throw new ProbeFailure(probe.step, `${reply.status} ${reply.text}`.trim());
        summary += `, LOGIN as ${target.login} ok`;
      }
      // LOGOUT is a courtesy: its answer does not change the verdict, and we do not wait for it.
      session.writeLine("a2 LOGOUT");
      return summary;
    } finally {
      session.close();
    }
  });
}
