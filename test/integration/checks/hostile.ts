// The shared hostile-peer table for stream checks: each peer must cost at most one timeout.
import { endless, garbage, resetAfter, trickle, type startPeer } from "../../fixtures/servers/common.js";

/** name → behaviour of a hostile TCP peer; `answer` is what a trickling/resetting peer pretends to start with. */
export function hostilePeers(answer: string): ReadonlyArray<readonly [string, Parameters<typeof startPeer>[0]]> {
  return [
    ["trickles one byte per second", trickle(answer)],
    ["sends an endless stream", endless(answer.slice(0, 4))],
    ["resets mid-response", resetAfter(answer.slice(0, Math.max(1, Math.floor(answer.length / 2))))],
    ["sends garbage", garbage()],
  ];
}
