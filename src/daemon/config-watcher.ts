// Watches the config file for autoreload and callback: chokidar on the file's folder, so an editor that writes a
// new file and renames it over the old one (or any atomic replace) is seen as well as an in-place write.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { watch, type FSWatcher } from "chokidar";

/** SHA-256 of a file's bytes; undefined when it cannot be read (mid-replace). */
export async function fileDigest(path: string): Promise<string | undefined> {
  try {
    return createHash("sha256").update(await readFile(path)).digest("hex");
  } catch {
    return undefined;
  }
}

/** A running watcher. */
export interface ConfigWatcher {
  /** Record the digest of the config now in use (after a successful or refused reload). */
  accept(digest: string): void;
  close(): Promise<void>;
}

/** Call `onChange(digest)` when the file's content differs from the last accepted digest (debounced). */
export function watchConfig(file: string, initialDigest: string, onError: (err: unknown) => void, onChange: (digest: string) => void, debounceMs = 250, pollMs = 5000): ConfigWatcher {
  const path = resolve(file);
  const dir = dirname(path);
  const name = basename(path);
  let accepted = initialDigest;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher: FSWatcher = watch(dir, {
    depth: 0,
    ignoreInitial: true,
    // Only the config file itself (and the folder, which chokidar needs to see renames into it).
    ignored: (p: string) => p !== dir && basename(p) !== name,
  });
  const check = async (): Promise<void> => {
    const digest = await fileDigest(path);
    if (digest === undefined || digest === accepted) return;
    accepted = digest;
    onChange(digest);
  };
  const poke = (p: string): void => {
    if (resolve(p) !== path) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  };
  watcher.on("add", poke).on("change", poke).on("error", onError);
  // Backstop for file systems whose events do not arrive (NFS, some bind mounts): compare the digest now and then.
  const poll = setInterval(() => void check(), pollMs);
  poll.unref();
  return {
    accept(digest) {
      accepted = digest;
    },
    async close() {
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      await watcher.close();
    },
  };
}
