// The template lexer: a port of Go 1.19 text/template/parse/lex.go. State functions
// (lexText, lexInsideAction, ...) return the next state; the parser pulls items one at a
// time with nextItem(). Positions are UTF-16 offsets into the input (the executor turns
// them into Go's byte columns only when it reports an error).

import { isPrint } from "./fmt/is_print.ts";
import { quote } from "./fmt/quote.ts";
import { quoteTruncated } from "./literals.ts";

/** Item types; keywords come after `Keyword`, in Go's order. */
export const ItemType = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6,
  Declare: 7,
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  Keyword: 22,
  Block: 23,
  Break: 24,
  Continue: 25,
  Dot: 26,
  Define: 27,
  Else: 28,
  End: 29,
  If: 30,
  Nil: 31,
  Range: 32,
  Template: 33,
  With: 34,
} as const;
export type ItemType = (typeof ItemType)[keyof typeof ItemType];

export interface Item {
  typ: ItemType;
  /** Start of the item in the input (UTF-16 offset). */
  pos: number;
  val: string;
  /** Line number at the start of the item. */
  line: number;
}

/** The item as the parser quotes it in "unexpected X in Y" errors. */
export function itemString(i: Item): string {
  if (i.typ === ItemType.EOF) return "EOF";
  if (i.typ === ItemType.Error) return i.val;
  if (i.typ > ItemType.Keyword) return `<${i.val}>`;
  if (Array.from(i.val).length > 10) return `${quoteTruncated(i.val, 10)}...`;
  return quote(i.val);
}

const key: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  [".", ItemType.Dot],
  ["block", ItemType.Block],
  ["break", ItemType.Break],
  ["continue", ItemType.Continue],
  ["define", ItemType.Define],
  ["else", ItemType.Else],
  ["end", ItemType.End],
  ["if", ItemType.If],
  ["range", ItemType.Range],
  ["nil", ItemType.Nil],
  ["template", ItemType.Template],
  ["with", ItemType.With],
]);

const EOF = -1;
const LEFT_DELIM = "{{";
const RIGHT_DELIM = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
const TRIM_MARKER = 0x2d; // '-'
const TRIM_MARKER_LEN = 2; // marker plus the space before or after it
const AT_DELIM = 1;
const AT_TRIM_DELIM = 2;

type StateFn = (l: Lexer) => StateFn | null;

export interface LexOptions {
  leftDelim?: string;
  rightDelim?: string;
  emitComment?: boolean;
  breakOK?: boolean;
  continueOK?: boolean;
}

/** Holds the scanner state; one per parse. */
export class Lexer {
  readonly name: string;
  readonly input: string;
  readonly leftDelim: string;
  readonly rightDelim: string;
  readonly emitComment: boolean;
  readonly breakOK: boolean;
  readonly continueOK: boolean;
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  private items: Item[] = [];
  private head = 0;
  private state: StateFn | null = lexText;

  constructor(name: string, input: string, opts: LexOptions = {}) {
    this.name = name;
    this.input = input;
    this.leftDelim = opts.leftDelim || LEFT_DELIM;
    this.rightDelim = opts.rightDelim || RIGHT_DELIM;
    this.emitComment = opts.emitComment ?? false;
    this.breakOK = opts.breakOK ?? true;
    this.continueOK = opts.continueOK ?? true;
  }

