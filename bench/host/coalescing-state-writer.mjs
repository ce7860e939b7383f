// Bench-only: the state-file writer as suggested to the daemon owner (src/daemon/state-file.ts), to measure
// its effect in the in-process benchmark: at most one write in flight, only the LATEST state is kept while
// one runs (intermediate snapshots are dropped, not queued), serialised lazily and without indentation.
import { rename, writeFile } from "node:fs/promises";

/** Same interface as createStateFileWriter; `snapshot` is called only when a write actually starts. */
export function createCoalescingStateWriter(path, onError) {
  let pending;
  let running;
  let last = "";
  const drain = async () => {
    while (pending !== undefined) {
      const snapshot = pending;
      pending = undefined;
      const text = `${JSON.stringify(snapshot())}\n`;
      if (text === last) continue;
      try {
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, path);
        last = text;
      } catch (err) {
        onError(err);
      }
    }
    running = undefined;
  };
  return {
    write(snapshot) {
      pending = snapshot;
      running ??= drain();
      return running;
    },
  };
}
