// The kernel table as plain data, and what one operation does to it with the kernel's own rules and messages.
// Shared by the memory and dry-run backends, and by tests (plan(apply(plan)) is empty).
import type { IpvsTable, ServiceSpec, TableOp, TableReal, TableService } from "./types.js";
import { kernelRealPort, specOf, tableRealKey } from "./table-keys.js";

/** The outcome of one operation on the model: ok (possibly a no-op the kernel reports, which counts as success), or the kernel's message. */
export type ModelOutcome = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly reason: string };

/** A mutable copy of a table keyed for updates. */
export class TableModel {
  private readonly services = new Map<string, { spec: ServiceSpec; reals: Map<string, TableReal> }>();

  /** Start from a table (copied). */
  constructor(initial: IpvsTable = []) {
    for (const s of initial) {
      const reals = new Map<string, TableReal>();
      for (const r of s.reals) reals.set(tableRealKey(r), r);
      this.services.set(s.key, { spec: specOf(s), reals });
    }
  }

  /** The table now, services and reals in insertion order. */
  snapshot(): IpvsTable {
    return [...this.services.values()].map((s): TableService => ({ ...s.spec, reals: [...s.reals.values()] }));
  }

  /** Apply one operation as the kernel would (messages as ipvsadm prints them). */
  apply(op: TableOp): ModelOutcome {
    const svc = this.services.get(op.service.key);
    switch (op.kind) {
      case "add-service":
        if (svc !== undefined) return { ok: true, note: "Service already exists" };
        this.services.set(op.service.key, { spec: op.service, reals: new Map() });
        return { ok: true };
      case "edit-service":
        if (svc === undefined) return { ok: false, reason: "No such service" };
        svc.spec = op.service;
        return { ok: true };
      case "delete-service":
        if (svc === undefined) return { ok: true, note: "No such service" };
        this.services.delete(op.service.key);
        return { ok: true };
      default:
        break;
    }
    if (svc === undefined) return { ok: false, reason: "Service not defined" };
    // The kernel stores gate/ipip reals of tcp/udp services with the virtual port: model it the same way.
    const real: TableReal = { ...op.real, port: kernelRealPort(svc.spec, op.real.forward, op.real.port) };
    const key = tableRealKey(real);
    const existing = svc.reals.get(key);
    switch (op.kind) {
      case "add-real":
        if (existing !== undefined) return { ok: true, note: "Destination already exists" };
        svc.reals.set(key, real);
        return { ok: true };
      case "edit-real":
        if (existing === undefined) return { ok: false, reason: "No such destination" };
        svc.reals.set(key, real);
        return { ok: true };
      case "delete-real":
        if (existing === undefined) return { ok: true, note: "No such destination" };
        svc.reals.delete(key);
        return { ok: true };
    }
  }
}

/** The table after applying `ops` in order (failing ones change nothing). Pure. */
export function applyToTable(table: IpvsTable, ops: readonly TableOp[]): IpvsTable {
  const model = new TableModel(table);
  for (const op of ops) model.apply(op);
  return model.snapshot();
}
