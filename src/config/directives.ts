// Which directives exist, where each may appear, and the nearest known name for a typo.

/** Where a directive may appear. */
export type Scope = "global" | "virtual" | "both";

/** Every directive of ldirectord 4.12 (plus the deprecated ones we accept with a warning), with its scope. */
export const DIRECTIVES: Readonly<Record<string, Scope>> = {
  // global only
  autoreload: "global",
  callback: "global",
  logfile: "global",
  execute: "global",
  fork: "global",
  supervised: "global",
  readdquiescent: "global",
  emailalertfrom: "global",
  maintenancedir: "global",
  timeout: "global",
  // both
  checktimeout: "both",
  negotiatetimeout: "both",
  connecttimeout: "both",
  checkinterval: "both",
  checkcount: "both",
  failurecount: "both",
  fallback: "both",
  fallback6: "both",
  fallbackcommand: "both",
  quiescent: "both",
  emailalert: "both",
  emailalertfreq: "both",
  emailalertstatus: "both",
  cleanstop: "both",
  smtp: "both",
  // virtual only
  real: "virtual",
  real6: "virtual",
  request: "virtual",
  receive: "virtual",
  checktype: "virtual",
  checkcommand: "virtual",
  checkport: "virtual",
  login: "virtual",
  passwd: "virtual",
  database: "virtual",
  secret: "virtual",
  load: "virtual",
  scheduler: "virtual",
  persistent: "virtual",
  netmask: "virtual",
  schedflags: "virtual",
  protocol: "virtual",
  ops: "virtual",
  service: "virtual",
  httpmethod: "virtual",
  virtualhost: "virtual",
  monitorfile: "virtual",
  servicename: "virtual",
  comment: "virtual",
};

/** The scope of a known directive (virtual= / virtual6= start a section and are handled by the parser). */
export function directiveScope(name: string): Scope | undefined {
  return Object.hasOwn(DIRECTIVES, name) ? DIRECTIVES[name] : undefined;
}

/** True when the directive may appear at global level. */
export function allowedGlobally(name: string): boolean {
  const s = directiveScope(name);
  return s === "global" || s === "both";
}

/** True when the directive may appear inside a virtual section. */
export function allowedInVirtual(name: string): boolean {
  const s = directiveScope(name);
  return s === "virtual" || s === "both";
}

/** Levenshtein distance, bounded: returns limit+1 as soon as it is exceeded. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

/** The closest of the candidates to a mistyped word (case-insensitive first, then edit distance ≤ 2), if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    // Short names tolerate one edit, longer ones two.
    const limit = Math.min(2, Math.max(1, Math.floor(c.length / 3)));
    const d = distance(lower, c.toLowerCase(), limit);
    if (d <= limit && d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) {
    // A known name glued to extra text (`checktypes`, `realserver`).
    best = candidates.filter((c) => c.length >= 4 && lower.startsWith(c)).sort((a, b) => b.length - a.length)[0];
  }
  return best;
}

/** All directive names, including virtual and virtual6. */
export const ALL_DIRECTIVE_NAMES: readonly string[] = ["virtual", "virtual6", ...Object.keys(DIRECTIVES)];
