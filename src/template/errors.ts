// The one error type the template engine throws, carrying Go's full message text
// (`template: NAME:LINE: MSG` for parse errors, `template: NAME:LINE:COL: executing ...`
// for exec errors) plus the location as fields for callers that want them.

export interface TemplateErrorInit {
  phase: "parse" | "exec";
  /** The top-level template name (Go's ParseName). */
  templateName: string;
  /** 1-based line, or 0 when Go reports none. */
  line: number;
  /** 0-based byte offset in the line (exec errors only). */
  column?: number;
  cause?: unknown;
}

export class TemplateError extends Error {
  override name = "TemplateError";
  readonly phase: "parse" | "exec";
  readonly templateName: string;
  readonly line: number;
  readonly column?: number;

  constructor(message: string, init: TemplateErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.phase = init.phase;
    this.templateName = init.templateName;
    this.line = init.line;
    if (init.column !== undefined) this.column = init.column;
  }
}

/** Which of the executor's resource limits stopped a run. */
export type ExecLimit = "time" | "output" | "memory";

/**
 * An execution stopped by a limit rather than by the template's own logic: the deadline
 * passed, the output grew past its bound, or the runtime ran out of memory.
 */
export class ExecLimitError extends TemplateError {
  override name = "ExecLimitError";
  readonly limit: ExecLimit;

  constructor(message: string, limit: ExecLimit, init: TemplateErrorInit) {
    super(message, init);
    this.limit = limit;
  }
}