  /** Returns the next item, running state functions until one is emitted. */
  nextItem(): Item {
    while (this.head === this.items.length) {
      if (this.state === null) {
        // After EOF or an error the stream stays at its end.
        return { typ: ItemType.EOF, pos: this.pos, val: "", line: this.line };
      }
      if (this.head > 0) {
        this.items.length = 0;
        this.head = 0;
      }
      this.state = this.state(this);
    }
    return this.items[this.head++] as Item;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const lo = this.input.charCodeAt(this.pos - 1);
      const pair = lo >= 0xdc00 && lo <= 0xdfff && this.pos > 1 &&
        (this.input.charCodeAt(this.pos - 2) & 0xfc00) === 0xd800;
      this.pos -= pair ? 2 : 1;
      if (this.input.charCodeAt(this.pos) === 0x0a) this.line--;
    }
  }

  emit(t: ItemType): void {
    this.items.push({ typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.start = this.pos;
    this.startLine = this.line;
  }

  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  /** Emits an error item and stops the scan. */
  errorf(msg: string): StateFn | null {
    this.items.push({ typ: ItemType.Error, pos: this.start, val: msg, line: this.startLine });
    return null;
  }

  /** 0: not at a right delimiter; AT_DELIM: at one; AT_TRIM_DELIM: at " -" plus one. */
  atRightDelim(): number {
    const input = this.input;
    const pos = this.pos;
    const c = input.charCodeAt(pos);
    if (c !== this.rightDelim.charCodeAt(0) && !isAsciiSpace(c)) return 0; // fast path
    if (hasRightTrimMarker(input, pos) && input.startsWith(this.rightDelim, pos + TRIM_MARKER_LEN)) {
      return AT_TRIM_DELIM;
    }
    return input.startsWith(this.rightDelim, pos) ? AT_DELIM : 0;
  }

  /** Reports whether the input is at a character that may end an identifier. */
  atTerminator(): boolean {
    if (this.pos >= this.input.length) return true;
    const r = this.input.charCodeAt(this.pos);
    if (isSpace(r)) return true;
    switch (r) {
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  /** Scans a number's characters; false if an alphanumeric follows. */
  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 10 + 1 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 16 + 6 + 1 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

/** Go's %#U for error messages: U+0041 'A'. */
function runeDesc(r: number): string {
  const hex = "U+" + r.toString(16).toUpperCase().padStart(4, "0");
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

// lexText scans until an opening action delimiter.
function lexText(l: Lexer): StateFn | null {
  const x = l.input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    const ldn = l.leftDelim.length;
    l.pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(l.input, l.pos + ldn)) trimLength = rightTrimLength(l.input, l.start, l.pos);
    l.pos -= trimLength;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input, l.start, l.pos);
      l.emit(ItemType.Text);
    }
    l.pos += trimLength;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input, l.start, l.pos);
    l.emit(ItemType.Text);
  }
  l.emit(ItemType.EOF);
  return null;
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function rightTrimLength(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && isAsciiSpace(s.charCodeAt(i - 1))) i--;
  return to - i;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isAsciiSpace(s.charCodeAt(i))) i++;
  return i - from;
}

