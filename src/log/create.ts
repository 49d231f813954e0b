// The logger factory: picks the format, filters by level and stamps each line
// with time, host and process. Everything outside the process (where lines go,
// the clock, the host name) is passed in, so tests see exact lines.

import { basename } from "node:path";
import type { LogFormat, LogLevel } from "../config/config.ts";
import type { Fields, Logger } from "./logger.ts";
import { LEVEL_RANK } from "./format.ts";
import { formatJsonLine } from "./json.ts";
import { formatTextLine } from "./text.ts";

export interface LoggerOptions {
  /** Lowest level written. Default "info". */
  level?: LogLevel;
  /** Line format. Default "text". */
  format?: LogFormat;
  /** Receives each complete line, newline included (stderr in the CLI). */
  write: (line: string) => void;
  /** argv[0] as invoked; the tag is its base name (`/usr/local/bin/reconfd` -> `reconfd`). Default "reconfd". */
  argv0?: string;
  /** Default "localhost". */
  hostname?: string;
  /** Default 0. */
  pid?: number;
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** The log tag: the program's base name as invoked, so a symlink named `confd` logs as confd. */
export function logTag(argv0: string | undefined): string {
  const name = argv0 ? basename(argv0) : "";
  return name === "" ? "reconfd" : name;
}

export function createLogger(options: LoggerOptions): Logger {
  const min = LEVEL_RANK[options.level ?? "info"];
  const format = options.format ?? "text";
  const tag = logTag(options.argv0);
  const hostname = options.hostname ?? "localhost";
  const pid = options.pid ?? 0;
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel) => (msg: string, fields?: Fields) => {
    if (LEVEL_RANK[level] < min) return;
    const time = now();
    options.write(
      format === "json"
        ? formatJsonLine(time, level, msg, fields)
        : formatTextLine({ time, hostname, tag, pid }, level, msg, fields),
    );
  };
  return {
    debugEnabled: LEVEL_RANK.debug >= min,
    debug: log("debug"),
    info: log("info"),
    warning: log("warning"),
    error: log("error"),
    fatal: log("fatal"),
  };
}
