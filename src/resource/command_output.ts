// How a command's captured output reaches the log: quoted (Go's %q, so control characters and
// bytes that are not UTF-8 are escaped, never written raw), and in bounded lines. Output a confd
// user knows (short) stays one quoted entry, exactly as confd logs it.

import { quote } from "../template/fmt/quote.ts";
import type { CommandResult } from "./command.ts";

/** Output up to this many characters, with nothing dropped, is logged as one entry (as confd). */
export const WHOLE_OUTPUT_LIMIT = 4096;

/** Longer output is logged line by line, each entry holding at most this many characters. */
export const LINE_LIMIT = 1024;

/** The log entries for a command's output: one quoted entry, or a note and quoted lines. */
export function outputLogLines(result: Pick<CommandResult, "output" | "dropped">): string[] {
  const { output, dropped } = result;
  if (dropped === 0 && output.length <= WHOLE_OUTPUT_LIMIT) return [quote(output)];
  const lines: string[] = [];
  if (dropped > 0) lines.push(`output: ${dropped} bytes dropped, the last part follows`);
  for (const line of output.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    for (let i = 0; i < line.length; i += LINE_LIMIT) {
      // A split must not cut a surrogate pair (an emoji) in two.
      let end = Math.min(i + LINE_LIMIT, line.length);
      const c = line.charCodeAt(end - 1);
      if (end < line.length && c >= 0xd800 && c <= 0xdbff) end--;
      lines.push(quote(line.slice(i, end)));
      i = end - LINE_LIMIT;
    }
  }
  return lines;
}
