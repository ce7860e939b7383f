// A short, stable text for a table operation in logs and status (independent of the ipvsadm syntax).
import type { TableOp } from "../ipvs/types.js";
import { realKey } from "../ipvs/desired.js";

/** `edit-real tcp:10.0.0.1:80 10.0.0.5:80 weight 0`. Pure. */
export function describeOp(op: TableOp): string {
  switch (op.kind) {
    case "add-service":
    case "edit-service":
    case "delete-service":
      return `${op.kind} ${op.service.key}${op.kind === "delete-service" ? "" : ` scheduler ${op.service.scheduler}`}`;
    case "add-real":
    case "edit-real":
      return `${op.kind} ${op.service.key} ${realKey(op.real)} weight ${op.real.weight}`;
    case "delete-real":
      return `${op.kind} ${op.service.key} ${realKey(op.real)}`;
  }
}
