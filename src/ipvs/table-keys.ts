// Identity of table entries as the kernel sees them, and the port the kernel really stores for a real server.
import type { Family, Forward, Protocol } from "../config/types.js";
import type { ServiceSpec, TableReal } from "./types.js";

/** `tcp:10.0.0.1:80`, `udp:[2001:db8::1]:53`, `fwm:42`, `fwm6:42`: the same format as VirtualService.key. */
export function serviceKey(s: { readonly protocol: Protocol; readonly family: Family; readonly address?: string; readonly port: number; readonly fwmark?: number }): string {
  if (s.protocol === "fwm") return `${s.family === 6 ? "fwm6" : "fwm"}:${s.fwmark ?? 0}`;
  const host = s.family === 6 ? `[${s.address ?? ""}]` : (s.address ?? "");
  return `${s.protocol}:${host}:${s.port}`;
}

/** `10.0.0.5:80`, `[2001:db8::5]:80`: a real's identity inside one service (address and the port the kernel stores). */
export function tableRealKey(r: { readonly address: string; readonly family: Family; readonly port: number }): string {
  return r.family === 6 ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
}

/**
 * The port the kernel stores for a real server. ipvsadm forces the virtual port on gate (-g) and ipip (-i) reals of
 * a tcp/udp service (LDIRECTORD.md §3.2, checked in the lab: `-r 10.10.0.12:8080 -g` on :80 is listed as :80), so a
 * desired table that kept the configured port would never match the kernel and every plan would re-add it. Masq
 * reals and every real of a fwmark service keep their port, including 0 (portless).
 */
export function kernelRealPort(service: { readonly protocol: Protocol; readonly port: number }, forward: Forward, port: number): number {
  if (service.protocol !== "fwm" && (forward === "gate" || forward === "ipip")) return service.port;
  return port;
}

/** True when two service specs differ in something `ipvsadm -E` changes (scheduler, persistence, netmask, ops, flags). */
export function serviceAttrsDiffer(a: ServiceSpec, b: ServiceSpec): boolean {
  return (
    a.scheduler !== b.scheduler ||
    a.persistent !== b.persistent ||
    (a.persistent === undefined ? false : (a.netmask ?? "") !== (b.netmask ?? "")) ||
    a.ops !== b.ops ||
    flagSet(a.schedflags) !== flagSet(b.schedflags)
  );
}

/** Scheduler flags compared as a set: `sh-port,sh-fallback` and `sh-fallback,sh-port` are the same to the kernel. */
function flagSet(flags: string | undefined): string {
  return (flags ?? "").split(",").map((f) => f.trim()).filter((f) => f !== "").sort().join(",");
}

/** True when two entries of the same real differ in something `ipvsadm -e` changes (weight, forwarding, thresholds). */
export function realAttrsDiffer(a: TableReal, b: TableReal): boolean {
  return a.weight !== b.weight || a.forward !== b.forward || a.upperThreshold !== b.upperThreshold || a.lowerThreshold !== b.lowerThreshold;
}

/** The service attributes of a table service (drops the reals). */
export function specOf(s: ServiceSpec & { readonly reals?: unknown }): ServiceSpec {
  const { reals: _reals, ...spec } = s as ServiceSpec & { reals?: unknown };
  return spec;
}

/** Canonical text of an IPv6 address (compressed, lower case), as the config and `ipvsadm -n` print it. */
export function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}
