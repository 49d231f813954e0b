// strconv.FormatFloat: Go's float formatting ('e', 'E', 'f', 'g', 'G', 'b', 'x', 'X').
// Fixed precisions round the exact binary value half-to-even on its exact decimal expansion
// (computed with BigInt), as Go's decimal type does; JS toFixed/toPrecision round differently.
// Shortest formatting takes its digits from the runtime's shortest round-trip conversion,
// which picks the same digits as Go's Ryu for float64.

/** Decimal digits with no trailing zeros; the value is 0.d × 10^dp (Go's decimalSlice). */
interface Digits {
  readonly d: string;
  readonly dp: number;
}

interface FloatInfo {
  readonly mantbits: number;
  readonly expbits: number;
  readonly bias: number;
}

const FLOAT64: FloatInfo = { mantbits: 52, expbits: 11, bias: -1023 };
const FLOAT32: FloatInfo = { mantbits: 23, expbits: 8, bias: -127 };

const view = new DataView(new ArrayBuffer(8));

/**
 * strconv.FormatFloat(f, fmt, prec, bitSize): prec < 0 means the fewest digits that
 * read back as the same value. An unknown fmt gives `%` followed by it, as in Go.
 */
export function formatFloat(f: number, fmt: string, prec: number, bitSize: 32 | 64 = 64): string {
  if (fmt === "f" && prec >= 0 && prec <= 20) {
    const v = bitSize === 32 ? Math.fround(f) : f;
    const a = Math.abs(v);
    // toFixed rounds the exact value too, but breaks ties away from zero. Only a value with
    // exactly prec+1 fractional digits (the last one a 5) can tie; those take the exact path.
    if (a < 1e21 && !(Number.isInteger(a * 2 ** (prec + 1)) && !Number.isInteger(a * 2 ** prec))) {
      return (v < 0 || Object.is(v, -0) ? "-" : "") + a.toFixed(prec);
    }
  }
  const flt = bitSize === 32 ? FLOAT32 : FLOAT64;
  let bits: bigint;
  if (bitSize === 32) {
    view.setFloat32(0, f);
    bits = BigInt(view.getUint32(0));
  } else {
    view.setFloat64(0, f);
    bits = view.getBigUint64(0);
  }
  const mantbits = BigInt(flt.mantbits);
  const neg = bits >> BigInt(flt.expbits + flt.mantbits) !== 0n;
  let exp = Number(bits >> mantbits) & ((1 << flt.expbits) - 1);
  let mant = bits & ((1n << mantbits) - 1n);
  if (exp === (1 << flt.expbits) - 1) {
    if (mant !== 0n) return "NaN";
    return neg ? "-Inf" : "+Inf";
  }
  if (exp === 0) exp++; // denormalized
  else mant |= 1n << mantbits; // implicit top bit
  exp += flt.bias;

  if (fmt === "b") return fmtB(neg, mant, exp, flt);
  if (fmt === "x" || fmt === "X") return fmtX(prec, fmt, neg, mant, exp, flt);

  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = bitSize === 32 ? shortest32(mant, exp - flt.mantbits, f) : shortest64(Math.abs(f));
    switch (fmt) {
      case "e":
      case "E":
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case "f":
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      case "g":
      case "G":
        prec = digs.d.length;
        break;
    }
  } else {
    const exact = exactDigits(mant, exp - flt.mantbits);
    switch (fmt) {
      case "e":
      case "E":
        digs = round(exact, prec + 1);
        break;
      case "f":
        digs = round(exact, exact.dp + prec);
        break;
      case "g":
      case "G":
        if (prec === 0) prec = 1;
        digs = round(exact, prec);
        break;
      default:
        digs = exact;
    }
  }
  return formatDigits(shortest, neg, digs, prec, fmt);
}

function formatDigits(shortest: boolean, neg: boolean, digs: Digits, prec: number, fmt: string): string {
  switch (fmt) {
    case "e":
    case "E":
      return fmtE(neg, digs, prec, fmt);
    case "f":
      return fmtF(neg, digs, prec);
    case "g":
    case "G": {
      const nd = digs.d.length;
      // Trailing fractional zeros in 'e' form will be trimmed.
      let eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      // %e is used if the exponent is < -4 or >= the precision; shortest uses 6.
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, prec - 1, fmt === "g" ? "e" : "E");
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
  }
  return "%" + fmt;
}

