// `npm run demo` as a newcomer runs it: the built demo as a child process, no root, no IPVS.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DEMO = fileURLToPath(new URL("../../../dist/demo/demo.js", import.meta.url));

describe("the demo", () => {
  it("shows a real server failing and coming back, and exits 0 by itself in under a minute", async () => {
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run \`npm run build\` first (npm test does)`);
    const started = Date.now();
    const child = spawn(process.execPath, [DEMO], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("exit", (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    const seconds = (Date.now() - started) / 1000;
    expect(code, out).toBe(0);
    expect(seconds).toBeLessThan(60);
    const ports = /three HTTP real servers on 127\.0\.0\.1:(\d+), 127\.0\.0\.1:(\d+), 127\.0\.0\.1:(\d+)/.exec(out);
    expect(ports, out).not.toBeNull();
    const web2 = ports?.[2] ?? "?";
    const failing = out.indexOf(">>> failing web2");
    const deleted = out.indexOf(`Deleted real server: 127.0.0.1:${web2} (127.0.0.100:80)`);
    const back = out.indexOf(">>> bringing web2 back");
    const restored = out.indexOf(`Restored real server: 127.0.0.1:${web2} (127.0.0.100:80)`);
    expect(failing, out).toBeGreaterThan(0);
    expect(deleted, out).toBeGreaterThan(failing);
    expect(back, out).toBeGreaterThan(deleted);
    expect(restored, out).toBeGreaterThan(back);
    // The dry-run backend's ipvsadm commands and the table as it changes are shown.
    expect(out).toMatch(new RegExp(`ipvsadm -d -t 127\\.0\\.0\\.100:80 -r 127\\.0\\.0\\.1:${web2}`));
    expect(out).toMatch(/table now:\n(?: {9}.*\n)*? {9}TCP {2}127\.0\.0\.100:80 wrr\n {11}-> 127\.0\.0\.1:\d+ +Masq +1\n/);
    console.log(`demo finished in ${seconds.toFixed(1)} s`);
  }, 70_000);
});
