// Hand-built configs for the operations tests (the parser is another workstream's; these are plain typed values).
import type { AlertSettings, DirectorConfig, GlobalSettings, RealServer, VirtualService } from "../../../src/config/types.js";

const src = { file: "/etc/ha.d/test.cf", line: 1 };

/** Alert settings with no recipients. */
export function alerts(over: Partial<AlertSettings> = {}): AlertSettings {
  return { emailalert: [], emailalertfreq: 0, emailalertstatus: ["starting", "running", "stopping", "reloading"], ...over };
}

/** A real server 10.0.0.N:80 (or over). */
export function real(over: Partial<RealServer> = {}): RealServer {
  return {
    address: "192.0.2.10",
    family: 4,
    port: 80,
    forward: "gate",
    weight: 1,
    upperThreshold: 0,
    lowerThreshold: 0,
    request: "/",
    receive: "",
    source: src,
    ...over,
  };
}

/** A tcp virtual on 192.0.2.1:80 with the given reals. */
export function virtual(over: Partial<VirtualService> = {}): VirtualService {
  const address = over.address ?? "192.0.2.1";
  const port = over.port ?? 80;
  const protocol = over.protocol ?? "tcp";
  return {
    key: protocol === "fwm" ? `fwm:${over.fwmark ?? 1}` : `${protocol}:${address}:${port}`,
    protocol,
    family: 4,
    address,
    port,
    reals: [real()],
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
    negotiatetimeout: 30,
    checkinterval: 1,
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
    file: "/etc/ha.d/test.cf",
    name: "test.cf",
    globals: {
      autoreload: false,
      logfile: { kind: "file", path: "/dev/null" },
      execute: [],
      fork: false,
      supervised: false,
      readdquiescent: false,
      checkinterval: 1,
      alerts: alerts(),
      ...over,
    },
    virtuals,
    warnings: [],
  };
}
