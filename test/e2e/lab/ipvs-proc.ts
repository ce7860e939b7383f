// /proc/net/ip_vs in readable form for assertions: hex addresses and ports decoded, reals as `addr:port Fwd weight`.

/** One service of /proc/net/ip_vs. */
export interface ProcService {
  /** Scheduler and flags as printed after the address (e.g. `wlc ops`, `rr persistent 30000 FFFFFF00`). */
  readonly flags: string;
  readonly reals: string[];
}

function hexAddr(text: string): string {
  const v6 = /^\[([0-9a-f:]+)\]$/i.exec(text);
  if (v6 !== null) return `[${new URL(`http://[${v6[1] ?? ""}]/`).hostname.slice(1, -1)}]`;
  return (text.match(/../g) ?? []).map((b) => parseInt(b, 16)).join(".");
}

function hexHostPort(text: string): string {
  const i = text.lastIndexOf(":");
  return `${hexAddr(text.slice(0, i))}:${parseInt(text.slice(i + 1), 16)}`;
}

/** Services keyed `TCP 10.10.9.1:80`, `UDP [fd00::1]:53`, `FWM 42`. */
export function procTable(text: string): Record<string, ProcService> {
  const out: Record<string, ProcService> = {};
  let current: ProcService | undefined;
  for (const line of text.split("\n")) {
    const svc = /^(TCP|UDP|FWM)\s+(\S+)\s+(.*?)\s*$/.exec(line);
    if (svc !== null) {
      const where = svc[1] === "FWM" ? String(parseInt(svc[2] ?? "", 16)) : hexHostPort(svc[2] ?? "");
      current = { flags: (svc[3] ?? "").replace(/\s+/g, " "), reals: [] };
      out[`${svc[1]} ${where}`] = current;
      continue;
    }
    const real = /^\s+->\s+(\S+)\s+(\w+)\s+(\d+)\s/.exec(line);
    if (real !== null && current !== undefined && real[1] !== "RemoteAddress:Port") current.reals.push(`${hexHostPort(real[1] ?? "")} ${real[2]} ${real[3]}`);
  }
  return out;
}
