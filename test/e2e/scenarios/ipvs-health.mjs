// Lab scenarios 2 and 3 of issue 4 (one boot): real HTTP servers in namespaces, the real checks (dist/checks), the
// desired table, and reconcile through ipvsadm, step by step as servers fail and recover; the kernel table is
// recorded after every step, and a request through each VIP shows who answers.
import http from "node:http";
import { rmSync, writeFileSync, mkdirSync } from "node:fs";
import { checks, config, ipvs, result, snapshot } from "./ipvs-common.mjs";

const CF = `checktimeout=3
virtual=10.10.9.1:80
	real=10.10.0.11:80 masq 3
	real=10.10.0.12:80 masq 2
	quiescent=yes
	checktype=negotiate
	service=http
	request="health"
	receive="ok"
	scheduler=wrr
virtual=10.10.9.2:80
	real=10.10.0.11:80 masq 3
	real=10.10.0.12:80 masq 2
	fallback=10.10.0.13:80 masq
	quiescent=no
	checktype=negotiate
	service=http
	request="health"
	receive="ok"
	scheduler=wrr
`;
process.stderr.write(`scenario loaded after ${Math.round(process.uptime() * 1000)} ms\n`);
const conf = await config(CF);
const backend = await ipvs.createIpvsadmBackend();

/** Mark a server's /health failing or passing (lib.sh lab_http reads these files). */
function setHealth(ns, up) {
  mkdirSync("/tmp/lab-http", { recursive: true });
  const f = `/tmp/lab-http/${ns}-80.down`;
  if (up) rmSync(f, { force: true });
  else writeFileSync(f, "");
}

/** One round: check every real for real, reconcile the kernel to the desired table, record it and who answers. */
async function step(name) {
  const t0 = Date.now();
  const pairs = conf.virtuals.flatMap((v) => v.reals.map((r) => [v, r]));
  const verdicts = new Map(
    await Promise.all(pairs.map(async ([v, r]) => [`${v.key} ${ipvs.realKey(r)}`, (await checks.runCheck(v, r)).ok ? "up" : "down"])),
  );
  const log = [];
  const rec = await ipvs.reconcile(backend, ipvs.desiredTable(conf, { health: (v, r) => verdicts.get(`${v} ${r}`) ?? "unknown" }), { log: (l) => log.push(l) });
  result(`${name}_failed`, rec.failed.length);
  result(`${name}_log`, log.join(" | "));
  snapshot(name);
  for (const vip of ["10.10.9.1", "10.10.9.2"]) {
    // A fresh connection per request (no keep-alive): IPVS schedules new connections only, and an old one would
    // still reach a quiesced real (that is what quiescent is for) or hang on a deleted one.
    const body = await new Promise((resolve) => {
      const req = http.get({ host: vip, port: 80, path: "/", agent: false, timeout: 3000, headers: { connection: "close" } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d) => (text += d)).on("end", () => resolve(text.trim()));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (err) => resolve(`error:${err.code ?? err.message}`));
    });
    result(`${name}_via_${vip}`, body);
  }
  process.stderr.write(`step ${name}: ${Date.now() - t0} ms\n`);
}

await step("all-up");
setHealth("rs2", false);
await step("rs2-down"); // scenario 2: quiesced in 9.1 (weight 0), gone from 9.2
setHealth("rs2", true);
await step("rs2-back"); // back with its weight in both
setHealth("rs1", false);
setHealth("rs2", false);
await step("all-down"); // scenario 3: fallback in on 9.2
setHealth("rs1", true);
await step("rs1-back"); // fallback out again
