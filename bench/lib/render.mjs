// Render benchmark results (the latest.json shape) as Markdown tables: readable in a terminal and pasted
// as is into the README's Performance section.

const fmt = (x, unit = "", d = 0) => (x === undefined || x === null || Number.isNaN(x) ? "–" : `${Number(x).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d })}${unit}`);
const fmtMs = (x) => (x === undefined || x === null ? "–" : x >= 10_000 ? fmt(x / 1000, " s", 1) : fmt(x, " ms", x < 100 ? 1 : 0));
/** "×N" for how many times `base` is bigger than `ours` (higher is better for ours). */
const times = (base, ours) => (base && ours ? `${fmt(base / ours, "", base / ours >= 10 ? 0 : 2)}×` : "–");

function host(h) {
  const rows = [
    "| Reals | Checks/s | Of target | CPU (cores) | CPU s / 1,000 checks | Peak RSS | Gap lag p50 | Gap lag p99 | Scheduler lag p50 | Scheduler lag p99 |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of h.sizes) {
    rows.push(`| ${fmt(s.n)} | ${fmt(s.checksPerS)} | ${fmt(s.sustained * 100, " %", 1)} | ${fmt(s.cpuCores, "", 2)} | ${fmt(s.cpuSPer1000, "", 4)} | ${fmt(s.peakRssMb, " MB")} | ${fmtMs(s.lagP50Ms)} | ${fmtMs(s.lagP99Ms)} | ${s.daemonLagP50Ms === undefined ? "–" : `≤ ${fmtMs(s.daemonLagP50Ms)}`} | ${s.daemonLagP99Ms === undefined ? "–" : `≤ ${fmtMs(s.daemonLagP99Ms)}`} |`);
  }
  return rows.join("\n");
}

function lab(l) {
  const ts = l["ldirectord-ts"];
  const ld = l.ldirectord;
  const ka = l.keepalived;
  const cell = (d, f) => (d ? f(d) : "not run");
  const rows = [
    "| Figure (lab kernel, 50 virtuals × 4 reals, HTTP, checkinterval 1) | ldirectord-ts | ldirectord 4.12 | keepalived 2.2.7 | ldirectord ÷ ours | keepalived ÷ ours |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  const add = (name, get, show, lowerBetter = true) => {
    const [a, b, c] = [ts, ld, ka].map((d) => (d ? get(d) : undefined));
    rows.push(`| ${name} | ${cell(ts, () => show(a))} | ${cell(ld, () => show(b))} | ${cell(ka, () => show(c))} | ${lowerBetter ? times(b, a) : times(a, b)} | ${lowerBetter ? times(c, a) : times(a, c)} |`);
  };
  add("Cold start, 3 reals: start → all in table with weight", (d) => d.cold3MedianMs, fmtMs);
  add("Cold start, 200 reals", (d) => d.cold200MedianMs, fmtMs);
  add("CPU seconds over 10 s steady state", (d) => d.cpu10sMedian, (x) => fmt(x, " s", 2));
  add("RSS (process tree)", (d) => d.rssMb, (x) => fmt(x, " MB"));
  add("Detection, refused: p50", (d) => d.refused?.p50Ms, fmtMs);
  add("Detection, refused: p99", (d) => d.refused?.p99Ms, fmtMs);
  add("Detection, hung: p50", (d) => d.hung?.p50Ms, fmtMs);
  add("Detection, hung: p99", (d) => d.hung?.p99Ms, fmtMs);
  const runs = [ts, ld, ka].filter(Boolean).map((d) => `${d.director}: ${d.runs} runs (3 reals), ${d.runs200 ?? d.runs} (200 reals), ${d.trials} trials per detection mode, timeout ${d.timeoutS} s`);
  return rows.join("\n") + "\n\n" + runs.map((r) => `- ${r}`).join("\n");
}

function table(t) {
  const rows = [
    `| ${fmt(t.changes)} real-server changes (lab kernel) | add | edit weight | per change |`,
    "|---|---:|---:|---:|",
    `| one \`ipvsadm -R\` batch | ${fmtMs(t.batchAddMs)} | ${fmtMs(t.batchEditMs)} | ${fmt(t.batchPerChangeMs * 1000, " µs")} |`,
    `| one ipvsadm process per change (measured on ${fmt(t.singleSample)}, scaled to ${fmt(t.changes)}) | ${fmtMs((t.singleAddMs * t.changes) / t.singleSample)} | ${fmtMs((t.singleEditMs * t.changes) / t.singleSample)} | ${fmt(t.singlePerChangeMs, " ms", 2)} |`,
  ];
  if (t.backendAddMs !== undefined) rows.push(`| ldirectord-ts ipvsadm backend \`apply()\` | ${fmtMs(t.backendAddMs)} | ${fmtMs(t.backendEditMs)} | ${fmt(((t.backendAddMs + t.backendEditMs) / (2 * t.changes)) * 1000, " µs")} |`);
  else rows.push(`| ldirectord-ts ipvsadm backend | ${t.backendError ?? "not measured"} | | |`);
  return rows.join("\n");
}

/** All sections present in `r`, as Markdown. */
export function renderTable(r) {
  const out = [];
  if (r.machine) out.push(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memGb} GB, Linux ${r.machine.kernel}, Node ${r.machine.node}; load average ${r.machine.loadAvg1 ?? "?"} at start; commit ${r.machine.commit ?? "?"}; ${r.machine.at}`);
  if (r.host) out.push(`\n### Host: ldirectord-ts --backend dry-run, HTTP negotiate every 1 s against one nginx on N loopback ports (median of ${r.host.runs} runs)\n\n${host(r.host)}\n\nGap lag: time between two checks of the same real as nginx saw them, minus the 1 s interval (includes the check's own duration). Scheduler lag: the daemon's own histogram (actual − scheduled start, bucket upper bound), cumulative since start-up as last written to its state file.`);
  if (r.lab) out.push(`\n### Lab kernel (user-mode Linux 6.1, real IPVS), side by side (medians; detection: p50/p99 of the trials; "÷ ours" above 1 means ldirectord-ts is better)\n\n${lab(r.lab)}`);
  if (r.table) out.push(`\n### Table writes\n\n${table(r.table)}`);
  if (r.skipped?.length) out.push(`\nSkipped:\n${r.skipped.map((s) => `- ${s}`).join("\n")}`);
  return out.join("\n");
}
