// Go's slice capacities, checked against Go 1.19 on linux/amd64: cap() after appending n
// elements one by one ([]interface {} and []string: 16 bytes, []int: 8, memkv.KVPair: 32),
// and after json.Unmarshal of an n-element array into a []interface {} variable.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendCap, ELEM_SIZE, jsonDecodeCap } from "../../../src/template/go_cap.ts";

// [n, append 16-byte, json.Unmarshal into a slice, append 8-byte, append 32-byte]
const GO_CAPS: [n: number, iface: number, decoded: number, int: number, kvPair: number][] = [
  [0, 0, 0, 0, 0],
  [1, 1, 4, 1, 1],
  [2, 2, 4, 2, 2],
  [3, 4, 4, 4, 4],
  [4, 4, 4, 4, 4],
  [5, 8, 6, 8, 8],
  [9, 16, 9, 16, 16],
  [17, 32, 19, 32, 32],
  [100, 128, 141, 128, 128],
  [255, 256, 316, 256, 256],
  [256, 256, 316, 256, 256],
  [257, 512, 316, 512, 512],
  [300, 512, 316, 512, 512],
  [512, 512, 711, 512, 512],
  [513, 848, 711, 848, 852],
  [1000, 1280, 1066, 1280, 1280],
  [1025, 1280, 1066, 1280, 1280],
  [2000, 2560, 2398, 2560, 2560],
  [3000, 3584, 3597, 3408, 3584],
  [10000, 11264, 12138, 12288, 10496],
  [100000, 117760, 138255, 110592, 107264],
];

describe("Go slice capacities", () => {
  for (const [n, iface, decoded, int, kvPair] of GO_CAPS) {
    it(`${n} elements: append gives ${iface} / ${int} / ${kvPair}, encoding/json gives ${decoded}`, () => {
      assert.deepEqual(
        [
          appendCap(n, ELEM_SIZE.iface),
          appendCap(n, ELEM_SIZE.string),
          jsonDecodeCap(n),
          appendCap(n, ELEM_SIZE.int),
          appendCap(n, ELEM_SIZE.kvPair),
        ],
        [iface, iface, decoded, int, kvPair],
      );
    });
  }

  it("asking again for a memoised length gives the same answer", () => {
    assert.equal(appendCap(5, ELEM_SIZE.int), appendCap(5, ELEM_SIZE.int));
    assert.equal(appendCap(5, ELEM_SIZE.int), 8);
  });
});
