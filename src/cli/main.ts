// The command line, compatible with ldirectord:
//   ldirectord-ts [-d|--debug] [-h] [-v] [CONFIG] start|stop|restart|try-restart|reload|force-reload|status
// plus configtest (-t), check and plan. This file only parses argv and dispatches; every command is a
// small module under ./commands/ that returns an exit code.
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import type { CliOptions, CommandContext, CommandModule } from "./context.js";
import { exitCodeFor, describeError } from "./exit-codes.js";

/** Commands and the module file that implements each. */
export const COMMANDS: Readonly<Record<string, string>> = {
  start: "start",
  stop: "stop",
  restart: "restart",
  "try-restart": "restart",
  reload: "reload",
  "force-reload": "reload",
  status: "status",
  configtest: "configtest",
  check: "check",
  plan: "plan",
};

/** The package version, read from package.json next to dist/. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

const USAGE = `[-d|--debug] [CONFIG] start|stop|restart|try-restart|reload|force-reload|status|configtest|check|plan`;

/** Build the commander program (exported for tests of the help text). */
export function buildProgram(): Command {
  return new Command("ldirectord-ts")
    .usage(USAGE)
    .description(
      "Health-check real servers behind Linux Virtual Server (IPVS) virtual services and keep the kernel table in step.\n" +
        "CONFIG is looked up as HA_DIR/CONFIG, then HA_DIR/conf/CONFIG, then as a path (default: ldirectord.cf).",
    )
    .argument("[args...]", "[CONFIG] COMMAND")
    .option("-d, --debug", "stay in the foreground and log readably to the terminal", false)
    .option("-t, --test", "test the configuration and exit (same as the configtest command)", false)
    .option("-v, --version", "print the version and exit")
    // Heartbeat and init scripts pass no options: each of these four can also come from the environment.
    .addOption(new Option("--ha-dir <dir>", "directory where Heartbeat keeps configs").default("/etc/ha.d").env("LDIRECTORD_TS_HA_DIR"))
    .addOption(new Option("--run-dir <dir>", "directory for the pid file").default("/var/run").env("LDIRECTORD_TS_RUN_DIR"))
    .addOption(new Option("--backend <name>", "how the IPVS table is written").choices(["ipvsadm", "dry-run", "memory"]).default("ipvsadm").env("LDIRECTORD_TS_BACKEND"))
    .addOption(new Option("--ipvsadm <path>", "the ipvsadm binary to run").env("LDIRECTORD_TS_IPVSADM"))
    .option("--json", "machine-readable output (check, plan, configtest)", false)
    .option("--virtual <v>", "check: only virtual services matching this (key, VIP or VIP:port)")
    .option("--real <r>", "check: only real servers matching this (IP or IP:port)")
    .helpOption("-h, --help", "show this help")
    .addHelpText(
      "after",
      `
Commands:
  start          start the daemon (daemonizes unless -d or supervised=yes); exit 0 once running
  stop           stop the daemon and wait until it has exited (and cleaned the table with cleanstop=yes)
  restart        stop, then start
  try-restart    restart only if running
  reload         re-read the configuration (SIGHUP); force-reload is the same
  status         exit 0 "running" / 3 "stopped" / 1 stale pid file
  configtest     validate the configuration (also -t); exit 0 valid, 1 invalid
  check          run every check once and print the results; exit 0 all healthy, 1 any unhealthy
  plan           print the ipvsadm commands start would run against the live table

Exit codes: 0 success, 1 generic failure, 2 configuration or usage error, 3 not running (status).`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
}

/** Split positional arguments into [CONFIG] COMMAND as ldirectord does. */
export function splitArgs(args: readonly string[], test: boolean): { configArg?: string; command?: string; error?: string } {
  if (test) {
    if (args.length > 1) return { error: `-t takes at most one CONFIG argument, got: ${args.join(" ")}` };
    return args[0] === undefined ? { command: "configtest" } : { configArg: args[0], command: "configtest" };
  }
  const [first, second] = args;
  if (args.length === 1 && first !== undefined) return { command: first };
  if (args.length === 2 && first !== undefined && second !== undefined) return { configArg: first, command: second };
  if (args.length === 0) return { error: "no command given" };
  return { error: `too many arguments: ${args.join(" ")}` };
}

/** Run the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as CommandContext["stdout"];
  const stderr = (io.stderr ?? process.stderr) as CommandContext["stderr"];
  const program = buildProgram();
  try {
    program.parse([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; a bad option has already been printed.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  const opts = program.opts<{
    debug: boolean;
    test: boolean;
    version?: boolean;
    haDir: string;
    runDir: string;
    backend: CliOptions["backend"];
    ipvsadm?: string;
    json: boolean;
    virtual?: string;
    real?: string;
  }>();
  if (opts.version) {
    stdout.write(`ldirectord-ts ${packageVersion()}\n`);
    return 0;
  }
  const split = splitArgs(program.args, opts.test);
  const commandFile = split.command === undefined ? undefined : COMMANDS[split.command];
  if (split.error !== undefined || split.command === undefined || commandFile === undefined) {
    const why = split.error ?? `unknown command "${split.command ?? ""}"; expected one of ${Object.keys(COMMANDS).join(", ")}`;
    stderr.write(`ldirectord-ts: ${why}\nUsage: ldirectord-ts ${USAGE}\n`);
    return 2;
  }
  const options: CliOptions = {
    debug: opts.debug,
    haDir: opts.haDir,
    runDir: opts.runDir,
    backend: opts.backend,
    json: opts.json,
    ...(opts.ipvsadm !== undefined ? { ipvsadm: opts.ipvsadm } : {}),
    ...(opts.virtual !== undefined ? { virtual: opts.virtual } : {}),
    ...(opts.real !== undefined ? { real: opts.real } : {}),
  };
  const ctx: CommandContext = {
    command: split.command,
    ...(split.configArg !== undefined ? { configArg: split.configArg } : {}),
    options,
    stdout,
    stderr,
    argv,
  };
  try {
    const mod = (await import(`./commands/${commandFile}.js`)) as CommandModule;
    return await mod.run(ctx);
  } catch (err) {
    stderr.write(`ldirectord-ts: ${describeError(err)}\n`);
    return exitCodeFor(err);
  }
}
