// service=oracle: not supported. The only Node client (oracledb) could be installed, but no Oracle server can
// run on this project's machines or CI, so a checker could not be tested against the real protocol; we report
// that plainly instead of pretending. configtest warns about it at parse time.
import { performance } from "node:perf_hooks";
import type { CheckResult } from "../types.js";
import { hostPort } from "../probe.js";
import type { ProbeTarget } from "../probe.js";

/** The message every oracle check gives; also what configtest's warning should say. */
export const ORACLE_UNSUPPORTED = "service oracle is not supported by ldirectord-ts; use checktype=connect, or checktype=external with an Oracle client script";

/** Always down, at once, with a message that says why and what to use instead. */
export async function checkOracle(target: ProbeTarget, _signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  return { ok: false, message: `${ORACLE_UNSUPPORTED} (real ${hostPort(target.host, target.port)})`, durationMs: performance.now() - started };
}
