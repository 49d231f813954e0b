// A Logger that keeps "LEVEL message" lines for assertions.

import type { Logger } from "../../../src/log/logger.ts";

export class CaptureLogger implements Logger {
  readonly lines: string[] = [];
  readonly debugEnabled = true;
  debug(msg: string): void {
    this.lines.push(`DEBUG ${msg}`);
  }
  info(msg: string): void {
    this.lines.push(`INFO ${msg}`);
  }
  warning(msg: string): void {
    this.lines.push(`WARNING ${msg}`);
  }
  error(msg: string): void {
    this.lines.push(`ERROR ${msg}`);
  }
  fatal(msg: string): void {
    this.lines.push(`FATAL ${msg}`);
  }
  text(): string {
    return this.lines.join("\n");
  }
}
