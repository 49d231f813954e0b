// The logger interface every stage receives (never a global). Implementations
// live beside it: text (confd's line format) and JSON.

export type Fields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  /** False when debug lines are dropped: a caller may then skip building a costly message. */
  readonly debugEnabled: boolean;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warning(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** Logs at FATAL level; it does not exit (only main.ts exits). */
  fatal(msg: string, fields?: Fields): void;
}
