// service=nntp against a real NNTP server (the nntp-server library, nodeca's reader server) on loopback:
// healthy, a server refusing readers (400 greeting), refused, silent, abort.
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNntp } from "../../../src/checks/services/nntp.js";
import type { ProbeTarget } from "../../../src/checks/probe.js";
import { freePort, startSilentServer } from "../../fixtures/servers/common.js";
import { guardSocketLeaks } from "./leak-guard.js";

// nntp-server is CommonJS without type definitions: describe the little we use.
interface NntpServerLike {
  server: { address(): { port: number } | string | null };
  listen(address: string): Promise<void>;
  close(): Promise<void>;
}
type NntpServerClass = new (options?: Record<string, unknown>) => NntpServerLike;
const NntpServer = createRequire(import.meta.url)("nntp-server") as NntpServerClass;

/** Start nntp-server on 127.0.0.1; `refuse` replaces the session with a 400 greeting, as a server out of service. */
async function startNntp(refuse: boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const options: Record<string, unknown> = {};
  if (refuse) {
    options["session"] = {
      create(_server: unknown, socket: Socket) {
        socket.end("400 Service temporarily unavailable\r\n");
      },
    };
  }
  const nntp = new NntpServer(options);
  await nntp.listen("nntp://127.0.0.1:0");
  const address = nntp.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, close: () => nntp.close() };
}

let healthy: Awaited<ReturnType<typeof startNntp>>;
let refusing: Awaited<ReturnType<typeof startNntp>>;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  healthy = await startNntp(false);
  refusing = await startNntp(true);
  silent = await startSilentServer();
});
afterAll(async () => {
  await Promise.all([healthy?.close(), refusing?.close(), silent?.close()]);
});
guardSocketLeaks();

function target(over: Partial<ProbeTarget>): ProbeTarget {
  return { host: "127.0.0.1", port: 119, request: "", receive: "", login: "", passwd: "", database: "", timeoutMs: 5000, ...over };
}

describe("service=nntp (nntp-server)", () => {
  it("is up on a 2xx greeting", async () => {
    const r = await checkNntp(target({ port: healthy.port }), new AbortController().signal);
    expect(r).toMatchObject({ ok: true, message: `greeting 201 on 127.0.0.1:${healthy.port}` });
  });

  it("is down on a 400 greeting", async () => {
    const r = await checkNntp(target({ port: refusing.port }), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, message: `greeting on 127.0.0.1:${refusing.port}: 400 Service temporarily unavailable` });
  });

  it("is down at once when the connection is refused", async () => {
    const r = await checkNntp(target({ port: await freePort() }), new AbortController().signal);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^connect on 127\.0\.0\.1:\d+: connection refused$/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it("ends at its timeout when the server accepts and says nothing", async () => {
    const t0 = Date.now();
    const r = await checkNntp(target({ port: silent.port, timeoutMs: 1000 }), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, message: `greeting on 127.0.0.1:${silent.port}: timed out after 1000 ms` });
    expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  });

  it("ends at once when the caller aborts", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await checkNntp(target({ port: silent.port, timeoutMs: 10_000 }), ac.signal);
    expect(r).toMatchObject({ ok: false, message: `greeting on 127.0.0.1:${silent.port}: aborted` });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
