// service=ldap / ldaps: bind (simple with login+passwd, else anonymous), base-scope search of the request,
// up when exactly one entry comes back and its DN =~ receive (LDIRECTORD.md §2.3). Client: ldapts (well kept,
// promise API, TypeScript). It takes no AbortSignal: an abort unbinds, which destroys the socket even mid-connect.
import { Client } from "ldapts";
import type { CheckResult } from "../types.js";
import { ProbeFailure, describeError, hostPort, probeStep, receivePattern, runProbe } from "../probe.js";
import type { ProbeTarget } from "../probe.js";

/** The search base ldirectord uses: the request without its leading slash. */
export function ldapBase(request: string): string {
  return request.replace(/^\/+/, "");
}

/** An LDAP URL for an IP target (IPv6 in brackets). */
export function ldapUrl(host: string, port: number, tls: boolean): string {
  return `${tls ? "ldaps" : "ldap"}://${hostPort(host, port)}`;
}

/** An ldapts error as a short reason: its class (the LDAP result name) and text. */
function ldapReason(err: unknown): string {
  if (err instanceof Error && err.name !== "Error" && !err.message.includes(err.name)) return `${err.name}: ${describeError(err)}`;
  return describeError(err);
}

/** Check an LDAP server (implicit TLS when `tls`). */
export async function checkLdap(target: ProbeTarget, signal: AbortSignal, tls: boolean): Promise<CheckResult> {
  return runProbe(hostPort(target.host, target.port), target.timeoutMs, signal, [target.passwd], async (probe) => {
    const pattern = receivePattern(target.receive);
    const client = new Client({
      url: ldapUrl(target.host, target.port, tls),
      // Library timers as a second line of defence; our deadline (probe.aborted) is what bounds the check.
      timeout: target.timeoutMs + 250,
      connectTimeout: target.timeoutMs + 250,
      // ldapts speaks TLS whenever tlsOptions is given, whatever the URL says: pass it for ldaps only.
      ...(tls ? { tlsOptions: { rejectUnauthorized: target.tlsVerify === true } } : {}),
    });
    const onAbort = (): void => void client.unbind().catch(() => undefined);
    probe.signal.addEventListener("abort", onAbort, { once: true });
    const step = <T>(name: string, op: () => Promise<T>): Promise<T> => probeStep(probe, name, ldapReason, op);
    try {
      const simple = target.login !== "" && target.passwd !== "";
      const bindStep = simple ? `bind as ${target.login}` : "anonymous bind";
      // ldapts binds anonymously with an empty DN and password, the same BindRequest Net::LDAP's bind() sends.
      await step(bindStep, () => (simple ? client.bind(target.login, target.passwd) : client.bind("", "")));
      const base = ldapBase(target.request);
      const { searchEntries } = await step(`search base "${base}"`, () =>
        client.search(base, { scope: "base", filter: "(objectClass=*)", attributes: ["1.1"] }),
      );
      if (searchEntries.length !== 1) throw new ProbeFailure(probe.step, `${searchEntries.length} entries, expected exactly 1`);
      const dn = searchEntries[0]?.dn ?? "";
      if (pattern !== undefined && !pattern.test(dn)) throw new ProbeFailure(probe.step, `DN "${dn}" did not match /${target.receive}/`);
      return `${bindStep} ok, search found "${dn}"`;
    } finally {
      probe.signal.removeEventListener("abort", onAbort);
      await client.unbind().catch(() => undefined);
    }
  });
}
