// Go's encoding/json scanner (checkValid), ported as a byte-level state machine so that
// syntax errors carry Go's exact text: the offending byte and the state it was met in
// (`invalid character '}' in literal null (expecting 'l')`).

import { GoError } from "../template/value.ts";
import { quote as goQuote } from "../template/fmt/quote.ts";

const MAX_DEPTH = 10000;

type Step = (c: number) => void;
type Frame = "key" | "value" | "array";

/** Go's `quoteChar`: the byte as a rune, single-quoted. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const q = goQuote(String.fromCharCode(c));
  return `'${q.slice(1, -1)}'`;
}

class JsonSyntaxError extends GoError {}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * Go's json scanner as a state machine over UTF-8 bytes. `check` throws the first
 * syntax error; it also reports the first number literal that overflows float64,
 * which Go's decoder turns into an UnmarshalTypeError.
 */
export class Scanner {
  private step: Step = (c) => this.beginValue(c);
  private readonly stack: Frame[] = [];
  private endTop = false;
  private numStart = -1;
  private pos = 0;
  firstOverflow: string | undefined;

  constructor(private readonly bytes: Uint8Array) {}

  check(): void {
    for (this.pos = 0; this.pos < this.bytes.length; this.pos++) this.step(this.bytes[this.pos]);
    // At the end Go feeds one space: that completes numbers, and fails inside literals.
    if (this.endTop) return;
    this.step(0x20);
    if (!this.endTop) throw new JsonSyntaxError("unexpected end of JSON input");
  }

  private fail(c: number, context: string): never {
    throw new JsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  }

  private push(c: number, frame: Frame): void {
    this.stack.push(frame);
    if (this.stack.length > MAX_DEPTH) this.fail(c, "exceeded max depth");
  }

  private beginValueOrEmpty(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x5d) return this.endValue(c);
    this.beginValue(c);
  }

  private beginValue(c: number): void {
    if (isSpace(c)) return;
    switch (c) {
      case 0x7b: // {
        this.step = (x) => this.beginStringOrEmpty(x);
        return this.push(c, "key");
      case 0x5b: // [
        this.step = (x) => this.beginValueOrEmpty(x);
        return this.push(c, "array");
      case 0x22: // "
        this.step = (x) => this.inString(x);
        return;
      case 0x2d: // -
        this.numStart = this.pos;
        this.step = (x) => this.neg(x);
        return;
      case 0x30: // 0
        this.numStart = this.pos;
        this.step = (x) => this.zero(x);
        return;
      case 0x74: // t
        return this.literal("true", 1);
      case 0x66: // f
        return this.literal("false", 1);
      case 0x6e: // n
        return this.literal("null", 1);
    }
    if (c >= 0x31 && c <= 0x39) {
      this.numStart = this.pos;
      this.step = (x) => this.digits(x);
      return;
    }
    this.fail(c, "looking for beginning of value");
  }

  private literal(word: string, i: number): void {
    this.step = (c) => {
      if (c !== word.charCodeAt(i)) this.fail(c, `in literal ${word} (expecting '${word[i]}')`);
      if (i + 1 === word.length) this.step = (x) => this.endValue(x);
      else this.literal(word, i + 1);
    };
  }

  private beginStringOrEmpty(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = "value";
      return this.endValue(c);
    }
    this.beginString(c);
  }

  private beginString(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x22) {
      this.step = (x) => this.inString(x);
      return;
    }
    this.fail(c, "looking for beginning of object key string");
  }

  private endValue(c: number): void {
    this.endNumber();
    const n = this.stack.length;
    if (n === 0) {
      this.step = (x) => this.endTopStep(x);
      this.endTop = true;
      return this.endTopStep(c);
    }
    if (isSpace(c)) {
      this.step = (x) => this.endValue(x);
      return;
    }
    switch (this.stack[n - 1]) {
      case "key":
        if (c === 0x3a) {
          this.stack[n - 1] = "value";
          this.step = (x) => this.beginValue(x);
          return;
        }
        return this.fail(c, "after object key");
      case "value":
        if (c === 0x2c) {
          this.stack[n - 1] = "key";
          this.step = (x) => this.beginString(x);
          return;
        }
        if (c === 0x7d) return this.pop();
        return this.fail(c, "after object key:value pair");
      case "array":
        if (c === 0x2c) {
          this.step = (x) => this.beginValue(x);
          return;
        }
        if (c === 0x5d) return this.pop();
        return this.fail(c, "after array element");
    }
  }

  private pop(): void {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = (x) => this.endTopStep(x);
      this.endTop = true;
    } else {
      this.step = (x) => this.endValue(x);
    }
  }

  private endTopStep(c: number): void {
    if (!isSpace(c)) this.fail(c, "after top-level value");
  }

  private inString(c: number): void {
    if (c === 0x22) {
      this.step = (x) => this.endValue(x);
      return;
    }
    if (c === 0x5c) {
      this.step = (x) => this.inStringEsc(x);
      return;
    }
    if (c < 0x20) this.fail(c, "in string literal");
  }

  private inStringEsc(c: number): void {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
      this.step = (x) => this.inString(x);
      return;
    }
    if (c === 0x75) return this.hexDigit(4);
    this.fail(c, "in string escape code");
  }

  private hexDigit(left: number): void {
    this.step = (c) => {
      if (!isHex(c)) this.fail(c, "in \\u hexadecimal character escape");
      if (left === 1) this.step = (x) => this.inString(x);
      else this.hexDigit(left - 1);
    };
  }

  private neg(c: number): void {
    if (c === 0x30) {
      this.step = (x) => this.zero(x);
      return;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = (x) => this.digits(x);
      return;
    }
    this.fail(c, "in numeric literal");
  }

  private digits(c: number): void {
    if (isDigit(c)) return;
    this.zero(c);
  }

  private zero(c: number): void {
    if (c === 0x2e) {
      this.step = (x) => this.dot(x);
      return;
    }
    if (c === 0x65 || c === 0x45) {
      this.step = (x) => this.exp(x);
      return;
    }
    this.endValue(c);
  }

  private dot(c: number): void {
    if (isDigit(c)) {
      this.step = (x) => this.dotDigits(x);
      return;
    }
    this.fail(c, "after decimal point in numeric literal");
  }

  private dotDigits(c: number): void {
    if (isDigit(c)) return;
    if (c === 0x65 || c === 0x45) {
      this.step = (x) => this.exp(x);
      return;
    }
    this.endValue(c);
  }

  private exp(c: number): void {
    if (c === 0x2b || c === 0x2d) {
      this.step = (x) => this.expSign(x);
      return;
    }
    this.expSign(c);
  }

  private expSign(c: number): void {
    if (isDigit(c)) {
      this.step = (x) => this.expDigits(x);
      return;
    }
    this.fail(c, "in exponent of numeric literal");
  }

  private expDigits(c: number): void {
    if (isDigit(c)) return;
    this.endValue(c);
  }

  /** Called when any value ends; records a number literal that overflows float64. */
  private endNumber(): void {
    if (this.numStart < 0) return;
    // A number literal is ASCII.
    const text = String.fromCharCode(...this.bytes.subarray(this.numStart, this.pos));
    this.numStart = -1;
    if (this.firstOverflow === undefined && !Number.isFinite(Number(text))) this.firstOverflow = text;
  }
}
