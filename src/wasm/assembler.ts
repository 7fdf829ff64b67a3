/**
 * Just enough of the WebAssembly binary format to assemble small modules in code: no build step,
 * no binary in the repository, and the instructions sit beside the TypeScript they replace
 * (near-dup/minhash-simd.ts, select/key-bytes-wasm.ts). Each helper returns the bytes of one
 * instruction or section; a function body is their concatenation.
 */

export const PAGE_BYTES = 65_536;
export const I32 = 0x7f;
export const V128 = 0x7b;

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

/** A module of one function and one exported memory, exported as `memory` and `functionName`. */
export function oneFunctionModule(options: {
  functionName: string;
  params: number[];
  results: number[];
  locals: [count: number, type: number][];
  code: number[];
  memoryPages: number;
}): Uint8Array {
  const locals = vec(options.locals.map(([count, type]) => [...uleb(count), type]));
  const body = [...locals, ...options.code];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(options.params.map((t) => [t])), ...vec(options.results.map((t) => [t]))]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, ...uleb(options.memoryPages)]])),
    ...section(
      7,
      vec([
        [...name('memory'), 0x02, 0x00],
        [...name(options.functionName), 0x00, 0x00],
      ]),
    ),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

// Control.
const EMPTY_BLOCK = 0x40;
export const block = [0x02, EMPTY_BLOCK];
export const loop = [0x03, EMPTY_BLOCK];
export const ifThen = [0x04, EMPTY_BLOCK];
export const orElse = [0x05];
export const end = [0x0b];
export const br = (depth: number) => [0x0c, ...uleb(depth)];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];
export const ret = [0x0f];

// Locals and constants.
export const get = (local: number) => [0x20, ...uleb(local)];
export const set = (local: number) => [0x21, ...uleb(local)];
export const tee = (local: number) => [0x22, ...uleb(local)];
export const i32 = (value: number) => [0x41, ...sleb(value)];

// i32 arithmetic and comparisons.
export const i32Eqz = [0x45];
export const i32Eq = [0x46];
export const i32Ne = [0x47];
export const i32LtU = [0x49];
export const i32LeU = [0x4d];
export const i32GeU = [0x4f];
export const i32Add = [0x6a];
export const i32Sub = [0x6b];
export const i32And = [0x71];
export const i32Or = [0x72];
export const i32Shl = [0x74];
export const i32ShrU = [0x76];
export const i32Ctz = [0x68];

// Memory (offsets are immediates; alignment hints are 1 byte, so unaligned access is fine).
const memarg = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];
export const i32Load = (offset = 0) => [0x28, ...memarg(0, offset)];
export const i32Load8U = (offset = 0) => [0x2d, ...memarg(0, offset)];
export const i32Store = (offset = 0) => [0x36, ...memarg(0, offset)];
export const i32Store8 = (offset = 0) => [0x3a, ...memarg(0, offset)];
/** memory.copy (bulk memory): dest, source, length on the stack. */
export const memoryCopy = [0xfc, ...uleb(10), 0x00, 0x00];

// SIMD.
export const simd = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
export const v128Load = (offset: number) => simd(0x00, ...memarg(4, offset));
export const v128Load32Splat = simd(0x09, ...memarg(2, 0));
export const v128Store = (offset: number) => simd(0x0b, ...memarg(4, offset));
/** Unaligned 16-byte access (alignment hint 1 byte). */
export const v128LoadU = (offset = 0) => simd(0x00, ...memarg(0, offset));
export const v128StoreU = (offset = 0) => simd(0x0b, ...memarg(0, offset));
export const i8x16Splat = simd(0x0f);
export const i8x16Eq = simd(0x23);
export const i8x16LtU = simd(0x26);
export const i8x16GtU = simd(0x28);
export const i8x16LeU = simd(0x2a);
export const i8x16GeU = simd(0x2c);
/** A vector of four copies of the 32-bit `lane`. */
export const v128Const = (lane: number) =>
  simd(
    0x0c,
    ...Array.from({ length: 4 }, () => [lane & 0xff, (lane >>> 8) & 0xff, (lane >>> 16) & 0xff, lane >>> 24]).flat(),
  );
/** 4 bytes at address + offset into lane 0, the other lanes zero. */
export const v128Load32Zero = (offset = 0) => simd(0x5c, ...memarg(0, offset));
/** 4 bytes at address + offset into `lane` of the vector (stack: address, vector). */
export const v128Load32Lane = (offset: number, lane: number) => simd(0x56, ...memarg(0, offset), lane);
export const i32x4Splat = simd(0x11);
export const i32x4LtS = simd(0x39);
export const v128Not = simd(0x4d);
export const v128And = simd(0x4e);
export const v128Or = simd(0x50);
export const v128Xor = simd(0x51);
/** (v1 & mask) | (v2 & ~mask), stack: v1, v2, mask. */
export const v128Bitselect = simd(0x52);
export const i8x16Bitmask = simd(0x64);
export const i32x4Shl = simd(0xab);
export const i32x4ShrU = simd(0xad);
export const i32x4Add = simd(0xae);
export const i32x4Mul = simd(0xb5);
export const i32x4MinS = simd(0xb6);

/** The little of the WebAssembly JS API used here (the project's type libraries leave it out). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiles `bytes` once; null when this runtime lacks WebAssembly or a feature the module uses. */
export function compileModule(bytes: () => Uint8Array): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        const module = bytes();
        compiled = wasm?.validate(module) ? new wasm.Module(module) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** A new instance's exports. */
export function instantiate(module: object): Record<string, unknown> {
  return new wasm!.Instance(module, {}).exports;
}
