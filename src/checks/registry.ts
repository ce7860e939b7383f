// Which function checks which `service=`: the built-in checkers of this module plus the extra ones (services/extra.ts).
import type { Service } from "../config/types.js";
import { performance } from "node:perf_hooks";
import { extraServiceCheckers } from "./services/extra.js";
import { checkDns } from "./services/dns.js";
import { checkHttp } from "./services/http.js";
import { checkRadius } from "./services/radius.js";
import { checkSimpletcp } from "./services/simpletcp.js";
import { checkSip } from "./services/sip.js";
import type { CheckTarget, ServiceChecker } from "./target.js";
import type { CheckResult } from "./types.js";

/** service=none: nothing is sent, always up (ldirectord's check_none). */
export const checkNone: ServiceChecker = (target) =>
  Promise.resolve({ ok: true, message: `service=none: ${target.describe()} not probed, always up`, durationMs: 0 });

const BUILTIN: Partial<Record<Service, ServiceChecker>> = {
  none: checkNone,
  http: checkHttp,
  https: checkHttp,
  http_proxy: checkHttp,
  simpletcp: checkSimpletcp,
  dns: checkDns,
  sip: checkSip,
  radius: checkRadius,
};

/** The checker of every service; built-ins win over extras only where both exist (they never should). */
export const serviceCheckers: Partial<Record<Service, ServiceChecker>> = { ...extraServiceCheckers, ...BUILTIN };

/** The checker of `service`, or one that reports it unsupported. */
export function serviceChecker(service: Service): ServiceChecker {
  return serviceCheckers[service] ?? unsupported(service);
}

function unsupported(service: Service): ServiceChecker {
  return (target: CheckTarget): Promise<CheckResult> => {
    const started = performance.now();
    return Promise.resolve({
      ok: false,
      message: `${target.describe()}: service ${service} is not supported by ldirectord-ts`,
      durationMs: performance.now() - started,
    });
  };
}
