// service=pop / pops: +OK greeting; with a login USER/PASS/STAT; QUIT (LDIRECTORD.md §2.3).
// Better than ldirectord (bug M): without a login the server must still greet with +OK to be up.
import type { CheckResult } from "../types.js";
import { ProbeFailure, hostPort, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { openLineSession } from "../line-session.js";
import type { LineSession } from "../line-session.js";

/** Read one POP3 status line; anything but +OK fails the step with the server's words. */
async function expectOk(session: LineSession, step: string): Promise<string> {
  const line = await session.readLine(step);
  if (!line.startsWith("+OK")) throw new ProbeFailure(step, line.slice(0, 200) || "(empty line)");
  return line;
}

/** Check a POP3 server (implicit TLS when `tls`): greeting, optional USER/PASS/STAT, QUIT. */
export async function checkPop(target: ProbeTarget, signal: AbortSignal, tls: boolean): Promise<CheckResult> {
  const secrets = [target.passwd];
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, secrets, async (probe) => {
    probe.step = tls ? "TLS connect" : "connect";
    const session = await openLineSession({ host: target.host, port: target.port, tls, tlsVerify: target.tlsVerify === true, signal: probe.signal });
    try {
      probe.step = "greeting";
      await expectOk(session, probe.step);
      if (target.login === "") {
        session.writeLine("QUIT");
        return "+OK greeting (no login configured)";
      }
      if (/[\r\n]/.test(target.login + target.passwd)) throw new ProbeFailure("USER", "login or passwd contains a line break");
      probe.step = "USER";
      session.writeLine(`USER ${target.login}`);
      await expectOk(session, probe.step);
      probe.step = "PASS";
      session.writeLine(`PASS ${target.passwd}`);
      await expectOk(session, probe.step);
      probe.step = "STAT";
      session.writeLine("STAT");
      const stat = await expectOk(session, probe.step);
      session.writeLine("QUIT");
      return `login as ${target.login} ok, ${stat}`;
    } finally {
      session.close();
    }
  });
}
