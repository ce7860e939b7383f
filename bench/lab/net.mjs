// Inside the lab kernel: one network namespace per group of reals, a veth pair to the director side, the
// reals' addresses inside, and one real-server process per namespace. Lab-only addresses (10.200.N.x).
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";

const serverScript = fileURLToPath(new URL("./real-server.mjs", import.meta.url));

function ipBatch(lines, ns) {
  const file = `/tmp/ip-batch-${ns ?? "root"}.txt`;
  writeFileSync(file, lines.join("\n") + "\n");
  execFileSync("ip", [...(ns ? ["-n", ns] : []), "-batch", file], { stdio: "inherit" });
}

/** Create the namespaces and addresses for `byNs` (Map ns → addresses) and start their servers. */
export async function setupRealServers(byNs, port = 80) {
  const servers = [];
  for (const [n, addrs] of byNs) {
    const ns = `rs${n}`;
    execFileSync("ip", ["netns", "add", ns]);
    ipBatch([
      `link add vh${n} type veth peer name vr${n}`,
      `link set vr${n} netns ${ns}`,
      `addr add 10.200.${n}.1/24 dev vh${n}`,
      `link set vh${n} up`,
    ]);
    ipBatch(["link set lo up", `link set vr${n} up`, ...addrs.map((a) => `addr add ${a}/24 dev vr${n}`), `route add default via 10.200.${n}.1`], ns);
    const control = `/tmp/${ns}.sock`;
    const child = spawn("ip", ["netns", "exec", ns, process.execPath, serverScript, control, String(port), ...addrs], { stdio: ["ignore", "inherit", "inherit"] });
    servers.push({ n, ns, control, child, addrs });
  }
  for (const s of servers) await waitFor(() => control(s.control, "ping").then((r) => r === "pong", () => false), 30_000, `real server ${s.ns}`);
  return servers;
}

/** Send one control line to a real-server process; resolves with its answer. */
export function control(socketPath, line) {
  return new Promise((resolve, reject) => {
    const c = net.connect(socketPath);
    let buf = "";
    const timer = setTimeout(() => { c.destroy(); reject(new Error(`control ${socketPath}: timeout`)); }, 5000);
    c.on("connect", () => c.write(line + "\n"));
    c.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\n")) { clearTimeout(timer); c.end(); resolve(buf.trim()); }
    });
    c.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Poll `pred` every `everyMs` until true or `timeoutMs` passed; throws with `what` on timeout. */
export async function waitFor(pred, timeoutMs, what, everyMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
