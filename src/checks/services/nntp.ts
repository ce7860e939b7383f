// service=nntp: up when the greeting starts with 2 (200/201), as ldirectord (LDIRECTORD.md §2.3).
// Better than ldirectord: the connect is bounded by the same timeout, and we say QUIT before closing.
import type { CheckResult } from "../types.js";
import { ProbeFailure, hostPort, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";
import { openLineSession } from "../line-session.js";

/** Check an NNTP server's greeting. */
export async function checkNntp(target: ProbeTarget, signal: AbortSignal): Promise<CheckResult> {
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, [], async (probe) => {
    probe.step = "connect";
    const session = await openLineSession({ host: target.host, port: target.port, tls: false, signal: probe.signal });
    try {
      probe.step = "greeting";
      const greeting = await session.readLine(probe.step);
      if (!greeting.startsWith("2")) throw new ProbeFailure(probe.step, greeting.slice(0, 200) || "(empty line)");
      session.writeLine("QUIT");
      return `greeting ${greeting.slice(0, 3)}`;
    } finally {
      session.close();
    }
  });
}
