// What every CLI command receives: parsed options, the config argument, and where to write.
import type { Writable } from "node:stream";

/** Options shared by all commands (they may appear before or after the command word). */
export interface CliOptions {
  /** -d/--debug: stay in the foreground and log readably to the terminal. */
  readonly debug: boolean;
  /** --ha-dir DIR: where Heartbeat configs live (default /etc/ha.d); lets tests run without root. */
  readonly haDir: string;
  /** --run-dir DIR: where pid files go (default /var/run). */
  readonly runDir: string;
  /** --backend ipvsadm|dry-run|memory (default ipvsadm). */
  readonly backend: "ipvsadm" | "dry-run" | "memory";
  /** --ipvsadm PATH: the ipvsadm binary (default: found on /sbin, /usr/sbin, PATH). */
  readonly ipvsadm?: string;
  /** --json: machine-readable output (check, plan, configtest, status). */
  readonly json: boolean;
  /** --virtual V / --real R: restrict `check` to matching virtuals/reals. */
  readonly virtual?: string;
  readonly real?: string;
}

/** The invocation of one command. */
export interface CommandContext {
  readonly command: string;
  /** The CONFIG argument as given (undefined = the default `ldirectord.cf`). */
  readonly configArg?: string;
  readonly options: CliOptions;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The argv this process was started with (for re-spawning the daemon). */
  readonly argv: readonly string[];
}

/** A command module: one file per command under src/cli/commands/, exporting `run`. */
export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}
