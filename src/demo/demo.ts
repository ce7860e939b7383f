// `npm run demo`: the whole loop in under a minute, without root or IPVS. Three HTTP real servers on 127.0.0.1,
// the director on the dry-run backend (the ipvsadm commands are printed, nothing reaches the kernel), one server
// fails and comes back, and the table is printed each time it changes.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../config/index.js";
import { createDirector } from "../daemon/director.js";
import type { DirectorHooks } from "../daemon/hooks.js";
import { createIpvsBackend, loadPlanner } from "../daemon/ipvs-wiring.js";
import type { IpvsTable } from "../ipvs/types.js";
import { createLogger } from "../ops/logger.js";
import { createOperations } from "../ops/index.js";
import { renderTable } from "./render-table.js";
import { startDemoServer, type DemoServer } from "./real-servers.js";

/** The whole demo must end within this (it exits 1 if a step does not happen in time). */
export const DEMO_DEADLINE_MS = 50_000;

const started = Date.now();
const out = (line: string): void => {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`${line.split("\n").map((l, i) => (i === 0 ? `[${t}s] ${l}` : `         ${l}`)).join("\n")}\n`);
};

/** Resolve when pred() holds, or reject after ms. */
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`demo: ${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Let the reader watch a state for a moment. */
async function hold(ms: number, what: string): Promise<void> {
  out(`... ${what} (watching ${ms / 1000} s)`);
  await new Promise((r) => setTimeout(r, ms));
}

/** examples/demo.cf with the ports the servers got. */
export async function demoConfigText(ports: readonly number[]): Promise<string> {
  const template = await readFile(fileURLToPath(new URL("../../examples/demo.cf", import.meta.url)), "utf8");
  let i = 0;
  return template.replace(/127\.0\.0\.1:808[1-3]/g, () => `127.0.0.1:${ports[i++] ?? 0}`);
}

async function main(): Promise<number> {
  const servers: DemoServer[] = [];
  for (const name of ["web1", "web2", "web3"]) servers.push(await startDemoServer(name));
  const ports = servers.map((s) => s.port);
  out(`three HTTP real servers on 127.0.0.1:${ports.join(", 127.0.0.1:")} (GET /health answers 200 "OK ...")`);

  const dir = await mkdtemp(join(tmpdir(), "ldirectord-ts-demo-"));
  const file = join(dir, "demo.cf");
  await writeFile(file, await demoConfigText(ports));
  const parsed = await parseConfig(await readFile(file), file);
  if (parsed.config === undefined) throw new Error(`demo config: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  const config = parsed.config;
  out(`config ${file}: virtual 127.0.0.100:80, checkinterval ${config.globals.checkinterval} s, quiescent=no`);

  const log = createLogger({ level: "warn" });
  const ops = createOperations(config, { logger: log.logger });
  let table: IpvsTable = [];
  let shownTable = "";
  const transitions: string[] = [];
  const hooks: DirectorHooks = {
    ...ops.hooks,
    onTransition(t) {
      ops.hooks.onTransition?.(t);
      const what = t.to === "up" ? (t.from === "unknown" ? "Added" : "Restored") : "Deleted";
      const line = `${what} real server: 127.0.0.1:${t.real.port} (127.0.0.100:80)  [${t.from} → ${t.to}: ${t.reason}]`;
      transitions.push(line);
      out(line);
    },
  };
  // The dry-run backend keeps the table in memory and reports each ipvsadm command it would run.
  const backend = await createIpvsBackend("dry-run", { log: (line) => out(`  ${line}`) });
  const planChanges = await loadPlanner();
  const showTable = async (): Promise<void> => {
    table = await backend.read();
    const text = renderTable(table);
    // Nothing to show before the first write (the director holds the table until its first round of checks).
    if (text !== shownTable && (shownTable !== "" || table.length > 0)) {
      shownTable = text;
      out(`table now:\n${text}`);
    }
  };
  const director = createDirector({ config, backend, logger: log.logger, hooks, planChanges, logTransitions: false, onChange: () => void showTable() });
  const realsIn = (): number => table.reduce((n, s) => n + s.reals.filter((r) => r.weight > 0).length, 0);

  try {
    out("starting the director (dry-run backend: commands are printed, the kernel is not touched)");
    await director.start();
    await until(() => realsIn() === 3, 15_000, "all three real servers in the table");
    await hold(3_000, "steady state: checks keep running every second, and nothing changes, so no ipvsadm command");

    out(`>>> failing web2 (127.0.0.1:${ports[1]}): its /health now answers 503`);
    servers[1]?.setHealthy(false);
    await until(() => realsIn() === 2, 15_000, "web2 leaving the table");
    await hold(3_000, "web2 stays out while its check fails");

    out(`>>> bringing web2 back`);
    servers[1]?.setHealthy(true);
    await until(() => realsIn() === 3, 15_000, "web2 coming back");
    await hold(2_000, "all three in again");

    out("stopping the director (cleanstop=yes removes the virtual service)");
    await director.stop();
    await ops.close();
    out(`done: ${transitions.length} transitions, the whole loop in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    out("next: bin/ldirectord-ts -d --backend dry-run examples/demo.cf start   (your own servers on ports 8081-8083)");
    return 0;
  } finally {
    await log.close();
    for (const s of servers) await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  process.stderr.write(`demo: did not finish within ${DEMO_DEADLINE_MS} ms\n`);
  process.exit(1);
}, DEMO_DEADLINE_MS);
deadline.unref();
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
