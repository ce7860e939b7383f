#!/usr/bin/env node
// Micro-benchmark behind the profiling notes: the CPU cost of one HTTP negotiate probe on loopback, done
// (a) by ldirectord-ts's runCheck, (b) by an undici Client per probe destroyed with a shared error object
// (no stack trace captured per probe), (c) by a plain node:net socket writing the request and scanning the
// response. Same nginx, same concurrency, same count. Usage: node http-probe-micro.mjs [N=1000] [count=6000] [conc=64]
import { readFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { Client } from "undici";
import { hostConfig, FIRST_PORT } from "./host-bench.mjs";
import { startLoopbackNginx } from "./loopback-nginx.mjs";
import { percentile, round } from "../lib/stats.mjs";

const [n = 1000, count = 6000, conc = 64] = process.argv.slice(2).map(Number);
const { parseConfig } = await import(new URL("../../dist/config/index.js", import.meta.url));
const { runCheck } = await import(new URL("../../dist/checks/index.js", import.meta.url));
writeFileSync("/tmp/bench-micro.cf", hostConfig(n, "/tmp/bench-micro.log"));
const { config } = await parseConfig(await readFile("/tmp/bench-micro.cf"), "/tmp/bench-micro.cf");
const pairs = config.virtuals.flatMap((v) => v.reals.map((r) => [v, r]));
const nginx = await startLoopbackNginx(FIRST_PORT, n);
const SHARED = new Error("check finished");

async function viaRunCheck(v, r) {
  return (await runCheck(v, r)).ok;
}
async function viaUndiciShared(v, r) {
  const client = new Client(`http://${r.address}:${r.port}`, { pipelining: 0, headersTimeout: 5000, bodyTimeout: 5000, connectTimeout: 5000 });
  try {
    const res = await client.request({ method: "GET", path: "/check.html", headers: { host: r.address, "user-agent": "ldirectord-ts", connection: "close" } });
    const body = await res.body.text();
    return res.statusCode === 200 && /OK/.test(body);
  } finally {
    await client.destroy(SHARED).catch(() => undefined);
  }
}
function viaNet(v, r) {
  return new Promise((resolve) => {
    const s = net.connect({ host: r.address, port: r.port });
    let buf = "";
    s.setEncoding("latin1");
    s.on("connect", () => s.write(`GET /check.html HTTP/1.1\r\nHost: ${r.address}\r\nUser-Agent: ldirectord-ts\r\nConnection: close\r\n\r\n`));
    s.on("data", (d) => { buf += d; });
    s.on("end", () => { s.destroy(); resolve(/^HTTP\/1\.[01] 200/.test(buf) && /OK/.test(buf.slice(buf.indexOf("\r\n\r\n")))); });
    s.on("error", () => resolve(false));
  });
}

async function measure(name, fn) {
  let i = 0;
  let ok = 0;
  const durs = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (i < count) {
      const [v, r] = pairs[i++ % pairs.length];
      const s = performance.now();
      if (await fn(v, r)) ok++;
      durs.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { name, ok, perS: round(count / wall), cpuUsPerProbe: round((cpu.user + cpu.system) / count), p50Ms: round(percentile(durs, 50)), p99Ms: round(percentile(durs, 99)) };
}

const out = [];
for (const [name, fn] of [["runCheck (undici, destroy())", viaRunCheck], ["undici, destroy(shared error)", viaUndiciShared], ["node:net request/response scan", viaNet]]) {
  await measure(name, fn); // warm-up round
  out.push(await measure(name, fn));
}
await nginx.stop();
console.table(out);
