// service=radius (LDIRECTORD.md §2.3): an Access-Request with login/passwd under the shared secret; only an
// Access-Accept (with a valid response authenticator) is up. Encoding by the npm `radius` package.
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import radius from "radius";
import { describeError } from "../deadline.js";
import type { CheckTarget } from "../target.js";
import type { CheckResult } from "../types.js";
import { udpExchange } from "./exchange.js";

/** Check a RADIUS server over UDP; the password and secret never appear in messages. */
export async function checkRadius(target: CheckTarget, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const what = `radius Access-Request for ${JSON.stringify(target.login)} via udp ${target.describe()}`;
  if (target.secret === "") return { ok: false, message: `${what}: no secret configured (secret=)`, durationMs: 0 };
  let request: Buffer | undefined;
  const identifier = randomInt(0, 256);
  const r = await udpExchange(
    target,
    (local) => {
      const attributes: Array<[string, string]> = [
        ["User-Name", target.login],
        ["User-Password", target.passwd],
      ];
      // NAS-IP-Address is IPv4 only; ldirectord sends the local socket's address.
      if (!local.address.includes(":")) attributes.push(["NAS-IP-Address", local.address]);
      request = radius.encode({ code: "Access-Request", secret: target.secret, identifier, attributes });
      return request;
    },
    signal,
    (msg) => {
      let packet: ReturnType<typeof radius.decode>;
      try {
        packet = radius.decode({ packet: msg, secret: target.secret });
      } catch (err) {
        return { fail: `answer is not a RADIUS packet: ${describeError(err)}` };
      }
      if (packet.identifier !== identifier) return undefined;
      if (request === undefined || !radius.verify_response({ request, response: msg, secret: target.secret })) {
        return { fail: `${packet.code} with a bad response authenticator (wrong secret?)` };
      }
      return packet.code === "Access-Accept" ? { answer: packet.code } : { fail: `answer ${packet.code}` };
    },
  );
  const durationMs = performance.now() - started;
  if (r.kind === "failure") return { ok: false, message: `${what}: ${r.reason}`, durationMs, ...(r.cause !== undefined ? { cause: r.cause } : {}) };
  return { ok: true, message: `${what}: ${r.value}`, durationMs };
}
