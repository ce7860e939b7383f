// TableOp → ipvsadm arguments, in the exact templates ldirectord uses (LDIRECTORD.md §3.1), as argv, as a line for
// `ipvsadm -R`, and as a complete shell command line.
import type { Forward } from "../config/types.js";
import type { ServiceSpec, TableOp, TableReal } from "./types.js";

const FORWARD_FLAG: Record<Forward, string> = { gate: "-g", masq: "-m", ipip: "-i" };

/** `PROTO VIRT`: `-t 10.0.0.1:80`, `-u [2001:db8::1]:53`, `-f 42`, `-f 42 -6`. */
export function serviceArgs(s: ServiceSpec): string[] {
  if (s.protocol === "fwm") return s.family === 6 ? ["-f", String(s.fwmark ?? 0), "-6"] : ["-f", String(s.fwmark ?? 0)];
  const host = s.family === 6 ? `[${s.address ?? ""}]` : (s.address ?? "");
  return [s.protocol === "tcp" ? "-t" : "-u", `${host}:${s.port}`];
}

/** `RIP:RPORT` with IPv6 in brackets. */
export function realArg(r: TableReal): string {
  return r.family === 6 ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
}

/** `[-o] -s SCHED [-p N [-M MASK]] [-b FLAGS]`: -o only for udp, as ldirectord. */
function serviceFlags(s: ServiceSpec): string[] {
  const out: string[] = [];
  if (s.ops && s.protocol === "udp") out.push("-o");
  out.push("-s", s.scheduler);
  if (s.persistent !== undefined) {
    out.push("-p", String(s.persistent));
    if (s.netmask !== undefined) out.push("-M", s.netmask);
  }
  if (s.schedflags !== undefined && s.schedflags !== "") out.push("-b", s.schedflags);
  return out;
}

/** `-x U -y L -r RIP:RPORT FWD -w W` (thresholds always given, so an edit also resets them). */
function realFlags(r: TableReal): string[] {
  return ["-x", String(r.upperThreshold), "-y", String(r.lowerThreshold), "-r", realArg(r), FORWARD_FLAG[r.forward], "-w", String(r.weight)];
}

/** The ipvsadm argv (without the program name) for one operation. */
export function formatOp(op: TableOp): string[] {
  switch (op.kind) {
    case "add-service":
      return ["-A", ...serviceArgs(op.service), ...serviceFlags(op.service)];
    case "edit-service":
      return ["-E", ...serviceArgs(op.service), ...serviceFlags(op.service)];
    case "delete-service":
      return ["-D", ...serviceArgs(op.service)];
    case "add-real":
      return ["-a", ...serviceArgs(op.service), ...realFlags(op.real)];
    case "edit-real":
      return ["-e", ...serviceArgs(op.service), ...realFlags(op.real)];
    case "delete-real":
      return ["-d", ...serviceArgs(op.service), "-r", realArg(op.real)];
  }
}

/** The operation as one line of `ipvsadm -R` input (the `-S` format). */
export function formatRestoreLine(op: TableOp): string {
  return formatOp(op).join(" ");
}

/** Quote one word for a POSIX shell when it needs it (IPv6 brackets are glob characters). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A complete command line a shell could run: `ipvsadm -a -t 10.0.0.1:80 -x 0 -y 0 -r 10.0.0.5:80 -g -w 1`. */
export function formatCommand(op: TableOp, program = "ipvsadm"): string {
  return [program, ...formatOp(op)].map(shellWord).join(" ");
}
