// `ldirectord-ts [CONFIG] configtest` (also `-t [CONFIG]`): validate the configuration and report.
// Exit 0 when valid (warnings allowed), 1 when invalid or not found. Never a stack trace for bad input.
import { readFile } from "node:fs/promises";
import { locateConfig, parseConfig } from "../../config/index.js";
import type { ConfigDiagnostic } from "../../config/types.js";
import { ConfigNotFoundError } from "../../errors.js";
import type { CommandContext } from "../context.js";

function line(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}: ${d.severity}: ${d.message}\n`;
}

/** Run configtest; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  const json = ctx.options.json;
  let path: string;
  try {
    path = await locateConfig(ctx.configArg, ctx.options.haDir);
  } catch (err) {
    if (!(err instanceof ConfigNotFoundError)) throw err;
    if (json) ctx.stdout.write(`${JSON.stringify({ file: err.path, valid: false, error: err.message, diagnostics: [] }, null, 2)}\n`);
    else ctx.stderr.write(`ldirectord-ts: ${err.message}\n`);
    return 1;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const message = `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    if (json) ctx.stdout.write(`${JSON.stringify({ file: path, valid: false, error: message, diagnostics: [] }, null, 2)}\n`);
    else ctx.stderr.write(`ldirectord-ts: ${message}\n`);
    return 1;
  }
  const result = await parseConfig(bytes, path);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  const config = result.config;
  const virtuals = config?.virtuals.length ?? 0;
  const reals = config?.virtuals.reduce((n, v) => n + v.reals.length, 0) ?? 0;
  if (json) {
    ctx.stdout.write(
      `${JSON.stringify(
        {
          file: path,
          valid: config !== undefined,
          errors,
          warnings,
          virtualServices: virtuals,
          realServers: reals,
          diagnostics: result.diagnostics,
          ...(config !== undefined ? { config } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return config !== undefined ? 0 : 1;
  }
  for (const d of result.diagnostics) ctx.stderr.write(line(d));
  if (config === undefined) {
    ctx.stderr.write(`${path}: invalid: ${errors} errors, ${warnings} warnings\n`);
    return 1;
  }
  // A fixed format (no singular forms) so scripts can parse it.
  ctx.stdout.write(`${path}: ok: ${virtuals} virtual services, ${reals} real servers, ${warnings} warnings\n`);
  return 0;
}
