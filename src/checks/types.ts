// The Checker contract: a check answers "is this real server healthy, and why not". It never
// touches the table, never throws for anything the remote side does, and always ends by its timeout.

/** The outcome of one check run. An expected remote failure is a value, not an exception. */
export interface CheckResult {
  readonly ok: boolean;
  /** Names the step that failed, e.g. `GET http://www.example.com/.test.html via 10.0.0.5:80: status 503`. */
  readonly message: string;
  readonly durationMs: number;
  readonly cause?: unknown;
}
