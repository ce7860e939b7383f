// Hand-built config values for the scheduler and director unit tests (plain typed data, no parser).
import type { AlertSettings, DirectorConfig, GlobalSettings, RealServer, VirtualService } from "../../../src/config/types.js";

const src = { file: "/tmp/test.cf", line: 1 };

/** Alert settings with no recipients. */
export function alerts(): AlertSettings {
  return { emailalert: [], emailalertfreq: 0, emailalertstatus: [] };
}

/** A real server 192.0.2.N:80. */
export function real(n: number, over: Partial<RealServer> = {}): RealServer {
  return { address: `192.0.2.${n}`, family: 4, port: 80, forward: "masq", weight: 1, upperThreshold: 0, lowerThreshold: 0, request: "/", receive: "", source: src, ...over };
}

/** A tcp virtual on 198.51.100.N:80 holding `reals`. */
export function virtual(n: number, reals: readonly RealServer[], over: Partial<VirtualService> = {}): VirtualService {
  const address = `198.51.100.${n}`;
  return {
    key: `tcp:${address}:80`,
    protocol: "tcp",
    family: 4,
    address,
    port: 80,
    reals,
    checktype: "negotiate",
    numConnects: 0,
    service: "http",
    checkcommand: "/bin/true",
    request: "/",
    receive: "",
    httpmethod: "GET",
    login: "",
    passwd: "",
    database: "",
    secret: "",
    scheduler: "wrr",
    ops: false,
    checktimeout: 5,
    negotiatetimeout: 5,
    checkinterval: 10,
    checkcount: 1,
    failurecount: 1,
    quiescent: false,
    cleanstop: true,
    alerts: alerts(),
    source: src,
    ...over,
  };
}

/** A config holding the virtuals. */
export function config(virtuals: readonly VirtualService[], over: Partial<GlobalSettings> = {}): DirectorConfig {
  return {
    file: "/tmp/test.cf",
    name: "test.cf",
    globals: {
      autoreload: false,
      logfile: { kind: "file", path: "/dev/null" },
      execute: [],
      fork: false,
      supervised: false,
      readdquiescent: false,
      checkinterval: 10,
      alerts: alerts(),
      ...over,
    },
    virtuals,
    warnings: [],
  };
}
