// The JSON log line: one object per line, `{"time","level","msg", ...fields}`,
// for log shippers. A field that would overwrite time, level or msg is kept
// under `fields.<name>` (logrus's rule) instead of being lost.

import type { LogLevel } from "../config/config.ts";
import type { Fields } from "./logger.ts";
import { rfc3339Local } from "./format.ts";

const RESERVED = new Set(["time", "level", "msg"]);

/** One JSON log line, newline included. */
export function formatJsonLine(time: Date, level: LogLevel, msg: string, fields?: Fields): string {
  const record: Record<string, string | number | boolean> = { time: rfc3339Local(time), level, msg };
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value !== undefined) record[RESERVED.has(key) ? `fields.${key}` : key] = value;
  }
  return `${JSON.stringify(record)}\n`;
}
