// configtest through the real executable: `ldirectord-ts [CONFIG] configtest` and `-t [CONFIG]`.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(import.meta.url), "../../..");
const bin = join(repoRoot, "bin/ldirectord-ts");

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[]): Promise<Outcome> {
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd: repoRoot, timeout: 20000, env: { ...process.env, NODE_OPTIONS: "" } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const haDir = mkdtempSync(join(tmpdir(), "ldts-configtest-"));
mkdirSync(join(haDir, "conf"));
const GOOD = "checktimeout=3\nvirtual=192.0.2.1:80\n\treal=198.51.100.1:80 gate\n\treal=198.51.100.2:80 gate\nvirtual=192.0.2.2:443\n\treal=198.51.100.1:443 masq\n";
writeFileSync(join(haDir, "ldirectord.cf"), GOOD);
writeFileSync(join(haDir, "conf", "www.cf"), "quiescent=yes # on purpose\nvirtual=192.0.2.3:80\n\treal=198.51.100.3:80 gate\n");
// Appendix 2 of issue 2: the section is not indented.
writeFileSync(
  join(haDir, "unindented.cf"),
  "virtual=202.106.184.132:80\nreal=202.106.184.250:80 gate\nfallback=127.0.0.1:80 gate\nservice=http\nrequest=\"index.php\"\nreceive=\"Test Page\"\n#virtualhost=some.domain.com.au\nscheduler=rr\n#persistent=600\n#netmask=255.255.255.255\nprotocol=tcp\nchecktype=negotiate\ncheckport=80\n",
);

beforeAll(async () => {
  // `npm test` builds first; a lone `vitest run` of this file builds when dist/ is missing.
  if (!existsSync(join(repoRoot, "dist/cli/commands/configtest.js"))) {
    await run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", join(repoRoot, "tsconfig.build.json")], { cwd: repoRoot, timeout: 120000 }).catch((err: unknown) => {
      // tsc exits non-zero for type errors in files being edited elsewhere but still emits; fail only if nothing was built.
      if (!existsSync(join(repoRoot, "dist/cli/commands/configtest.js"))) throw err;
    });
  }
}, 120000);

describe("ldirectord-ts configtest", () => {
  it("a valid config: one summary line on stdout, exit 0", async () => {
    const r = await cli(["--ha-dir", haDir, "configtest"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(haDir, "ldirectord.cf")}: ok: 2 virtual services, 3 real servers, 0 warnings\n`);
    expect(r.stderr).toBe("");
  });

  it("-t CONFIG uses Heartbeat's lookup (HA_DIR/conf/NAME) and prints warnings as FILE:LINE: warning:", async () => {
    const r = await cli(["--ha-dir", haDir, "-t", "www.cf"]);
    const file = join(haDir, "conf", "www.cf");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: ok: 1 virtual services, 1 real servers, 1 warnings\n`);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")}:1: warning: quiescent=yes: the trailing comment is ignored`));
  });

  it("the unindented section of issue 2's appendix: an error at line 2 that tells the fix, exit 1", async () => {
    const r = await cli(["--ha-dir", haDir, "unindented.cf", "configtest"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe(
      `${join(haDir, "unindented.cf")}:2: error: real= is at column 0, which ends the virtual section of line 1 (ldirectord: Unknown command); indent the lines of a virtual section by a tab or four spaces`,
    );
    expect(lines.at(-1)).toMatch(/unindented\.cf: invalid: \d+ errors, \d+ warnings$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a missing config: exit 1 with the paths tried, no stack trace", async () => {
    const r = await cli(["--ha-dir", haDir, "-t", "nope.cf"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ldirectord-ts: config file nope.cf not found (tried ${join(haDir, "nope.cf")}, ${join(haDir, "conf", "nope.cf")}, ${join(repoRoot, "nope.cf")})\n`);
  });

  it("a binary file is bad input, not a crash", async () => {
    const file = join(haDir, "binary.cf");
    writeFileSync(file, Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 0x80, 0x81, 61, 10]));
    const r = await cli(["-t", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/binary\.cf:1: error: /);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it("--json: a JSON document with the diagnostics and the parsed config", async () => {
    const good = await cli(["--ha-dir", haDir, "--json", "-t"]);
    expect(good.code).toBe(0);
    const doc = JSON.parse(good.stdout) as { valid: boolean; virtualServices: number; realServers: number; config: { virtuals: Array<{ key: string }> } };
    expect(doc).toMatchObject({ valid: true, virtualServices: 2, realServers: 3 });
    expect(doc.config.virtuals.map((v) => v.key)).toEqual(["tcp:192.0.2.1:80", "tcp:192.0.2.2:443"]);
    const bad = await cli(["--ha-dir", haDir, "--json", "unindented.cf", "configtest"]);
    expect(bad.code).toBe(1);
    const badDoc = JSON.parse(bad.stdout) as { valid: boolean; diagnostics: Array<{ line: number; severity: string; code: string }> };
    expect(badDoc.valid).toBe(false);
    expect(badDoc.diagnostics[0]).toMatchObject({ line: 2, severity: "error", code: "unindented-section-line" });
    const missing = await cli(["--ha-dir", haDir, "--json", "-t", "nope.cf"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ valid: false, error: expect.stringMatching(/config file nope\.cf not found/) as unknown });
  });

  it("every example director config (examples/**/*.cf and the Heartbeat example's www) passes configtest", async () => {
    const found: string[] = [join(repoRoot, "examples/heartbeat/www")];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        // Heartbeat's own ha.cf is not an ldirectord config; the director's config in that example is www.
        else if (e.name.endsWith(".cf") && e.name !== "ha.cf") found.push(join(dir, e.name));
      }
    };
    walk(join(repoRoot, "examples"));
    expect(found.length).toBeGreaterThanOrEqual(25);
    for (const file of found) {
      const r = await cli(["-t", file]);
      expect({ file, code: r.code, stderr: r.stderr }).toEqual({ file, code: 0, stderr: r.stderr });
      expect(r.stdout).toMatch(/: ok: \d+ virtual services, \d+ real servers, \d+ warnings\n$/);
    }
  }, 120000);
});
