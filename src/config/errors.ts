// The error every configuration problem becomes. All problems found in one
// start-up are reported together, one line each, so a user fixes them in one go.

/** One problem with a setting: where it came from and what was expected. */
export interface ConfigProblem {
  /** File the value came from, when it came from a file. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** The key, flag (`-interval`) or variable (`CONFD_INTERVAL`) that holds the value. */
  key?: string;
  /** Full one-line description, location first. */
  message: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  /** The first problem's location, for callers that want one. */
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  /**
   * The log format the settings asked for, when it could be read despite the
   * problems, so the problems are logged the way the user's log shipper expects.
   */
  readonly logFormat?: "text" | "json";
  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown; logFormat?: "text" | "json" }) {
    super(problems.map((p) => p.message).join("\n"), options);
    this.name = "ConfigError";
    this.problems = problems;
    this.logFormat = options?.logFormat;
    this.file = problems[0]?.file;
    this.line = problems[0]?.line;
    this.key = problems[0]?.key;
  }
}
