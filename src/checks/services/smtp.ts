// service=smtp / submission: banner 220, EHLO (HELO if EHLO is refused, as Net::SMTP), QUIT (LDIRECTORD.md §2.3).
import type { CheckResult } from "../types.js";
import { ProbeFailure, hostPort, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { openLineSession } from "../line-session.js";
import type { LineSession } from "../line-session.js";

/** The EHLO name ldirectord's Net::SMTP sends; kept so back-end logs look the same after a migration. */
export const SMTP_HELO_NAME = "localhost.localdomain";

/** One SMTP reply: its code and the text of all its lines. */
export interface SmtpReply {
  readonly code: number;
  readonly text: string;
}

/** Read a (possibly multi-line, `250-…` then `250 …`) SMTP reply; garbage is a ProbeFailure naming the step. */
export async function readSmtpReply(session: LineSession, step: string): Promise<SmtpReply> {
  const texts: string[] = [];
  // A reply of more than 100 lines is not an SMTP server talking: bound the loop.
  for (let i = 0; i < 100; i++) {
    const line = await session.readLine(step);
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (m === null) throw new ProbeFailure(step, `not an SMTP reply: ${JSON.stringify(line.slice(0, 80))}`);
    texts.push(m[3] ?? "");
    if (m[2] !== "-") return { code: Number(m[1]), text: texts.join(" / ").trim() };
  }
  throw new ProbeFailure(step, "reply longer than 100 lines");
}

/** Check an SMTP or submission server: up when the banner is 2xx and EHLO (or HELO) is accepted. */
export async function checkSmtp(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, [], async (probe) => {
    probe.step = "connect";
    const session = await openLineSession({ host: target.host, port: target.port, tls: false, signal: probe.signal });
    try {
      probe.step = "banner";
      const banner = await readSmtpReply(session, probe.step);
      if (banner.code < 200 || banner.code > 299) throw new ProbeFailure(probe.step, `${banner.code} ${banner.text}`);
      probe.step = "EHLO";
      session.writeLine(`EHLO ${SMTP_HELO_NAME}`);
      let hello = await readSmtpReply(session, probe.step);
      if (hello.code >= 500 && hello.code <= 599) {
        // Old or minimal servers answer EHLO with 500/502: fall back to HELO as Net::SMTP does.
        probe.step = "HELO";
        session.writeLine(`HELO ${SMTP_HELO_NAME}`);
        hello = await readSmtpReply(session, probe.step);
      }
      if (hello.code !== 250) throw new ProbeFailure(probe.step, `${hello.code} ${hello.text}`);
      const step = probe.step;
      // QUIT is a courtesy: its answer does not change the verdict, and we do not wait for it.
      session.writeLine("QUIT");
      return `banner ${banner.code}, ${step} 250`;
    } finally {
      session.close();
    }
  });
}
