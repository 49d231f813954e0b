// Go slice capacities. Go's `slice` builtin checks indexes against a slice's capacity,
// not its length, so `slice x 0 4` on a 3-element slice succeeds when cap(x) is 4 and
// reads the spare element (nil, 0, ""). Capacity is an allocation detail that Go
// computes deterministically: append's growth (runtime.growslice, rounded up to the
// allocator's size classes) and encoding/json's own growth for a decoded slice.
// Values record the spare elements of the slices that have them (value.ts setSpare).

/** Go 1.19's small-object size classes in bytes (runtime/sizeclasses.go); larger sizes round to 8 KiB pages. */
const SIZE_CLASSES = [
  0,
  8,
  16,
  24,
  32,
  48,
  64,
  80,
  96,
  112,
  128,
  144,
  160,
  176,
  192,
  208,
  224,
  240,
  256,
  288,
  320,
  352,
  384,
  416,
  448,
  480,
  512,
  576,
  640,
  704,
  768,
  896,
  1024,
  1152,
  1280,
  1408,
  1536,
  1792,
  2048,
  2304,
  2688,
  3072,
  3200,
  3456,
  4096,
  4864,
  5376,
  6144,
  6528,
  6784,
  6912,
  8192,
  9472,
  9728,
  10240,
  10880,
  12288,
  13568,
  14336,
  16384,
  18432,
  19072,
  20480,
  21760,
  24576,
  27264,
  28672,
  32768,
];
const MAX_SMALL_SIZE = 32768;
const PAGE_SIZE = 8192;

/** runtime.roundupsize: the size the allocator really hands out for a request of `size` bytes. */
function roundUpSize(size: number): number {
  if (size < MAX_SMALL_SIZE) {
    for (const c of SIZE_CLASSES) if (c >= size) return c;
  }
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

/** runtime.growslice's new capacity when a slice of capacity `old` must hold `needed` elements. */
function grow(old: number, needed: number, elemSize: number): number {
  let newcap = old;
  const doublecap = old + old;
  if (needed > doublecap) newcap = needed;
  else if (old < 256) newcap = doublecap;
  else while (newcap < needed) newcap += Math.floor((newcap + 3 * 256) / 4);
  return Math.floor(roundUpSize(newcap * elemSize) / elemSize);
}

/** Capacities already worked out, by element size then length (data holds many short arrays). */
const appendCaps = new Map<number, number[]>();
const MEMO_LEN = 1024;

/** cap() of a slice built by appending `len` elements one by one to an empty slice. */
export function appendCap(len: number, elemSize: number): number {
  let memo = appendCaps.get(elemSize);
  if (memo === undefined) appendCaps.set(elemSize, memo = []);
  const known = len < MEMO_LEN ? memo[len] : undefined;
  if (known !== undefined) return known;
  let cap = 0;
  while (cap < len) cap = grow(cap, cap + 1, elemSize);
  if (len < MEMO_LEN) memo[len] = cap;
  return cap;
}

/** cap() of a top-level JSON array decoded by encoding/json into a slice variable (grows by half, at least 4). */
export function jsonDecodeCap(len: number): number {
  let cap = 0;
  while (cap < len) cap = Math.max(4, cap + Math.floor(cap / 2));
  return cap;
}

/** Element sizes on 64-bit Go for the slices reconfd builds by appending. */
export const ELEM_SIZE = { int: 8, string: 16, iface: 16, kvPair: 32 } as const;
