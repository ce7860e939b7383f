// Parsers for what ipvsadm prints: `ipvsadm -S -n` (the table, in the same syntax `-R` reads) and
// `ipvsadm -L -n --thresholds` (the -x/-y values, which `-S` does not print: checked with ipvsadm 1.31).
import type { Family, Forward, Protocol } from "../config/types.js";
import { canonicalIpv6, serviceKey, tableRealKey } from "./table-keys.js";
import type { IpvsTable, ServiceSpec, TableReal, TableService } from "./types.js";

/** A line ipvsadm printed that this parser does not understand (names the line). */
export class IpvsadmParseError extends Error {
  readonly line: string;
  constructor(message: string, line: string) {
    super(`${message}: ${JSON.stringify(line)}`);
    this.name = "IpvsadmParseError";
    this.line = line;
  }
}

interface HostPort {
  readonly address: string;
  readonly family: Family;
  readonly port: number;
}

/** `10.0.0.1:80` or `[2001:db8::1]:80`. */
export function parseHostPort(text: string, line: string): HostPort {
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(text);
  if (v6 !== null) return { address: canonicalIpv6(v6[1] ?? ""), family: 6, port: Number(v6[2]) };
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (v4 !== null) return { address: v4[1] ?? "", family: 4, port: Number(v4[2]) };
  throw new IpvsadmParseError(`bad address ${JSON.stringify(text)}`, line);
}

interface ServiceRef {
  protocol: Protocol;
  family: Family;
  address?: string;
  port: number;
  fwmark?: number;
}

/** Reads `-t ADDR:PORT`, `-u ADDR:PORT`, `-f MARK [-6]` out of a token list. */
function takeService(tokens: string[], line: string): ServiceRef {
  let ref: ServiceRef | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === "-t" || t === "-u") {
      const hp = parseHostPort(tokens[i + 1] ?? "", line);
      ref = { protocol: t === "-t" ? "tcp" : "udp", family: hp.family, address: hp.address, port: hp.port };
    } else if (t === "-f") {
      const mark = Number(tokens[i + 1]);
      if (!Number.isInteger(mark)) throw new IpvsadmParseError("bad fwmark", line);
      ref = { protocol: "fwm", family: tokens.includes("-6") ? 6 : 4, port: 0, fwmark: mark };
    }
  }
  if (ref === undefined) throw new IpvsadmParseError("no service (-t/-u/-f)", line);
  return ref;
}

function optionValue(tokens: readonly string[], flag: string): string | undefined {
  const i = tokens.indexOf(flag);
  return i < 0 ? undefined : tokens[i + 1];
}

function intOption(tokens: readonly string[], flag: string, line: string): number | undefined {
  const v = optionValue(tokens, flag);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new IpvsadmParseError(`bad ${flag} value`, line);
  return Number(v);
}

/** Parse `ipvsadm -S -n` output into the table model (thresholds 0: merge them from the --thresholds listing). */
export function parseIpvsadmSave(text: string): IpvsTable {
  const services = new Map<string, { spec: ServiceSpec; reals: TableReal[] }>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const tokens = line.split(/\s+/);
    const cmd = tokens[0];
    if (cmd === "-A") {
      const ref = takeService(tokens, line);
      const persistent = intOption(tokens, "-p", line);
      const netmask = optionValue(tokens, "-M");
      const schedflags = optionValue(tokens, "-b");
      const spec: ServiceSpec = {
        ...ref,
        key: serviceKey(ref),
        scheduler: optionValue(tokens, "-s") ?? "wlc",
        ...(persistent === undefined ? {} : { persistent }),
        ...(netmask === undefined || persistent === undefined ? {} : { netmask }),
        ops: tokens.includes("-o"),
        ...(schedflags === undefined ? {} : { schedflags }),
      };
      services.set(spec.key, { spec, reals: [] });
    } else if (cmd === "-a") {
      const ref = takeService(tokens, line);
      const svc = services.get(serviceKey(ref));
      if (svc === undefined) throw new IpvsadmParseError("real server before its service", line);
      const hp = parseHostPort(optionValue(tokens, "-r") ?? "", line);
      const forward: Forward = tokens.includes("-m") ? "masq" : tokens.includes("-i") ? "ipip" : "gate";
      svc.reals.push({
        ...hp,
        forward,
        weight: intOption(tokens, "-w", line) ?? 1,
        upperThreshold: intOption(tokens, "-x", line) ?? 0,
        lowerThreshold: intOption(tokens, "-y", line) ?? 0,
      });
    } else {
      throw new IpvsadmParseError("unexpected line in ipvsadm -S output", line);
    }
  }
  return [...services.values()].map((s): TableService => ({ ...s.spec, reals: s.reals }));
}

/** Thresholds by `serviceKey realTableKey`, from `ipvsadm -L -n --thresholds`. */
export function parseIpvsadmThresholds(text: string): Map<string, { upper: number; lower: number }> {
  const out = new Map<string, { upper: number; lower: number }>();
  let current: string | undefined;
  for (const line of text.split("\n")) {
    const svc = /^(TCP|UDP|FWM)\s+(\S+)(\s+IPv6)?\s/.exec(line);
    if (svc !== null) {
      const proto = (svc[1] ?? "").toLowerCase() as Protocol;
      const where = svc[2] ?? "";
      if (proto === "fwm") {
        current = serviceKey({ protocol: "fwm", family: svc[3] !== undefined ? 6 : 4, port: 0, fwmark: Number(where) });
      } else {
        const hp = parseHostPort(where, line);
        current = serviceKey({ protocol: proto, family: hp.family, address: hp.address, port: hp.port });
      }
      continue;
    }
    const real = /^\s+->\s+(\S+)\s+(\d+)\s+(\d+)\s/.exec(line + " ");
    if (real !== null && current !== undefined && real[1] !== "RemoteAddress:Port") {
      const hp = parseHostPort(real[1] ?? "", line);
      out.set(`${current} ${tableRealKey(hp)}`, { upper: Number(real[2]), lower: Number(real[3]) });
    }
  }
  return out;
}

/** The table with each real's thresholds taken from a parsed --thresholds listing. */
export function withThresholds(table: IpvsTable, thresholds: ReadonlyMap<string, { upper: number; lower: number }>): IpvsTable {
  return table.map((s) => ({
    ...s,
    reals: s.reals.map((r) => {
      const t = thresholds.get(`${s.key} ${tableRealKey(r)}`);
      return t === undefined ? r : { ...r, upperThreshold: t.upper, lowerThreshold: t.lower };
    }),
  }));
}