// lexLeftDelim scans the left delimiter, which is known to be present, possibly with a trim marker.
function lexLeftDelim(l: Lexer): StateFn | null {
  l.pos += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit(ItemType.LeftDelim);
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

// lexComment scans a comment. The left comment marker is known to be present.
function lexComment(l: Lexer): StateFn | null {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return l.errorf("unclosed comment");
  l.pos = i + RIGHT_COMMENT.length;
  const at = l.atRightDelim();
  if (at === 0) return l.errorf("comment ends before closing delimiter");
  const trimSpaces = at === AT_TRIM_DELIM;
  if (l.emitComment) l.emit(ItemType.Comment);
  if (trimSpaces) l.pos += TRIM_MARKER_LEN;
  l.pos += l.rightDelim.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

// lexRightDelim scans the right delimiter, which is known to be present, possibly with a trim marker.
function lexRightDelim(l: Lexer): StateFn | null {
  const trimSpace = hasRightTrimMarker(l.input, l.pos);
  if (trimSpace) {
    l.pos += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  l.emit(ItemType.RightDelim);
  if (trimSpace) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
}

// lexInsideAction scans the elements inside action delimiters.
function lexInsideAction(l: Lexer): StateFn | null {
  if (l.atRightDelim() !== 0) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === EOF) return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup(); // Put space back in case we have " -}}".
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      l.emit(ItemType.Assign);
      return lexInsideAction;
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf("expected :=");
      l.emit(ItemType.Declare);
      return lexInsideAction;
    case 0x7c: // |
      l.emit(ItemType.Pipe);
      return lexInsideAction;
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x2e: {
      // ".field" unless a digit follows, in which case '.' starts a number.
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      l.backup();
      return lexNumber;
    }
    case 0x28: // (
      l.emit(ItemType.LeftParen);
      l.parenDepth++;
      return lexInsideAction;
    case 0x29: // )
      l.emit(ItemType.RightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeDesc(r)}`);
      return lexInsideAction;
  }
  if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r < 0x7f && r >= 0x20) {
    l.emit(ItemType.Char);
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${runeDesc(r)}`);
}

// lexSpace scans a run of space characters, minding a trim-marked right delimiter " -}}".
function lexSpace(l: Lexer): StateFn | null {
  let numSpaces = 0;
  for (;;) {
    const r = l.peek();
    if (!isSpace(r)) break;
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(l.rightDelim, l.pos - 1 + TRIM_MARKER_LEN)) {
    l.backup(); // Before the space.
    if (numSpaces === 1) return lexRightDelim; // On the delim, so go right to that.
  }
  l.emit(ItemType.Space);
  return lexInsideAction;
}

// lexIdentifier scans an alphanumeric word: keyword, true/false, or identifier.
function lexIdentifier(l: Lexer): StateFn | null {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${runeDesc(r)}`);
    const k = key.get(word);
    if (k !== undefined && k > ItemType.Keyword) {
      if ((k === ItemType.Break && !l.breakOK) || (k === ItemType.Continue && !l.continueOK)) {
        l.emit(ItemType.Identifier);
      } else l.emit(k);
    } else if (word[0] === ".") l.emit(ItemType.Field);
    else if (word === "true" || word === "false") l.emit(ItemType.Bool);
    else l.emit(ItemType.Identifier);
    return lexInsideAction;
  }
}

// lexField scans a field: .Alphanumeric. The . has been scanned.
function lexField(l: Lexer): StateFn | null {
  return lexFieldOrVariable(l, ItemType.Field);
}

// lexVariable scans a variable: $Alphanumeric. The $ has been scanned.
function lexVariable(l: Lexer): StateFn | null {
  if (l.atTerminator()) {
    l.emit(ItemType.Variable);
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, ItemType.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: ItemType): StateFn | null {
  if (l.atTerminator()) {
    l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${runeDesc(r)}`);
  l.emit(typ);
  return lexInsideAction;
}

// lexChar scans a character constant; the parser checks its syntax.
function lexChar(l: Lexer): StateFn | null {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf("unterminated character constant");
    }
    if (r === EOF || r === 0x0a) return l.errorf("unterminated character constant");
    if (r === 0x27) break;
  }
  l.emit(ItemType.CharConstant);
  return lexInsideAction;
}

// lexNumber scans a number; strconv in the parser reports what the scanner lets through.
function lexNumber(l: Lexer): StateFn | null {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!l.scanNumber() || l.input.charCodeAt(l.pos - 1) !== 0x69) {
      return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
    }
    l.emit(ItemType.Complex);
  } else l.emit(ItemType.Number);
  return lexInsideAction;
}

// lexQuote scans a quoted string.
function lexQuote(l: Lexer): StateFn | null {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf("unterminated quoted string");
    }
    if (r === EOF || r === 0x0a) return l.errorf("unterminated quoted string");
    if (r === 0x22) break;
  }
  l.emit(ItemType.String);
  return lexInsideAction;
}

// lexRawQuote scans a raw quoted string.
function lexRawQuote(l: Lexer): StateFn | null {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf("unterminated raw quoted string");
    if (r === 0x60) break;
  }
  l.emit(ItemType.RawString);
  return lexInsideAction;
}

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

const letterOrDigit = /^[\p{L}\p{Nd}]$/u;

function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) {
    return r === 0x5f || (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  }
  return r !== EOF && letterOrDigit.test(String.fromCodePoint(r));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s.charCodeAt(at) === TRIM_MARKER && isAsciiSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isAsciiSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === TRIM_MARKER;
}

/** Go's isAlphaNumeric, shared with the parser's function-name check. */
export { isAlphaNumeric };
