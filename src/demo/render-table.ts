// The IPVS table as `ipvsadm -L -n` shows it, for the demo's output. Pure.
import type { IpvsTable, TableReal, TableService } from "../ipvs/types.js";

const FORWARD: Record<TableReal["forward"], string> = { gate: "Route", masq: "Masq", ipip: "Tunnel" };

function hostPort(address: string | undefined, family: 4 | 6, port: number): string {
  const a = address ?? "";
  return family === 6 ? `[${a}]:${port}` : `${a}:${port}`;
}

function serviceLine(s: TableService): string {
  const where = s.protocol === "fwm" ? `FWM  ${s.fwmark ?? 0}${s.family === 6 ? " IPv6" : ""}` : `${s.protocol.toUpperCase()}  ${hostPort(s.address, s.family, s.port)}`;
  const flags = [s.persistent === undefined ? "" : `persistent ${s.persistent}`, s.ops ? "ops" : ""].filter((f) => f !== "").join(" ");
  return `${where} ${s.scheduler}${flags === "" ? "" : ` ${flags}`}`;
}

/** Render a table like `ipvsadm -L -n` (without the connection counters, which a dry run does not have). */
export function renderTable(table: IpvsTable): string {
  const lines = ["Prot LocalAddress:Port Scheduler Flags", "  -> RemoteAddress:Port           Forward Weight"];
  for (const s of table) {
    lines.push(serviceLine(s));
    for (const r of s.reals) lines.push(`  -> ${hostPort(r.address, r.family, r.port).padEnd(28)}${FORWARD[r.forward].padEnd(8)}${r.weight}`);
  }
  return lines.join("\n");
}
