// Port numbers for service names (`virtual=10.0.0.1:www`, `real=…:mysql`) and ldirectord's port → check-service map.
// /etc/services is read when present; a built-in table covers every name the corpus and ldirectord's own
// service list use, because a fresh machine (CI) may have no netbase package.
import { readFileSync } from "node:fs";
import type { Service } from "./types.js";

/** Transport protocol a service name is looked up for. */
export type PortProtocol = "tcp" | "udp";

/** A name → port table per protocol. */
export type ServicesTable = ReadonlyMap<string, { readonly tcp?: number; readonly udp?: number }>;

// name, port, protocols, aliases — the subset of netbase's /etc/services an ldirectord config plausibly names.
const BUILTIN: ReadonlyArray<readonly [string, number, "tcp" | "udp" | "both", readonly string[]]> = [
  ["ftp-data", 20, "tcp", []],
  ["ftp", 21, "tcp", []],
  ["ssh", 22, "tcp", []],
  ["telnet", 23, "tcp", []],
  ["smtp", 25, "tcp", ["mail"]],
  ["domain", 53, "both", []],
  ["tftp", 69, "udp", []],
  ["http", 80, "tcp", ["www"]],
  ["kerberos", 88, "both", ["kerberos5", "krb5", "kerberos-sec"]],
  ["pop3", 110, "tcp", ["pop-3"]],
  ["nntp", 119, "tcp", ["readnews", "untp"]],
  ["ntp", 123, "udp", []],
  ["imap2", 143, "tcp", ["imap"]],
  ["snmp", 161, "both", []],
  ["ldap", 389, "both", []],
  ["https", 443, "both", []],
  ["syslog", 514, "udp", []],
  ["submission", 587, "tcp", []],
  ["ldaps", 636, "both", []],
  ["rsync", 873, "tcp", []],
  ["ftps", 990, "tcp", []],
  ["imaps", 993, "tcp", []],
  ["pop3s", 995, "tcp", []],
  ["openvpn", 1194, "both", []],
  ["ms-sql-s", 1433, "tcp", []],
  ["oracle", 1521, "tcp", ["ncube-lm"]],
  ["radius", 1812, "both", []],
  ["radius-acct", 1813, "both", ["radacct"]],
  ["squid", 3128, "tcp", ["http_proxy"]],
  ["mysql", 3306, "tcp", []],
  ["sieve", 4190, "tcp", []],
  ["sip", 5060, "both", []],
  ["postgresql", 5432, "tcp", ["postgres"]],
  ["x11", 6000, "tcp", ["x11-0"]],
  ["redis", 6379, "tcp", []],
  ["http-alt", 8080, "tcp", ["webcache"]],
];

type MutableTable = Map<string, { tcp?: number; udp?: number }>;

function add(table: MutableTable, name: string, port: number, protocol: PortProtocol): void {
  const entry = table.get(name) ?? {};
  // The first definition wins, as getservbyname returns the first matching line.
  if (entry[protocol] === undefined) entry[protocol] = port;
  table.set(name, entry);
}

/** The built-in table (used when /etc/services is missing, and for names it lacks). */
export function builtinServices(): ServicesTable {
  const table: MutableTable = new Map();
  for (const [name, port, protocols, aliases] of BUILTIN) {
    for (const n of [name, ...aliases]) {
      if (protocols !== "udp") add(table, n, port, "tcp");
      if (protocols !== "tcp") add(table, n, port, "udp");
    }
  }
  return table;
}

/** Parse /etc/services text: `name port/proto [aliases…] [# comment]`. Malformed lines are skipped. */
export function parseServicesFile(text: string): ServicesTable {
  const table: MutableTable = new Map();
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/(tcp|udp)$/.exec(portProto ?? "");
    if (name === undefined || m === null) continue;
    const port = Number(m[1]);
    if (port > 65535) continue;
    for (const n of [name, ...aliases]) add(table, n, port, m[2] as PortProtocol);
  }
  return table;
}

let systemTable: ServicesTable | undefined;

/** /etc/services merged over the built-in table (read once per process). */
export function systemServices(): ServicesTable {
  if (systemTable !== undefined) return systemTable;
  const merged: MutableTable = new Map();
  let fromFile: ServicesTable = new Map();
  try {
    fromFile = parseServicesFile(readFileSync("/etc/services", "utf8"));
  } catch {
    // No netbase: the built-in table alone.
  }
  for (const table of [fromFile, builtinServices()]) {
    for (const [name, entry] of table) {
      if (entry.tcp !== undefined) add(merged, name, entry.tcp, "tcp");
      if (entry.udp !== undefined) add(merged, name, entry.udp, "udp");
    }
  }
  systemTable = merged;
  return merged;
}

/** The port of a service name for a protocol (default: /etc/services, then the built-in table). */
export function lookupServicePort(name: string, protocol: PortProtocol, table: ServicesTable = systemServices()): number | undefined {
  return table.get(name)?.[protocol];
}

/** Every check service ldirectord accepts in `service=`. */
export const SERVICES: readonly Service[] = [
  "dns", "ftp", "http", "https", "http_proxy", "imap", "imaps", "ldap", "ldaps", "nntp", "mysql", "none",
  "oracle", "pop", "pops", "radius", "pgsql", "sip", "smtp", "submission", "simpletcp",
];

const PORT_TO_SERVICE: ReadonlyMap<number, Service> = new Map<number, Service>([
  [21, "ftp"], [25, "smtp"], [53, "dns"], [80, "http"], [110, "pop"], [119, "nntp"], [143, "imap"], [389, "ldap"],
  [443, "https"], [587, "submission"], [636, "ldaps"], [993, "imaps"], [995, "pops"], [1521, "oracle"],
  [1812, "radius"], [3128, "http_proxy"], [3306, "mysql"], [5060, "sip"], [5432, "pgsql"],
]);

/** ldirectord's `ld_port_to_service`: the check service implied by a virtual port (`none` when unknown). */
export function serviceForPort(port: number): Service {
  return PORT_TO_SERVICE.get(port) ?? "none";
}

/** ldirectord's `ld_service_to_port`: the well-known port of a check service (0 for `none`/`simpletcp`). */
export function portForService(service: Service): number {
  for (const [port, s] of PORT_TO_SERVICE) if (s === service) return port;
  return 0;
}
