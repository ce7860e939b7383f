import { describe, expect, it } from "vitest";
import { ADOPTED_UP, UNKNOWN, nextHealth, type HealthState } from "../../../src/scheduler/health-state.js";
import { combinedPhase, nextCombinedState, type CombinedState } from "../../../src/scheduler/combined-phase.js";

const ok = { ok: true };
const bad = { ok: false };

/** Feed a sequence of results and return the health after each, plus the transitions. */
function run(start: HealthState, seq: readonly boolean[], failurecount: number, rise = 1): { health: string[]; transitions: string[] } {
  let s = start;
  const health: string[] = [];
  const transitions: string[] = [];
  for (const r of seq) {
    const step = nextHealth(s, r ? ok : bad, { failurecount, rise });
    s = step.state;
    health.push(s.health);
    if (step.transition) transitions.push(`${step.transition.from}>${step.transition.to}`);
  }
  return { health, transitions };
}

describe("nextHealth", () => {
  it.each([
    // [start, results, failurecount, rise, expected health after each, transitions]
    ["unknown first success is up at once", UNKNOWN, [true], 1, 1, ["up"], ["unknown>up"]],
    ["unknown first failure is down at once, whatever failurecount", UNKNOWN, [false], 3, 1, ["down"], ["unknown>down"]],
    ["up stays up through failurecount-1 soft failures", ADOPTED_UP, [false, false, false], 3, 1, ["up", "up", "down"], ["up>down"]],
    ["a success resets the soft failure count", ADOPTED_UP, [false, false, true, false, false, false], 3, 1, ["up", "up", "up", "up", "up", "down"], ["up>down"]],
    ["failurecount 1 is down on the first failure", ADOPTED_UP, [false], 1, 1, ["down"], ["up>down"]],
    ["down comes back after one success with rise 1 (ldirectord)", UNKNOWN, [false, false, true], 1, 1, ["down", "down", "up"], ["unknown>down", "down>up"]],
    ["rise 3 needs three consecutive successes", UNKNOWN, [false, true, true, false, true, true, true], 1, 3, ["down", "down", "down", "down", "down", "down", "up"], ["unknown>down", "down>up"]],
    ["no transition while steady", ADOPTED_UP, [true, true, true], 2, 1, ["up", "up", "up"], []],
  ] as const)("%s", (_name, start, seq, failurecount, rise, health, transitions) => {
    const r = run(start, seq, failurecount, rise);
    expect(r.health).toEqual(health);
    expect(r.transitions).toEqual(transitions);
  });

  it("maintenance forces down at once without counting a failure, and the next good check brings it back", () => {
    const m = nextHealth(ADOPTED_UP, { ok: false, maintenance: true }, { failurecount: 5, rise: 1 });
    expect(m.state.health).toBe("down");
    expect(m.transition).toEqual({ from: "up", to: "down" });
    expect(m.state.failures).toBe(0);
    const again = nextHealth(m.state, { ok: false, maintenance: true }, { failurecount: 5, rise: 1 });
    expect(again.transition).toBeUndefined();
    const back = nextHealth(again.state, ok, { failurecount: 5, rise: 1 });
    expect(back.transition).toEqual({ from: "down", to: "up" });
  });
});

describe("combined phase cycle (checktype=N)", () => {
  /** The phases run for a sequence of outcomes with N connects between negotiates. */
  function phases(n: number, outcomes: readonly boolean[]): string[] {
    let s: CombinedState = undefined;
    const out: string[] = [];
    for (const ok of outcomes) {
      const p = combinedPhase(s, n);
      out.push(p[0] ?? "?");
      s = nextCombinedState(s, p, ok);
    }
    return out;
  }
  it.each([
    ["N=3 all good: negotiate, 3 connects, negotiate …", 3, [true, true, true, true, true, true, true, true], "ncccnccc"],
    ["N=0: always negotiate", 0, [true, true, true], "nnn"],
    ["a failed connect forces a negotiate next", 3, [true, true, false, true, true], "nccnc"],
    ["a failed negotiate is retried as a negotiate", 2, [false, false, true, true], "nnnc"],
  ] as const)("%s", (_name, n, outcomes, expected) => {
    expect(phases(n, outcomes).join("")).toBe(expected);
  });
});
