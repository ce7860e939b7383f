// Lab scenarios 1, 4 and 5 of issue 4 (one boot): every kind of service applied and read back, the plan against it
// empty (through the API and through bin/ldirectord-ts plan); a failing line in a batch; hand edits repaired by a
// reconcile that logs them; 2,000 reals applied from empty as one ipvsadm -R batch.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { allUp, config, ipvs, ipvsadm, OUT, REPO, result, snapshot, timed } from "./ipvs-common.mjs";

const KINDS_CF = `quiescent=yes
virtual=10.10.9.1:80
	real=10.10.0.11:80 gate 5 u:100 l:10
	real=10.10.0.12:8080 gate 1
	real=10.10.0.13:8080 masq 2
	real=10.10.0.14:8080 ipip 3
	real=10.10.0.15 masq
	scheduler=wrr
	checktype=on
virtual=10.10.9.1:443
	real=10.10.0.11:443 masq
	persistent=300
	netmask=255.255.255.0
	scheduler=rr
	checktype=on
virtual=10.10.9.1:53
	protocol=udp
	ops=yes
	real=10.10.0.11:53 masq
	scheduler=wlc
	checktype=on
virtual=42
	real=10.10.0.11 gate
	real=10.10.0.12:80 masq
	persistent=60
	checktype=on
virtual6=43
	real6=[fd00:10::11]:80 masq
	real6=[fd00:10::12] gate 3
	checktype=on
virtual6=[fd00:99::1]:80
	real6=[fd00:10::11]:80 masq 2 u:50
	real6=[fd00:10::12]:8080 gate
	persistent=600
	netmask=64
	scheduler=wlc
	checktype=on
`;
const cfFile = path.join(OUT, "kinds.cf");
writeFileSync(cfFile, KINDS_CF);
const bin = path.join(REPO, "bin/ldirectord-ts");
const planCli = () => execFileSync(process.execPath, [bin, "--backend", "ipvsadm", cfFile, "plan"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// --- scenario 1a: `plan` on an empty kernel; its lines run by a shell build the table; plan again is empty.
console.log("=== BEGIN kinds-cli");
const lines = planCli();
writeFileSync(path.join(OUT, "kinds-plan.txt"), lines);
execFileSync("bash", ["-e", "-c", lines], { stdio: "inherit" });
snapshot("kinds-cli");
result("kinds_cli_plan_after", planCli());
console.log("=== END kinds-cli");

// --- scenario 1b: the same through the API (one -R batch), from empty; read back; plan empty.
console.log("=== BEGIN kinds-api");
ipvsadm("-C");
const kinds = await config(KINDS_CF);
const desired = ipvs.desiredTable(kinds, allUp);
const writes = [];
const backend = await ipvs.createIpvsadmBackend({ log: (l) => writes.push(l) });
const applied = await backend.apply(ipvs.planChanges(await backend.read(), desired));
result("kinds_api_failed", applied.failed.length);
result("kinds_api_writes", writes.length);
snapshot("kinds-api");
result("kinds_api_plan_after", ipvs.planChanges(await backend.read(), desired).length);
console.log("=== END kinds-api");

// --- a batch with one line the kernel refuses: the rest applies, the bad one is reported with ipvsadm's stderr.
console.log("=== BEGIN batch-failure");
const web = desired.find((s) => s.key === "tcp:10.10.9.1:80");
const { reals: _r, ...webSpec } = web;
const bad = { address: "fd00:10::99", family: 6, port: 80, forward: "masq", weight: 1, upperThreshold: 0, lowerThreshold: 0 };
const good = { address: "10.10.0.20", family: 4, port: 80, forward: "masq", weight: 4, upperThreshold: 0, lowerThreshold: 0 };
writes.length = 0;
const mixed = await backend.apply([
  { kind: "add-real", service: webSpec, real: web.reals[0] }, // already there: counts as applied
  { kind: "add-real", service: webSpec, real: bad },
  { kind: "add-real", service: webSpec, real: good },
  { kind: "delete-real", service: webSpec, real: { ...good, address: "10.10.0.21" } }, // absent: counts as applied
]);
result("batch_applied", mixed.applied.length);
result("batch_failed", mixed.failed.map((f) => f.reason).join(" | "));
result("batch_writes", writes.join(" | "));
snapshot("batch-failure");
console.log("=== END batch-failure");

// --- scenario 4: hand edits, then a reconcile restores the desired table and logs each repair.
console.log("=== BEGIN hand-edits");
await ipvs.reconcile(backend, desired); // back to the desired table after the batch test
ipvsadm("-d", "-t", "10.10.9.1:80", "-r", "10.10.0.13:8080");
ipvsadm("-e", "-t", "10.10.9.1:80", "-r", "10.10.0.11:80", "-g", "-w", "7");
snapshot("hand-edited");
const log1 = [];
const r1 = await ipvs.reconcile(backend, desired, { log: (l) => log1.push(l) });
result("repair1_log", log1.join(" | "));
result("repair1_failed", r1.failed.length);
snapshot("repaired-1");
ipvsadm("-C");
const log2 = [];
const r2 = await ipvs.reconcile(backend, desired, { log: (l) => log2.push(l) });
result("repair2_count", log2.length);
result("repair2_failed", r2.failed.length);
snapshot("repaired-2");
console.log("=== END hand-edits");

// --- scenario 5: 2,000 reals (20 virtuals × 100, address ranges) from empty as one batch.
console.log("=== BEGIN big");
ipvsadm("-C");
let bigCf = "";
for (let v = 0; v < 20; v++) bigCf += `virtual=10.30.0.${v + 1}:80\n\treal=10.20.${v}.1->10.20.${v}.100:80 masq 2\n\tchecktype=on\n`;
const big = await config(bigCf);
const bigDesired = ipvs.desiredTable(big, allUp);
writes.length = 0;
const bigBackend = await ipvs.createIpvsadmBackend({ log: (l) => writes.push(l) });
const plan = await timed(async () => ipvs.planChanges(await bigBackend.read(), bigDesired));
const apply = await timed(() => bigBackend.apply(plan.value));
const reread = await timed(() => bigBackend.read());
result("big_ops", plan.value.length);
result("big_failed", apply.value.failed.length);
result("big_writes", writes.length);
result("big_plan_ms", plan.ms);
result("big_apply_ms", apply.ms);
result("big_read_ms", reread.ms);
result("big_plan_after", ipvs.planChanges(reread.value, bigDesired).length);
snapshot("big");
console.log("=== END big");
