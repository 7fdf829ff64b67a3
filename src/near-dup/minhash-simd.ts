/**
 * MinHash signatures with WebAssembly SIMD: the same arithmetic as `MinHasher.signature` (per
 * permutation k, the minimum over the set of the signed 32-bit `imul(x ^ a_k, m_k)`), four
 * permutations per 128-bit lane and twelve per pass over the set. `i32x4.mul` keeps the low 32
 * bits of each product, exactly as `Math.imul`, and `i32x4.min_s` is the signed minimum the
 * scalar loop takes, so every slot is bit-identical (test/near-dup/minhash-simd.test.ts compares
 * them); it only runs about three times faster. Without WebAssembly SIMD (`simdSignatures`
 * returns undefined), `MinHasher` keeps its scalar loop.
 *
 * The module is small enough to assemble here from its instructions (wasm/assembler.ts: no build
 * step, no binary in the repository). Its one function, `sig(set, n, params, out, groups)`, reads
 * `n` 32-bit shingles at byte offset `set` and, per group of 12 permutations, six vectors at
 * `params` (xors of lanes 0–3, 4–7, 8–11, then the multipliers) and writes 12 minima at `out`.
 */

import * as w from '../wasm/assembler.js';

/** Permutations per pass over the set: three vectors of four. */
const GROUP = 12;
const GROUP_PARAM_BYTES = GROUP * 8;
const GROUP_OUT_BYTES = GROUP * 4;

const {
  block,
  loop,
  end,
  br,
  brIf,
  get,
  set,
  tee,
  i32,
  i32Add,
  i32Sub,
  i32Shl,
  i32Eqz,
  i32GeU,
  v128Load,
  v128Load32Splat,
  v128Store,
  V128,
  I32,
  v128Const,
  v128Xor,
  i32x4Mul,
  i32x4MinS,
} = w;

// Locals: parameters 0–4, then $end and $i (i32), then six parameter vectors, three minima and the shingle.
const [SET, N, PARAMS, OUT, GROUPS, END, I] = [0, 1, 2, 3, 4, 5, 6];
const XOR = [7, 8, 9];
const MUL = [10, 11, 12];
const MIN = [13, 14, 15];
const X = 16;
const EMPTY_SLOT = 0x7fffffff;

function code(): number[] {
  return [
    ...get(N),
    ...i32(2),
    ...i32Shl,
    ...get(SET),
    ...i32Add,
    ...set(END),
    ...block,
    ...loop,
    ...get(GROUPS),
    ...i32Eqz,
    ...brIf(1),
    ...[...XOR, ...MUL].flatMap((local, j) => [...get(PARAMS), ...v128Load(j * 16), ...set(local)]),
    ...v128Const(EMPTY_SLOT),
    ...tee(MIN[0]!),
    ...tee(MIN[1]!),
    ...set(MIN[2]!),
    ...get(SET),
    ...set(I),
    ...block,
    ...loop,
    ...get(I),
    ...get(END),
    ...i32GeU,
    ...brIf(1),
    ...get(I),
    ...v128Load32Splat,
    ...set(X),
    ...[0, 1, 2].flatMap((j) => [
      ...get(MIN[j]!),
      ...get(X),
      ...get(XOR[j]!),
      ...v128Xor,
      ...get(MUL[j]!),
      ...i32x4Mul,
      ...i32x4MinS,
      ...set(MIN[j]!),
    ]),
    ...get(I),
    ...i32(4),
    ...i32Add,
    ...set(I),
    ...br(0),
    ...end,
    ...end,
    ...[0, 1, 2].flatMap((j) => [...get(OUT), ...get(MIN[j]!), ...v128Store(j * 16)]),
    ...get(PARAMS),
    ...i32(GROUP_PARAM_BYTES),
    ...i32Add,
    ...set(PARAMS),
    ...get(OUT),
    ...i32(GROUP_OUT_BYTES),
    ...i32Add,
    ...set(OUT),
    ...get(GROUPS),
    ...i32(1),
    ...i32Sub,
    ...set(GROUPS),
    ...br(0),
    ...end,
    ...end,
    ...end,
  ];
}

const simdModule = w.compileModule(() =>
  w.oneFunctionModule({
    functionName: 'sig',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [
      [2, I32],
      [10, V128],
    ],
    code: code(),
    memoryPages: 1,
  }),
);

/** Signatures for one set of permutation parameters; undefined when WebAssembly SIMD is unavailable. */
export function simdSignatures(
  xors: Int32Array,
  muls: Int32Array,
): ((shingles: Uint32Array) => Int32Array) | undefined {
  const module = simdModule();
  if (!module) return undefined;
  const exports = w.instantiate(module);
  const memory = exports.memory as w.WasmMemory;
  const sig = exports.sig as (set: number, n: number, params: number, out: number, groups: number) => void;
  const permutations = xors.length;
  const groups = Math.ceil(permutations / GROUP);
  const outAt = groups * GROUP_PARAM_BYTES;
  const setAt = outAt + groups * GROUP_OUT_BYTES;
  const grow = (bytes: number) => {
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / w.PAGE_BYTES));
  };
  grow(setAt);
  // Padding permutations (past `permutations`) get harmless parameters; their minima are dropped.
  const params = new Int32Array(memory.buffer, 0, groups * GROUP * 2);
  for (let k = 0; k < groups * GROUP; k++) {
    const g = Math.floor(k / GROUP);
    const lane = k % GROUP;
    params[g * GROUP * 2 + lane] = k < permutations ? xors[k]! : 0;
    params[g * GROUP * 2 + GROUP + lane] = k < permutations ? muls[k]! : 1;
  }
  return (shingles) => {
    grow(setAt + shingles.length * 4);
    new Uint32Array(memory.buffer, setAt, shingles.length).set(shingles);
    sig(setAt, shingles.length, 0, outAt, groups);
    return new Int32Array(memory.buffer.slice(outAt, outAt + permutations * 4));
  };
}
