// The side-by-side configuration, generated from one list of virtuals and reals, rendered for ldirectord
// (and ldirectord-ts: the same file) and for keepalived. Addresses only ever live inside the lab kernel.
import { createHash } from "node:crypto";

/** Namespaces serving the reals (each holds up to 50 addresses, one server process per namespace). */
export const NAMESPACES = 4;
/** The health-check page every real serves, and its body. */
export const CHECK_PATH = "/check.html";
export const CHECK_BODY = "OK\n";

/** `virtuals` × `perVirtual` reals: real j of virtual v lives in namespace (j mod 4)+1 at 10.200.ns.(10+v). */
export function makeLayout(virtuals, perVirtual) {
  const list = [];
  for (let v = 0; v < virtuals; v++) {
    const reals = [];
    for (let j = 0; j < perVirtual; j++) {
      const ns = (j % NAMESPACES) + 1;
      // Distinct, non-zero weights so "in the table with its weight" is a real test.
      reals.push({ ns, ip: `10.200.${ns}.${10 + v + 50 * Math.floor(j / NAMESPACES)}`, port: 80, weight: 1 + ((v + j) % 3) });
    }
    list.push({ vip: `10.100.${Math.floor(v / 250)}.${(v % 250) + 1}`, port: 80, reals });
  }
  return list;
}

/** Addresses each namespace must carry for a layout: Map ns → address[]. */
export function addressesByNamespace(layout) {
  const m = new Map();
  for (const vs of layout) for (const r of vs.reals) {
    const a = m.get(r.ns) ?? [];
    if (!a.includes(r.ip)) a.push(r.ip);
    m.set(r.ns, a);
  }
  return m;
}

/** ldirectord.cf text (also read unchanged by ldirectord-ts). */
export function ldirectordConfig(layout, { checkinterval = 1, timeout = 2, logfile }) {
  const lines = [
    `checkinterval=${checkinterval}`,
    `checktimeout=${timeout}`,
    `negotiatetimeout=${timeout}`,
    "quiescent=yes",
    "supervised=yes",
    "autoreload=no",
    `logfile="${logfile}"`,
    "",
  ];
  for (const vs of layout) {
    lines.push(`virtual=${vs.vip}:${vs.port}`);
    for (const r of vs.reals) lines.push(`\treal=${r.ip}:${r.port} gate ${r.weight}`);
    lines.push("\tservice=http", `\trequest="${CHECK_PATH.slice(1)}"`, '\treceive="OK"', "\tchecktype=negotiate", "\tscheduler=wrr", "\tprotocol=tcp", "");
  }
  return lines.join("\n");
}

/** keepalived.conf with the same virtuals and reals: HTTP_GET of the same page, body checked by digest. */
export function keepalivedConfig(layout, { checkinterval = 1, timeout = 2, alpha = true }) {
  const digest = createHash("md5").update(CHECK_BODY).digest("hex");
  const out = ["global_defs {", "  router_id bench", "}", ""];
  for (const vs of layout) {
    out.push(`virtual_server ${vs.vip} ${vs.port} {`, `  delay_loop ${checkinterval}`, "  lb_algo wrr", "  lb_kind DR", "  protocol TCP");
    // alpha: a real enters the table only after a check passed, as with ldirectord; without it keepalived
    // adds every real at start-up unchecked.
    if (alpha) out.push("  alpha");
    for (const r of vs.reals) {
      out.push(
        `  real_server ${r.ip} ${r.port} {`,
        `    weight ${r.weight}`,
        "    inhibit_on_failure",
        "    HTTP_GET {",
        `      url {`,
        `        path ${CHECK_PATH}`,
        `        digest ${digest}`,
        "      }",
        `      connect_timeout ${timeout}`,
        "      retry 0",
        "      delay_before_retry 1",
        "    }",
        "  }",
      );
    }
    out.push("}", "");
  }
  return out.join("\n");
}
