// One nginx process (one worker) listening on N loopback ports, serving the check page and logging every
// request's arrival time and port, so check rate and schedule lag can be read from outside the director.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";

/** Start nginx on 127.0.0.1:firstPort … firstPort+count-1; resolves with { stop, logFile, dir, pid }. */
export async function startLoopbackNginx(firstPort, count) {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-nginx-"));
  const logFile = path.join(dir, "access.log");
  const listens = [];
  for (let p = firstPort; p < firstPort + count; p++) listens.push(`    listen 127.0.0.1:${p} backlog=4096;`);
  const conf = `worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 200000;
events { worker_connections 60000; multi_accept on; }
http {
  log_format bench '$msec $server_port';
  access_log ${logFile} bench buffer=512k flush=1s;
  keepalive_timeout 0;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
${listens.join("\n")}
    location = /check.html { default_type text/plain; return 200 "OK\\n"; }
    location / { return 404; }
  }
}
`;
  writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child = spawn("nginx", ["-c", path.join(dir, "nginx.conf"), "-p", dir], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d.toString(); });
  // Ready when the last port accepts a connection.
  const end = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${err}${readMaybe(path.join(dir, "error.log"))}`);
    if (await canConnect(firstPort + count - 1)) break;
    if (Date.now() > end) throw new Error(`nginx not listening on ${firstPort + count - 1} after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    logFile,
    pid: child.pid,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGQUIT");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
    /** Ask nginx to flush its access log buffer now (reopen). */
    flush() {
      try { execFileSync("kill", ["-USR1", String(child.pid)]); } catch { /* already gone */ }
    },
  };
}

function readMaybe(f) {
  return existsSync(f) ? readFileSync(f, "utf8") : "";
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(1000);
    s.on("connect", () => { s.destroy(); resolve(true); });
    s.on("error", () => resolve(false));
    s.on("timeout", () => { s.destroy(); resolve(false); });
  });
}

/** Parse the access log: array of [epochMs, port] pairs. */
export function readArrivals(logFile) {
  const out = [];
  for (const line of readMaybe(logFile).split("\n")) {
    const sp = line.indexOf(" ");
    if (sp < 0) continue;
    out.push([Number(line.slice(0, sp)) * 1000, Number(line.slice(sp + 1))]);
  }
  return out;
}