/** The exact decimal expansion of mant × 2^e2. */
function exactDigits(mant: bigint, e2: number): Digits {
  if (mant === 0n) return { d: "", dp: 0 };
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    // mant / 2^k = mant × 5^k / 10^k
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  return trim(s, dp);
}

function trim(s: string, dp: number): Digits {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 0x30) n--;
  if (n === 0) return { d: "", dp: 0 };
  return { d: n === s.length ? s : s.slice(0, n), dp };
}

/** decimal.Round: to nd digits, halfway cases to even (the digits are exact, never truncated). */
function round(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  if (shouldRoundUp(a, nd)) {
    for (let i = nd - 1; i >= 0; i--) {
      const c = a.d.charCodeAt(i);
      if (c < 0x39) return { d: a.d.slice(0, i) + String.fromCharCode(c + 1), dp: a.dp };
    }
    // All nines: becomes a single 1 with the decimal point moved.
    return { d: "1", dp: a.dp + 1 };
  }
  return trim(a.d.slice(0, nd), a.dp);
}

function shouldRoundUp(a: Digits, nd: number): boolean {
  const c = a.d.charCodeAt(nd);
  if (c === 0x35 && nd + 1 === a.d.length) {
    // Exactly halfway: round to even.
    return nd > 0 && (a.d.charCodeAt(nd - 1) - 0x30) % 2 !== 0;
  }
  return c >= 0x35;
}

/** Shortest round-trip digits of a non-negative finite float64. */
function shortest64(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const s = x.toExponential();
  const e = s.indexOf("e");
  const d = s.charCodeAt(1) === 0x2e ? s[0] + s.slice(2, e) : s.slice(0, e);
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

/** Shortest digits that read back (as float32) to the same float32 value. */
function shortest32(mant: bigint, e2: number, f: number): Digits {
  const exact = exactDigits(mant, e2);
  const target = Math.fround(Math.abs(f));
  for (let n = 1; n < exact.d.length; n++) {
    const r = round(exact, n);
    if (Math.fround(Number(`0.${r.d}e${r.dp}`)) === target) return r;
  }
  return exact;
}

/** %e: -d.ddddde±dd */
function fmtE(neg: boolean, d: Digits, prec: number, fmt: string): string {
  const nd = d.d.length;
  let out = neg ? "-" : "";
  out += nd !== 0 ? d.d[0] : "0";
  if (prec > 0) {
    out += ".";
    const m = Math.min(nd, prec + 1);
    if (m > 1) out += d.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += "0";
  }
  out += fmt;
  let exp = nd === 0 ? 0 : d.dp - 1; // 0 has exponent 0
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else {
    out += "+";
  }
  return out + (exp < 10 ? "0" + exp : String(exp));
}

/** %f: -ddddddd.ddddd */
function fmtF(neg: boolean, d: Digits, prec: number): string {
  const nd = d.d.length;
  let out = neg ? "-" : "";
  if (d.dp > 0) {
    const m = Math.min(nd, d.dp);
    out += d.d.slice(0, m);
    if (m < d.dp) out += "0".repeat(d.dp - m);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < nd ? d.d[j] : "0";
    }
  }
  return out;
}

/** %b: -ddddddddp±ddd */
function fmtB(neg: boolean, mant: bigint, exp: number, flt: FloatInfo): string {
  exp -= flt.mantbits;
  return (neg ? "-" : "") + mant.toString() + "p" + (exp >= 0 ? "+" : "") + String(exp);
}

/** %x: -0x1.yyyyyyyyp±ddd or -0x0p+00 */
function fmtX(prec: number, fmt: string, neg: boolean, mant: bigint, exp: number, flt: FloatInfo): string {
  if (mant === 0n) exp = 0;
  const one = 1n << 60n;
  // Shift digits so the leading 1 (if any) is at bit 60.
  mant <<= BigInt(60 - flt.mantbits);
  while (mant !== 0n && (mant & one) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (one - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      // Wrapped around.
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = (neg ? "-" : "") + "0" + fmt + ((mant >> 60n) & 1n).toString();
  mant = (mant << 4n) & ((1n << 64n) - 1n); // drop the leading 0 or 1, as a uint64 shift does
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += fmt === "X" ? "P" : "p";
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else {
    out += "+";
  }
  return out + (exp < 10 ? "0" + exp : String(exp));
}
