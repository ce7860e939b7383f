// The state file: the daemon's status as JSON, replaced atomically so a reader never sees half a file.
import { rename, rm, writeFile } from "node:fs/promises";

/** A writer that skips identical content and never runs two writes at once. */
export interface StateFileWriter {
  write(state: unknown): Promise<void>;
  remove(): Promise<void>;
}

/** Create a writer for `path`. Write errors are reported through `onError` and never thrown. */
export function createStateFileWriter(path: string, onError: (err: unknown) => void): StateFileWriter {
  let last = "";
  let chain: Promise<void> = Promise.resolve();
  return {
    write(state) {
      const text = `${JSON.stringify(state, null, 2)}\n`;
      chain = chain.then(async () => {
        if (text === last) return;
        try {
          const tmp = `${path}.${process.pid}.tmp`;
          await writeFile(tmp, text);
          await rename(tmp, path);
          last = text;
        } catch (err) {
          onError(err);
        }
      });
      return chain;
    },
    async remove() {
      await chain;
      await rm(path, { force: true });
    },
  };
}
