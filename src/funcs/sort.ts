// sortByLength, sortKVByLength and reverse. Go's sort.Sort is not stable, and confd's
// length sorts expose its tie order, so this is a faithful port of Go 1.19's pdqsort
// (insertion sort up to 12 elements, then pattern-defeating quicksort with a
// deterministic xorshift), giving the same order as confd for any input.

import { GoFuncValue, GoSlice, nilSlice, SLICE_STRING, spareOf, T, type Value, withSpare } from "../template/value.ts";
import { goFunc, kvPairFields, KVPAIRS_TYPE, sig, SLICE_KVPAIR } from "./go_func.ts";

type Less = (i: number, j: number) => boolean;

/** Go 1.19 sort.Sort over xs (in place) with the given element order. */
export function goSort<X>(xs: X[], less: (a: X, b: X) => boolean): void {
  const n = xs.length;
  if (n <= 1) return;
  const s = new Sorter((i, j) => less(xs[i], xs[j]), (i, j) => {
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  });
  s.pdqsort(0, n, bitsLen(n));
}

function bitsLen(n: number): number {
  return n === 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

const Hint = { Unknown: 0, Increasing: 1, Decreasing: 2 } as const;
type Hint = (typeof Hint)[keyof typeof Hint];

class Sorter {
  constructor(readonly less: Less, readonly swap: (i: number, j: number) => void) {}

  insertionSort(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && this.less(j, j - 1); j--) this.swap(j, j - 1);
    }
  }

  siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  heapSort(a: number, b: number): void {
    const first = a;
    const hi = b - a;
    for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) this.siftDown(i, hi, first);
    for (let i = hi - 1; i >= 0; i--) {
      this.swap(first, first + i);
      this.siftDown(0, i, first);
    }
  }

  pdqsort(a: number, b: number, limit: number): void {
    const maxInsertion = 12;
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= maxInsertion) {
        this.insertionSort(a, b);
        return;
      }
      if (limit === 0) {
        this.heapSort(a, b);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = this.choosePivot(a, b);
      if (hint === Hint.Decreasing) {
        this.reverseRange(a, b);
        pivot = b - 1 - (pivot - a);
        hint = Hint.Increasing;
      }
      if (wasBalanced && wasPartitioned && hint === Hint.Increasing) {
        if (this.partialInsertionSort(a, b)) return;
      }
      if (a > 0 && !this.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, alreadyPartitioned] = this.partition(a, b, pivot);
      wasPartitioned = alreadyPartitioned;
      const leftLen = mid - a;
      const rightLen = b - mid;
      const balanceThreshold = Math.floor(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= balanceThreshold;
        this.pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLen >= balanceThreshold;
        this.pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  partition(a: number, b: number, pivot: number): [number, boolean] {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && this.less(i, a)) i++;
    while (i <= j && !this.less(j, a)) j--;
    if (i > j) {
      this.swap(j, a);
      return [j, true];
    }
    this.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && this.less(i, a)) i++;
      while (i <= j && !this.less(j, a)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    this.swap(j, a);
    return [j, false];
  }

  partitionEqual(a: number, b: number, pivot: number): number {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !this.less(a, i)) i++;
      while (i <= j && this.less(a, j)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  partialInsertionSort(a: number, b: number): boolean {
    const maxSteps = 5;
    const shortestShifting = 50;
    let i = a + 1;
    for (let step = 0; step < maxSteps; step++) {
      while (i < b && !this.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < shortestShifting) return false;
      this.swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    let random = BigInt(length);
    const mask64 = (1n << 64n) - 1n;
    const next = (): bigint => {
      random ^= (random << 13n) & mask64;
      random ^= random >> 17n;
      random ^= (random << 5n) & mask64;
      return random;
    };
    const modulus = BigInt(2 ** bitsLen(length));
    const base = a + Math.floor(length / 4) * 2;
    for (let idx = base - 1; idx <= base + 1; idx++) {
      let other = Number(next() & (modulus - 1n));
      if (other >= length) other -= length;
      this.swap(idx, a + other);
    }
  }

  choosePivot(a: number, b: number): [number, Hint] {
    const shortestNinther = 50;
    const maxSwaps = 4 * 3;
    const l = b - a;
    const swaps = { n: 0 };
    const q = Math.floor(l / 4);
    let i = a + q;
    let j = a + q * 2;
    let k = a + q * 3;
    if (l >= 8) {
      if (l >= shortestNinther) {
        i = this.median(i - 1, i, i + 1, swaps);
        j = this.median(j - 1, j, j + 1, swaps);
        k = this.median(k - 1, k, k + 1, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    if (swaps.n === 0) return [j, Hint.Increasing];
    if (swaps.n === maxSwaps) return [j, Hint.Decreasing];
    return [j, Hint.Unknown];
  }

  order2(a: number, b: number, swaps: { n: number }): [number, number] {
    if (this.less(b, a)) {
      swaps.n++;
      return [b, a];
    }
    return [a, b];
  }

  median(a: number, b: number, c: number, swaps: { n: number }): number {
    [a, b] = this.order2(a, b, swaps);
    [b, c] = this.order2(b, c, swaps);
    [a, b] = this.order2(a, b, swaps);
    return b;
  }

  reverseRange(a: number, b: number): void {
    for (let i = a, j = b - 1; i < j; i++, j--) this.swap(i, j);
  }
}

/** Go's len: UTF-8 bytes, an escaped invalid byte (lone surrogate U+DC80..U+DCFF) counting one. */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0xdc80 && c <= 0xdcff) n += 1;
    else n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * confd's Reverse: reverses a []string or a []memkv.KVPair in place and returns it;
 * anything else comes back unchanged. Deliberate fix: the memkv.KVPairs returned by
 * `gets` is reversed too (confd's type switch missed that named type).
 */
export function reverseValue(v: Value): Value {
  if (v instanceof GoSlice) {
    const name = v.type.name;
    if (name === SLICE_STRING.name || name === SLICE_KVPAIR.name || name === KVPAIRS_TYPE.name) {
      v.items.reverse();
    }
  }
  return v;
}

export function sortFuncs(): Map<string, GoFuncValue> {
  const fns = [
    goFunc("reverse", sig([T.any], T.any), (v) => reverseValue(v)),
    goFunc("sortByLength", sig([SLICE_STRING], SLICE_STRING), (v) => {
      if (!(v instanceof GoSlice)) return nilSlice(SLICE_STRING);
      goSort(v.items, (a, b) => byteLength(a as string) < byteLength(b as string));
      return v;
    }),
    goFunc("sortKVByLength", sig([SLICE_KVPAIR], SLICE_KVPAIR), (v) => {
      if (!(v instanceof GoSlice)) return nilSlice(SLICE_KVPAIR);
      const keyLen = (x: Value) => byteLength(kvPairFields(x).key);
      goSort(v.items, (a, b) => keyLen(a) < keyLen(b));
      // The result has the parameter's type: a memkv.KVPairs argument comes back as []memkv.KVPair.
      if (v.type.name === SLICE_KVPAIR.name) return v;
      const converted = new GoSlice(SLICE_KVPAIR, v.items);
      const spare = spareOf(v);
      return spare === undefined ? converted : withSpare(converted, spare);
    }),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
