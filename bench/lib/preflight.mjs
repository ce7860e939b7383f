// What each part of the benchmark needs on this machine, and what to install when it is missing.
// The bench never installs anything itself.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Find an executable on PATH plus the sbin folders (where Debian puts ipvsadm, keepalived, insmod). */
export function which(name) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name);
  return undefined;
}

/** Tools, with the Debian package that provides each. */
const TOOLS = {
  nginx: "nginx-light",
  "linux.uml": "user-mode-linux",
  ipvsadm: "ipvsadm",
  ip: "iproute2",
  insmod: "kmod",
  ldirectord: "ldirectord",
  keepalived: "keepalived",
};

/** Part → tools it needs. */
export const NEEDS = {
  host: ["nginx"],
  lab: ["linux.uml", "ipvsadm", "ip", "insmod"],
  table: ["linux.uml", "ipvsadm", "ip", "insmod"],
  ldirectord: ["ldirectord"],
  keepalived: ["keepalived"],
};

/** Missing tools of a part, as { tool, pkg } (empty when everything is there). */
export function missingFor(part) {
  return (NEEDS[part] ?? []).filter((t) => which(t) === undefined).map((tool) => ({ tool, pkg: TOOLS[tool] }));
}

/** The one-line install hint for missing tools. */
export function installHint(missing) {
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(" ");
  return `missing ${missing.map((m) => m.tool).join(", ")}: install with  apt-get install --no-install-recommends ${pkgs}`;
}
