// Bench-only stand-ins for the IPVS pieces (desired table, planner, in-memory backend), used by the
// in-process host benchmark ONLY while src/ipvs has not landed them; results then say `standIns: true`.
// They are deliberately simple and cheap, so figures taken with them measure checks + scheduler + director.

/** Desired table: quiescent reals with weight 0 when not up, non-quiescent ones absent. */
export function desiredTable(config, health) {
  return config.virtuals.map((v) => {
    const { reals, ...rest } = v;
    const service = { key: v.key, protocol: v.protocol, family: v.family, port: v.port, scheduler: v.scheduler, ops: v.ops, ...(rest.address === undefined ? {} : { address: rest.address }) };
    const out = [];
    for (const r of reals) {
      const rk = r.family === 6 ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
      const up = health.health(v.key, rk) === "up";
      if (!up && !v.quiescent) continue;
      out.push({ address: r.address, family: r.family, port: r.port, forward: r.forward, weight: up ? r.weight : 0, upperThreshold: r.upperThreshold, lowerThreshold: r.lowerThreshold });
    }
    return { ...service, reals: out };
  });
}

/** Planner: add/edit/delete per real and per service. */
export function planChanges(current, desired) {
  const ops = [];
  const cur = new Map(current.map((s) => [s.key, s]));
  for (const d of desired) {
    const { reals, ...service } = d;
    const c = cur.get(d.key);
    if (c === undefined) ops.push({ kind: "add-service", service });
    const have = new Map((c?.reals ?? []).map((r) => [`${r.address}:${r.port}`, r]));
    for (const r of reals) {
      const h = have.get(`${r.address}:${r.port}`);
      if (h === undefined) ops.push({ kind: "add-real", service, real: r });
      else if (h.weight !== r.weight) ops.push({ kind: "edit-real", service, real: r });
      have.delete(`${r.address}:${r.port}`);
    }
    for (const r of have.values()) ops.push({ kind: "delete-real", service, real: r });
  }
  return ops;
}

/** In-memory backend. */
export function memoryBackend() {
  const services = new Map();
  return {
    name: "memory",
    async read() {
      return [...services.values()].map((s) => ({ ...s.service, reals: [...s.reals.values()] }));
    },
    async apply(ops) {
      for (const op of ops) {
        const k = op.service.key;
        if (op.kind === "add-service" || op.kind === "edit-service") services.set(k, { service: op.service, reals: services.get(k)?.reals ?? new Map() });
        else if (op.kind === "delete-service") services.delete(k);
        else {
          const s = services.get(k);
          const rk = `${op.real.address}:${op.real.port}`;
          if (op.kind === "delete-real") s?.reals.delete(rk);
          else s?.reals.set(rk, op.real);
        }
      }
      return { applied: ops, failed: [] };
    },
  };
}
