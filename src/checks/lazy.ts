// Service checkers are loaded on first use: their client libraries (undici, mysql2, pg, ldapts, basic-ftp, …) cost
// seconds to import inside a slow VM, and a director that checks only HTTP should not start slower for SQL.
import type { CheckResult } from "./types.js";

/** A checker whose module is imported on first use; `load()` imports it ahead of time (outside any check deadline). */
export interface LazyChecker<T> {
  (target: T, signal: AbortSignal): Promise<CheckResult>;
  load(): Promise<unknown>;
}

/** Wrap a dynamic import of a checker so the module is loaded once, on first call or `load()`. */
export function lazyChecker<T>(importChecker: () => Promise<(target: T, signal: AbortSignal) => Promise<CheckResult>>): LazyChecker<T> {
  let loading: Promise<(target: T, signal: AbortSignal) => Promise<CheckResult>> | undefined;
  const load = (): Promise<(target: T, signal: AbortSignal) => Promise<CheckResult>> => (loading ??= importChecker());
  const checker = (async (target: T, signal: AbortSignal) => (await load())(target, signal)) as LazyChecker<T>;
  checker.load = load;
  return checker;
}

/** Import the module behind `checker` if it is lazy; resolves at once otherwise. A failed import is left for the check to report. */
export async function preloadChecker(checker: unknown): Promise<void> {
  const load = (checker as Partial<LazyChecker<unknown>> | undefined)?.load;
  if (typeof load === "function") await load.call(checker).catch(() => undefined);
}
