// Pieces both log formats share: level order, confd's timestamp (RFC 3339 in
// local time, second precision, `Z` for a zero offset as Go prints it).

import type { LogLevel } from "../config/config.ts";

/** Severity order: a logger at level L writes messages at L and above. */
export const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3, fatal: 4 };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2026-11-27T17:31:54Z` or `2026-11-27T18:31:54+01:00`, in the process's time zone (TZ). */
export function rfc3339Local(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = offset === 0 ? "Z" : `${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}
