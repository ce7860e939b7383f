// Small local stand-ins for the table edges of the director (desired table, planner, a memory kernel table), so the
// director's own logic is tested before and independently of src/ipvs. Process and lab tests use the real pieces.
import type { DirectorConfig } from "../../../src/config/types.js";
import type { HealthView } from "../../../src/ipvs/desired.js";
import { realKey } from "../../../src/ipvs/desired.js";
import type { ApplyResult, IpvsBackend, IpvsTable, ServiceSpec, TableOp, TableReal, TableService } from "../../../src/ipvs/types.js";

function spec(v: DirectorConfig["virtuals"][number]): ServiceSpec {
  return { key: v.key, protocol: v.protocol, family: v.family, ...(v.address === undefined ? {} : { address: v.address }), port: v.port, scheduler: v.scheduler, ops: v.ops, ...(v.persistent === undefined ? {} : { persistent: v.persistent }) };
}

/** Up → configured weight; down/unknown → weight 0 if quiescent, else absent; fallback weight 1 when none is up. */
export function fakeDesired(config: DirectorConfig, health: HealthView): IpvsTable {
  return config.virtuals.map((v) => {
    const reals: TableReal[] = [];
    let anyUp = false;
    for (const r of v.reals) {
      const up = health.health(v.key, realKey(r)) === "up";
      anyUp ||= up;
      if (up || v.quiescent) reals.push({ address: r.address, family: r.family, port: r.port, forward: r.forward, weight: up ? r.weight : 0, upperThreshold: 0, lowerThreshold: 0 });
    }
    if (!anyUp && v.fallback !== undefined) reals.push({ address: v.fallback.address, family: v.fallback.family, port: v.fallback.port, forward: v.fallback.forward, weight: 1, upperThreshold: 0, lowerThreshold: 0 });
    return { ...spec(v), reals };
  });
}

/** Minimal plan: add/edit services, then add/edit/delete reals of desired services. */
export function fakePlan(current: IpvsTable, desired: IpvsTable): TableOp[] {
  const ops: TableOp[] = [];
  for (const d of desired) {
    const { reals, ...service } = d;
    const c = current.find((s) => s.key === d.key);
    if (c === undefined) ops.push({ kind: "add-service", service });
    else if (c.scheduler !== d.scheduler || c.persistent !== d.persistent) ops.push({ kind: "edit-service", service });
    for (const r of reals) {
      const cr = c?.reals.find((x) => realKey(x) === realKey(r));
      if (cr === undefined) ops.push({ kind: "add-real", service, real: r });
      else if (cr.weight !== r.weight) ops.push({ kind: "edit-real", service, real: r });
    }
    for (const cr of c?.reals ?? []) if (!reals.some((r) => realKey(r) === realKey(cr))) ops.push({ kind: "delete-real", service, real: cr });
  }
  return ops;
}

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
