// The socket-leak guard of the check tests: no socket of a check (nor its server side) may outlive the test.
import { afterEach, beforeEach, expect } from "vitest";
import { openUdpSockets, socketsSettled, steadySockets, udpSettled } from "../../fixtures/servers/common.js";

/** Register hooks so each test of the calling file ends with no more open sockets of `kinds` than it found. */
export function guardSocketLeaks(kinds: ReadonlyArray<"tcp" | "udp"> = ["tcp"]): void {
  const tcp = kinds.includes("tcp");
  const udp = kinds.includes("udp");
  let baseline = 0;
  let udpBaseline = 0;
  beforeEach(async () => {
    if (tcp) baseline = await steadySockets();
    if (udp) udpBaseline = openUdpSockets();
  });
  afterEach(async () => {
    if (tcp) expect(await socketsSettled(baseline)).toBeLessThanOrEqual(baseline);
    if (udp) expect(await udpSettled(udpBaseline)).toBeLessThanOrEqual(udpBaseline);
  });
}
