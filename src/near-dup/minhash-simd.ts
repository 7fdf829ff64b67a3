/**
 * MinHash signatures with WebAssembly SIMD: the same arithmetic as `MinHasher.signature` (per
 * permutation k, the minimum over the set of the signed 32-bit `imul(x ^ a_k, m_k)`), four
 * permutations per 128-bit lane and twelve per pass over the set. `i32x4.mul` keeps the low 32
 * bits of each product, exactly as `Math.imul`, and `i32x4.min_s` is the signed minimum the
 * scalar loop takes, so every slot is bit-identical (test/near-dup/minhash-simd.test.ts compares
 * them); it only runs about three times faster. Without WebAssembly SIMD (`simdSignatures`
 * returns undefined), `MinHasher` keeps its scalar loop.
 *
 * The module is small enough to assemble here from its instructions (no build step, no binary in
 * the repository). Its one function, `sig(set, n, params, out, groups)`, reads `n` 32-bit
 * shingles at byte offset `set` and, per group of 12 permutations, six vectors at `params` (xors
 * of lanes 0–3, 4–7, 8–11, then the multipliers) and writes 12 minima at `out`.
 */

/** Permutations per pass over the set: three vectors of four. */
const GROUP = 12;
const GROUP_PARAM_BYTES = GROUP * 8;
const GROUP_OUT_BYTES = GROUP * 4;
const PAGE = 65_536;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (text: string) => vec([...text].map((c) => [c.charCodeAt(0)]));

// Instructions (core and SIMD) used by the function.
const EMPTY_BLOCK = 0x40;
const block = [0x02, EMPTY_BLOCK];
const loop = [0x03, EMPTY_BLOCK];
const end = [0x0b];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const get = (local: number) => [0x20, ...uleb(local)];
const set = (local: number) => [0x21, ...uleb(local)];
const tee = (local: number) => [0x22, ...uleb(local)];
const i32 = (value: number) => [0x41, ...sleb(value)];
const i32Add = [0x6a];
const i32Sub = [0x6b];
const i32Shl = [0x74];
const i32Eqz = [0x45];
const i32GeU = [0x4f];
const simd = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
const memarg = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];
const v128Load = (offset: number) => simd(0x00, ...memarg(4, offset));
const v128Load32Splat = simd(0x09, ...memarg(2, 0));
const v128Store = (offset: number) => simd(0x0b, ...memarg(4, offset));
const v128Const = (lane: number) => simd(0x0c, ...Array.from({ length: 4 }, () => [lane & 0xff, (lane >>> 8) & 0xff, (lane >>> 16) & 0xff, lane >>> 24]).flat());
const v128Xor = simd(0x51);
const i32x4Mul = simd(0xb5);
const i32x4MinS = simd(0xb6);

// Locals: parameters 0–4, then $end and $i (i32), then six parameter vectors, three minima and the shingle.
const [SET, N, PARAMS, OUT, GROUPS, END, I] = [0, 1, 2, 3, 4, 5, 6];
const XOR = [7, 8, 9];
const MUL = [10, 11, 12];
const MIN = [13, 14, 15];
const X = 16;
const EMPTY_SLOT = 0x7fffffff;

function functionBody(): number[] {
  const code = [
    ...get(N), ...i32(2), ...i32Shl, ...get(SET), ...i32Add, ...set(END),
    ...block,
    ...loop,
    ...get(GROUPS), ...i32Eqz, ...brIf(1),
    ...[...XOR, ...MUL].flatMap((local, j) => [...get(PARAMS), ...v128Load(j * 16), ...set(local)]),
    ...v128Const(EMPTY_SLOT), ...tee(MIN[0]!), ...tee(MIN[1]!), ...set(MIN[2]!),
    ...get(SET), ...set(I),
    ...block,
    ...loop,
    ...get(I), ...get(END), ...i32GeU, ...brIf(1),
    ...get(I), ...v128Load32Splat, ...set(X),
    ...[0, 1, 2].flatMap((j) => [...get(MIN[j]!), ...get(X), ...get(XOR[j]!), ...v128Xor, ...get(MUL[j]!), ...i32x4Mul, ...i32x4MinS, ...set(MIN[j]!)]),
    ...get(I), ...i32(4), ...i32Add, ...set(I),
    ...br(0),
    ...end,
    ...end,
    ...[0, 1, 2].flatMap((j) => [...get(OUT), ...get(MIN[j]!), ...v128Store(j * 16)]),
    ...get(PARAMS), ...i32(GROUP_PARAM_BYTES), ...i32Add, ...set(PARAMS),
    ...get(OUT), ...i32(GROUP_OUT_BYTES), ...i32Add, ...set(OUT),
    ...get(GROUPS), ...i32(1), ...i32Sub, ...set(GROUPS),
    ...br(0),
    ...end,
    ...end,
    ...end,
  ];
  const locals = vec([
    [2, 0x7f],
    [10, 0x7b],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...name('memory'), 0x02, 0x00], [...name('sig'), 0x00, 0x00]])),
    ...section(10, vec([functionBody()])),
  ]);
}

/** The little of the WebAssembly JS API used here (the project's type libraries leave it out). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

function simdModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = moduleBytes();
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Signatures for one set of permutation parameters; undefined when WebAssembly SIMD is unavailable. */
export function simdSignatures(xors: Int32Array, muls: Int32Array): ((shingles: Uint32Array) => Int32Array) | undefined {
  const module = simdModule();
  if (!module || !wasm) return undefined;
  const { exports } = new wasm.Instance(module, {});
  const memory = exports.memory as WasmMemory;
  const sig = exports.sig as (set: number, n: number, params: number, out: number, groups: number) => void;
  const permutations = xors.length;
  const groups = Math.ceil(permutations / GROUP);
  const outAt = groups * GROUP_PARAM_BYTES;
  const setAt = outAt + groups * GROUP_OUT_BYTES;
  const grow = (bytes: number) => {
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
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
