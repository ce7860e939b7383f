import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStateFileWriter } from "../../../src/daemon/state-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ldts-state-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state file writer", () => {
  it("writes the newest state, skips unchanged ones, and keeps writing after an unchanged one", async () => {
    const path = join(dir, "s.json");
    const errors: unknown[] = [];
    const w = createStateFileWriter(path, (e) => errors.push(e));
    await w.write({ n: 1 });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ n: 1 });
    // An unchanged state (nothing to write) must not wedge the writer: the daemon's status froze this way.
    await w.write({ n: 1 });
    await w.write({ n: 2 });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ n: 2 });
    // Bursts keep only the latest.
    const burst = [w.write({ n: 3 }), w.write({ n: 4 }), w.write(() => ({ n: 5 }))];
    await Promise.all(burst);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ n: 5 });
    await w.remove();
    await expect(readFile(path, "utf8")).rejects.toThrow(/ENOENT/);
    expect(errors).toEqual([]);
  });
});
