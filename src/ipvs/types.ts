// The IPVS table model shared by every backend (ipvsadm, memory, dry-run), the desired-state
// computation and the planner. Plain data only: no I/O here.
import type { Family, Forward, Protocol } from "../config/types.js";

/** A real server entry in an IPVS virtual service. */
export interface TableReal {
  /** IP address; IPv6 without brackets, canonical compressed lower-case. */
  readonly address: string;
  readonly family: Family;
  readonly port: number;
  readonly forward: Forward;
  readonly weight: number;
  /** ipvsadm -x (upper threshold), 0 = none. */
  readonly upperThreshold: number;
  /** ipvsadm -y (lower threshold), 0 = none. */
  readonly lowerThreshold: number;
}

/** A virtual service entry with its real servers. */
export interface TableService {
  /** Same key format as VirtualService.key: `tcp:10.0.0.1:80`, `udp:[2001:db8::1]:53`, `fwm:42`, `fwm6:42`. */
  readonly key: string;
  readonly protocol: Protocol;
  readonly family: Family;
  readonly address?: string;
  readonly port: number;
  readonly fwmark?: number;
  readonly scheduler: string;
  readonly persistent?: number;
  readonly netmask?: string;
  readonly ops: boolean;
  readonly schedflags?: string;
  readonly reals: readonly TableReal[];
}

/** The whole table (or the part of it a config owns), services in a stable order. */
export type IpvsTable = readonly TableService[];

/** Service attributes without reals, as carried by service operations. */
export type ServiceSpec = Omit<TableService, "reals">;

/** One change to the kernel table; each maps to one ipvsadm command line. */
export type TableOp =
  | { readonly kind: "add-service"; readonly service: ServiceSpec }
  | { readonly kind: "edit-service"; readonly service: ServiceSpec }
  | { readonly kind: "delete-service"; readonly service: ServiceSpec }
  | { readonly kind: "add-real"; readonly service: ServiceSpec; readonly real: TableReal }
  | { readonly kind: "edit-real"; readonly service: ServiceSpec; readonly real: TableReal }
  | { readonly kind: "delete-real"; readonly service: ServiceSpec; readonly real: TableReal };

/** What happened to each operation of an apply. */
export interface ApplyResult {
  /** Operations that took effect (or were already in effect: "already exists" on add counts). */
  readonly applied: readonly TableOp[];
  /** Operations that failed, with the backend's reason (e.g. ipvsadm's stderr). */
  readonly failed: readonly { readonly op: TableOp; readonly reason: string }[];
}

/** The one small interface the rest of the program uses to talk to the kernel. */
export interface IpvsBackend {
  /** A short name for logs: `ipvsadm`, `memory`, `dry-run`. */
  readonly name: string;
  /** Read the live table. */
  read(): Promise<IpvsTable>;
  /** Apply operations in order. Never throws for a single failed operation: it is reported in `failed`. */
  apply(ops: readonly TableOp[]): Promise<ApplyResult>;
}
