// The demo's real servers: small HTTP servers on 127.0.0.1 whose /health answers 200 "OK" or, once failed, 503.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One demo real server. */
export interface DemoServer {
  readonly port: number;
  /** Make /health answer 503 (failed) or 200 (healthy). */
  setHealthy(healthy: boolean): void;
  close(): Promise<void>;
}

/** Start an HTTP server on 127.0.0.1 on a free port. */
export async function startDemoServer(name: string): Promise<DemoServer> {
  let healthy = true;
  const server: Server = createServer((req, res) => {
    const ok = req.url !== "/health" || healthy;
    res.writeHead(ok ? 200 : 503, { "content-type": "text/plain", connection: "close" });
    res.end(ok ? `OK from ${name}\n` : `${name} is failing\n`);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setHealthy: (h) => {
      healthy = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
