// Read the kernel IPVS table from /proc/net/ip_vs (cheaper than running ipvsadm while timing).
import { readFileSync } from "node:fs";

function hexAddr(h) {
  const [a, p] = h.split(":");
  const n = parseInt(a, 16);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}:${parseInt(p, 16)}`;
}

/** Map "VIP:VPORT RIP:RPORT" → weight for every TCP/UDP IPv4 real in the table. */
export function readRealWeights(text = readFileSync("/proc/net/ip_vs", "utf8")) {
  const out = new Map();
  let service;
  for (const line of text.split("\n")) {
    const s = /^(TCP|UDP)\s+([0-9A-F]{8}:[0-9A-F]{4})/.exec(line);
    if (s) { service = hexAddr(s[2]); continue; }
    const r = /^\s+->\s+([0-9A-F]{8}:[0-9A-F]{4})\s+\S+\s+(\d+)/.exec(line);
    if (r && service !== undefined) out.set(`${service} ${hexAddr(r[1])}`, Number(r[2]));
  }
  return out;
}

/** The key readRealWeights uses for a real of a virtual. */
export function realKey(vs, r) {
  return `${vs.vip}:${vs.port} ${r.ip}:${r.port}`;
}
