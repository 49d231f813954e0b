// confd's text line: `<time> <hostname> <tag>[<pid>]: <LEVEL> <message>`, then
// any fields as ` key=value`. Unlike confd (which passes every message through
// printf), the message is written as is, so a `%` survives.

import type { LogLevel } from "../config/config.ts";
import type { Fields } from "./logger.ts";
import { rfc3339Local } from "./format.ts";

export interface LineContext {
  time: Date;
  hostname: string;
  tag: string;
  pid: number;
}

function fieldValue(value: string | number | boolean): string {
  const text = String(value);
  return text === "" || /[\s"=\\]/.test(text) ? JSON.stringify(text) : text;
}

/** One text log line, newline included. */
export function formatTextLine(ctx: LineContext, level: LogLevel, msg: string, fields?: Fields): string {
  let line = `${rfc3339Local(ctx.time)} ${ctx.hostname} ${ctx.tag}[${ctx.pid}]: ${level.toUpperCase()} ${msg}`;
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value !== undefined) line += ` ${key}=${fieldValue(value)}`;
  }
  return `${line}\n`;
}
