// runCheck answers for a checker that misbehaves: one that ignores its signal still ends by timeout + grace,
// one that throws becomes a down result, so a bug in one checker cannot stall or crash the daemon.
import { afterEach, expect, it } from "vitest";
import { runCheck } from "../../../src/checks/index.js";
import { serviceCheckers } from "../../../src/checks/registry.js";
import type { ServiceChecker } from "../../../src/checks/target.js";
import { pairOf } from "../../integration/checks/config-helper.js";

const original = serviceCheckers.none;
afterEach(() => {
  if (original !== undefined) serviceCheckers.none = original;
});

const config = "virtual=192.0.2.1:80\n\treal=127.0.0.1:9 masq\n\tchecktype=negotiate\n\tservice=none\n\tnegotiatetimeout=1\n";

it("ends a checker that ignores its signal at the timeout plus a short grace", async () => {
  let sawAbort = false;
  const hung: ServiceChecker = (_t, signal) => {
    signal.addEventListener("abort", () => (sawAbort = true));
    return new Promise(() => undefined);
  };
  serviceCheckers.none = hung;
  const { virtual, real } = await pairOf(config);
  const r = await runCheck(virtual, real);
  expect(sawAbort).toBe(true);
  expect(r.ok).toBe(false);
  expect(r.message).toBe("127.0.0.1:9: timed out after 1000 ms (the check did not stop)");
  expect(r.durationMs).toBeGreaterThanOrEqual(1000);
  expect(r.durationMs).toBeLessThan(1500);
});

it("turns a checker's exception into a down result", async () => {
  serviceCheckers.none = () => Promise.reject(new TypeError("boom"));
  const { virtual, real } = await pairOf(config);
  const r = await runCheck(virtual, real);
  expect(r.ok).toBe(false);
  expect(r.message).toBe("127.0.0.1:9: internal error in the negotiate/none check: TypeError: boom");
});

it("service=none is up without touching the network", async () => {
  const { virtual, real } = await pairOf(config);
  expect(await runCheck(virtual, real)).toMatchObject({ ok: true, message: "service=none: 127.0.0.1:9 not probed, always up" });
});
