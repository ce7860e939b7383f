// One HTTP server process per lab namespace, listening on each of its addresses separately so that one
// real can be made to refuse connections (its listener closes) or hang (it accepts and never answers)
// while the others keep serving. Controlled through a Unix socket: lines "ok|refuse|hang ADDR" → "done".
// Usage: node real-server.mjs CONTROL_SOCKET PORT ADDR...
import http from "node:http";
import net from "node:net";
import { rmSync } from "node:fs";

const [control, portText, ...addresses] = process.argv.slice(2);
const port = Number(portText);
const BODY = "OK\n";
const reals = new Map();

function listen(addr) {
  const state = reals.get(addr) ?? { mode: "ok", server: undefined, sockets: new Set() };
  reals.set(addr, state);
  state.mode = "ok";
  const server = http.createServer((req, res) => {
    if (state.mode === "hang") return; // accepted, never answered
    res.writeHead(200, { "content-type": "text/plain", "content-length": BODY.length, connection: "close" });
    res.end(BODY);
  });
  server.keepAliveTimeout = 1000;
  server.on("connection", (s) => {
    state.sockets.add(s);
    s.on("close", () => state.sockets.delete(s));
  });
  state.server = server;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: addr, port, backlog: 511 }, resolve);
  });
}

function dropSockets(state) {
  for (const s of state.sockets) s.destroy();
  state.sockets.clear();
}

async function setMode(addr, mode) {
  const state = reals.get(addr);
  if (state === undefined) return `unknown ${addr}`;
  if (mode === "ok") {
    if (state.mode === "refuse") await listen(addr);
    else if (state.mode === "hang") { dropSockets(state); state.mode = "ok"; }
  } else if (mode === "refuse" && state.mode !== "refuse") {
    state.mode = "refuse";
    await new Promise((r) => { state.server.close(() => r()); dropSockets(state); });
  } else if (mode === "hang") {
    if (state.mode === "refuse") await listen(addr);
    state.mode = "hang";
  }
  return "done";
}

await Promise.all(addresses.map((a) => listen(a)));
rmSync(control, { force: true });
net.createServer((c) => {
  let buf = "";
  c.on("data", async (d) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      const [cmd, addr] = line.split(/\s+/);
      c.write((cmd === "ping" ? "pong" : await setMode(addr, cmd)) + "\n");
    }
  });
}).listen(control);
process.on("SIGTERM", () => process.exit(0));
