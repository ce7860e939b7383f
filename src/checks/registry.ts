// Which function checks which `service=`: the built-in checkers of this module plus the extra ones (services/extra.ts).
import type { Service } from "../config/types.js";
import { performance } from "node:perf_hooks";
import { extraServiceCheckers } from "./services/extra.js";
import { lazyChecker } from "./lazy.js";
import type { CheckTarget, ServiceChecker } from "./target.js";
import type { CheckResult } from "./types.js";

/** service=none: nothing is sent, always up (ldirectord's check_none). */
export const checkNone: ServiceChecker = (target) =>
  Promise.resolve({ ok: true, message: `service=none: ${target.describe()} not probed, always up`, durationMs: 0 });

const checkHttp = lazyChecker<CheckTarget>(async () => (await import("./services/http.js")).checkHttp);

const BUILTIN: Partial<Record<Service, ServiceChecker>> = {
  none: checkNone,
  http: checkHttp,
  https: checkHttp,
  http_proxy: checkHttp,
  simpletcp: lazyChecker<CheckTarget>(async () => (await import("./services/simpletcp.js")).checkSimpletcp),
  dns: lazyChecker<CheckTarget>(async () => (await import("./services/dns.js")).checkDns),
  sip: lazyChecker<CheckTarget>(async () => (await import("./services/sip.js")).checkSip),
  radius: lazyChecker<CheckTarget>(async () => (await import("./services/radius.js")).checkRadius),
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
