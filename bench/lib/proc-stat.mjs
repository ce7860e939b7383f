// CPU time and memory of a process and its descendants, read from /proc (Linux only).
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

let ticks;
/** Clock ticks per second (USER_HZ). */
export function clockTicks() {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  return ticks;
}

function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: fields start after the last ")".
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** Pids of every live descendant of `root`. */
export function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(name);
    if (s) parent.set(Number(name), s.ppid);
  }
  const out = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop();
    for (const [pid, pp] of parent) if (pp === p) { out.push(pid); frontier.push(pid); }
  }
  return out;
}

/** CPU seconds used so far by `pid`, its reaped children, and its live descendants. */
export function treeCpuSeconds(pid) {
  const hz = clockTicks();
  const root = statOf(pid);
  if (root === undefined) return undefined;
  let t = root.utime + root.stime + root.cutime + root.cstime;
  for (const d of descendants(pid)) {
    const s = statOf(d);
    if (s) t += s.utime + s.stime;
  }
  return t / hz;
}

/** Resident set size in MB and its peak (VmHWM) for one pid. */
export function memoryMb(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

/** Resident set size in MB of `pid` plus its live descendants (keepalived runs a checker child). */
export function treeRssMb(pid) {
  let mb = memoryMb(pid)?.rssMb;
  if (mb === undefined) return undefined;
  for (const d of descendants(pid)) mb += memoryMb(d)?.rssMb ?? 0;
  return mb;
}
