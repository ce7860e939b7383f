// A memory stand-in for the kernel table that records every apply and can fail on demand, so the director's
// retry path is testable; the desired table and the planner under it are the real ones of src/ipvs.
import { realKey } from "../../../src/ipvs/desired.js";
import type { ApplyResult, IpvsBackend, IpvsTable, TableOp, TableService } from "../../../src/ipvs/types.js";

/** An in-memory kernel table recording every apply; `failNext` makes the next apply fail. */
export class FakeTable implements IpvsBackend {
  readonly name = "fake";
  services = new Map<string, TableService>();
  readonly applied: TableOp[][] = [];
  failNext = 0;
  reads = 0;

  async read(): Promise<IpvsTable> {
    this.reads += 1;
    return [...this.services.values()];
  }

  async apply(ops: readonly TableOp[]): Promise<ApplyResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return { applied: [], failed: ops.map((op) => ({ op, reason: "transient failure" })) };
    }
    this.applied.push([...ops]);
    for (const op of ops) {
      const s = this.services.get(op.service.key);
      switch (op.kind) {
        case "add-service":
        case "edit-service":
          this.services.set(op.service.key, { ...op.service, reals: s?.reals ?? [] });
          break;
        case "delete-service":
          this.services.delete(op.service.key);
          break;
        case "add-real":
        case "edit-real":
          if (s) this.services.set(s.key, { ...s, reals: [...s.reals.filter((r) => realKey(r) !== realKey(op.real)), op.real] });
          break;
        case "delete-real":
          if (s) this.services.set(s.key, { ...s, reals: s.reals.filter((r) => realKey(r) !== realKey(op.real)) });
          break;
      }
    }
    return { applied: ops, failed: [] };
  }

  /** All ops applied so far as `kind key real weight` strings. */
  opLog(): string[] {
    return this.applied.flat().map((op) => `${op.kind} ${op.service.key}${"real" in op ? ` ${realKey(op.real)} w${op.real.weight}` : ""}`);
  }

  /** The weight of a real in the table (undefined = absent). */
  weight(serviceKey: string, rk: string): number | undefined {
    return this.services.get(serviceKey)?.reals.find((r) => realKey(r) === rk)?.weight;
  }
}
