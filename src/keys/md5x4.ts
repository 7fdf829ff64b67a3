/**
 * md5 of many messages, four at a time: each lane of a WebAssembly SIMD vector runs md5 on its
 * own message, so one pass of the 64 steps advances four messages by a block, and two such groups
 * run interleaved. The digests are md5's, bit for bit (test/select/md5x4.test.ts checks them
 * against node:crypto on random lengths); only the speed differs. md5 is a chain of dependent
 * additions, about 5 CPU cycles a byte in OpenSSL (node:crypto: ~680 MB/s here); eight chains side
 * by side run at ~1,650 MB/s, and a 1.8 KB record costs ~1.4 µs instead of ~2.6 µs with copying
 * and padding included (docs/benchmarks.md).
 *
 * `Md5Batch` gathers messages (copied in, padded as md5 pads them), sorts them by length so that
 * the four messages of a group have about the same number of blocks (a lane whose message ended
 * keeps its state while the others finish), and hashes them all in one call.
 */
import * as w from '../wasm/assembler.js';

const {
  block,
  loop,
  end,
  brIf,
  br,
  get,
  set,
  tee,
  i32,
  i32Add,
  i32Sub,
  i32Load,
  i32Eqz,
  i32GeU,
  ifThen,
  v128Load,
  v128Store,
  V128,
  I32,
  v128Const,
  v128Load32Zero,
  v128Load32Lane,
  i32x4Splat,
  i32x4LtS,
  v128Not,
  v128Or,
  v128Xor,
  v128Bitselect,
  i32x4Shl,
  i32x4ShrU,
  i32x4Add,
} = w;

/** md5's per-step constants and shifts (RFC 1321). */
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
const SHIFTS = [
  [7, 12, 17, 22],
  [5, 9, 14, 20],
  [4, 11, 16, 23],
  [6, 10, 15, 21],
];
const INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/** Bytes per group record: four message addresses, four block counts, the largest count, padding. */
const GROUP_BYTES = 48;
/** Bytes per group's digests: the four state vectors a, b, c, d (lane l is message l). */
const GROUP_OUT_BYTES = 64;
/**
 * Groups hashed side by side: md5's steps form one long chain of dependent additions, so one
 * group leaves the CPU waiting on latency; two independent chains interleaved fill the gaps.
 */
const SIDE_BY_SIDE = 2;

// Locals: parameters (groups, pairs, out, scratch); per side: i32 p0–p3; then i32 block, max;
// per side: v128 a–d, counts, temp; then v128 word. Each side's transposed block words and its
// state before the block live in `scratch` (20 vectors a side), loaded where used.
const [GROUPS, PAIRS, OUT, SCRATCH] = [0, 1, 2, 3];
const P = [0, 1].map((side) => [4, 5, 6, 7].map((local) => local + side * 4));
const [BLOCK, MAX] = [12, 13];
const STATE = [0, 1].map((side) => [14, 15, 16, 17].map((local) => local + side * 6));
const COUNTS = [18, 24];
const TEMP = [19, 25];
const WORD = 26;
const SIDE_SCRATCH = 20 * 16;
const SAVED_AT = 16 * 16;

/** Step `i` of one side: a = b + rotl(a + K[i] + M[g] + F(b, c, d), s). */
function step(i: number, regs: readonly number[], side: number): number[] {
  const [a, b, c, d] = regs as [number, number, number, number];
  const round = i >> 4;
  const f =
    round === 0
      ? [...get(c), ...get(d), ...get(b), ...v128Bitselect]
      : round === 1
        ? [...get(b), ...get(c), ...get(d), ...v128Bitselect]
        : round === 2
          ? [...get(b), ...get(c), ...v128Xor, ...get(d), ...v128Xor]
          : [...get(c), ...get(b), ...get(d), ...v128Not, ...v128Or, ...v128Xor];
  const g = round === 0 ? i : round === 1 ? (5 * i + 1) % 16 : round === 2 ? (3 * i + 5) % 16 : (7 * i) % 16;
  const s = SHIFTS[round]![i % 4]!;
  const temp = TEMP[side]!;
  // a + K + M first: those do not wait on the previous step, so only F and the rest are on the chain.
  return [
    ...get(a),
    ...v128Const(K[i]!),
    ...i32x4Add,
    ...get(SCRATCH),
    ...v128Load(side * SIDE_SCRATCH + g * 16),
    ...i32x4Add,
    ...f,
    ...i32x4Add,
    ...tee(temp),
    ...i32(s),
    ...i32x4Shl,
    ...get(temp),
    ...i32(32 - s),
    ...i32x4ShrU,
    ...v128Or,
    ...get(b),
    ...i32x4Add,
    ...set(a),
  ];
}

function code(): number[] {
  const steps: number[] = [];
  // Registers renamed instead of moved: after a step, (a, b, c, d) is (d, new, b, c).
  let regs = STATE.map((side) => [...side]);
  for (let i = 0; i < 64; i++) {
    for (let side = 0; side < SIDE_BY_SIDE; side++) steps.push(...step(i, regs[side]!, side));
    regs = regs.map((r) => [r[3]!, r[0]!, r[1]!, r[2]!]);
  }
  const sides = (emit: (side: number) => number[]) => [0, 1].flatMap(emit);
  // Word `word` of each lane's current block, transposed into scratch: lane 0 zero-extended, lanes 1–3 loaded into place.
  const loadWords = sides((side) =>
    Array.from({ length: 16 }, (_, word) => [
      ...get(P[side]![0]!),
      ...v128Load32Zero(word * 4),
      ...set(WORD),
      ...[1, 2, 3].flatMap((lane) => [
        ...get(P[side]![lane]!),
        ...get(WORD),
        ...v128Load32Lane(word * 4, lane),
        ...set(WORD),
      ]),
      ...get(SCRATCH),
      ...get(WORD),
      ...v128Store(side * SIDE_SCRATCH + word * 16),
    ]).flat(),
  );
  const groupAt = (side: number, offset: number) => [...get(GROUPS), ...i32Load(side * GROUP_BYTES + offset)];
  return [
    ...block,
    ...loop,
    ...get(PAIRS),
    ...i32Eqz,
    ...brIf(1),
    ...sides((side) => P[side]!.flatMap((local, lane) => [...groupAt(side, lane * 4), ...set(local)])),
    ...sides((side) => [...get(GROUPS), ...v128Load(side * GROUP_BYTES + 16), ...set(COUNTS[side]!)]),
    // The pair's largest block count.
    ...groupAt(0, 32),
    ...set(MAX),
    ...groupAt(1, 32),
    ...get(MAX),
    ...i32GeU,
    ...ifThen,
    ...groupAt(1, 32),
    ...set(MAX),
    ...end,
    ...sides((side) => STATE[side]!.flatMap((local, k) => [...v128Const(INIT[k]!), ...set(local)])),
    ...i32(0),
    ...set(BLOCK),
    ...block,
    ...loop,
    ...get(BLOCK),
    ...get(MAX),
    ...i32GeU,
    ...brIf(1),
    ...loadWords,
    ...sides((side) =>
      STATE[side]!.flatMap((local, k) => [
        ...get(SCRATCH),
        ...get(local),
        ...v128Store(side * SIDE_SCRATCH + SAVED_AT + k * 16),
      ]),
    ),
    ...steps,
    // Lanes whose message has more blocks take the new state; the others keep theirs.
    ...sides((side) =>
      STATE[side]!.flatMap((local, k) => [
        ...get(local),
        ...get(SCRATCH),
        ...v128Load(side * SIDE_SCRATCH + SAVED_AT + k * 16),
        ...i32x4Add,
        ...get(SCRATCH),
        ...v128Load(side * SIDE_SCRATCH + SAVED_AT + k * 16),
        ...get(BLOCK),
        ...i32x4Splat,
        ...get(COUNTS[side]!),
        ...i32x4LtS,
        ...v128Bitselect,
        ...set(local),
      ]),
    ),
    ...sides((side) => P[side]!.flatMap((local) => [...get(local), ...i32(64), ...i32Add, ...set(local)])),
    ...get(BLOCK),
    ...i32(1),
    ...i32Add,
    ...set(BLOCK),
    ...br(0),
    ...end,
    ...end,
    ...sides((side) =>
      STATE[side]!.flatMap((local, k) => [...get(OUT), ...get(local), ...v128Store(side * GROUP_OUT_BYTES + k * 16)]),
    ),
    ...get(GROUPS),
    ...i32(SIDE_BY_SIDE * GROUP_BYTES),
    ...i32Add,
    ...set(GROUPS),
    ...get(OUT),
    ...i32(SIDE_BY_SIDE * GROUP_OUT_BYTES),
    ...i32Add,
    ...set(OUT),
    ...get(PAIRS),
    ...i32(1),
    ...i32Sub,
    ...set(PAIRS),
    ...br(0),
    ...end,
    ...end,
    ...end,
  ];
}

const md5x4Module = w.compileModule(() =>
  w.oneFunctionModule({
    functionName: 'md5x4',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [
      [10, I32],
      [13, V128],
    ],
    code: code(),
    memoryPages: 1,
  }),
);

const align = (value: number, to: number) => Math.ceil(value / to) * to;

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** Writes the 32 lower-case hex digits of `digest[from…from+16)` at `into[at]`. */
export function writeHex(into: Uint8Array, at: number, digest: Uint8Array, from: number): void {
  for (let b = 0, h = at; b < 16; b++) {
    const byte = digest[from + b]!;
    into[h++] = HEX[byte >> 4]!;
    into[h++] = HEX[byte & 15]!;
  }
}

/**
 * Messages gathered for one call: `add` each (its bytes are copied), then `digestsInto` writes
 * the 16-byte md5 of each where the caller wants it. `reset` starts a new batch in the same memory.
 */
export class Md5Batch {
  private readonly md5x4: (groups: number, count: number, out: number, scratch: number) => void;
  private readonly memory: w.WasmMemory;
  private bytes: Uint8Array;
  private words: Int32Array;
  private used = 0;
  private offsets: number[] = [];
  private blocks: number[] = [];
  private maxBlocks = 0;

  private constructor(module: object) {
    const exports = w.instantiate(module);
    this.md5x4 = exports.md5x4 as Md5Batch['md5x4'];
    this.memory = exports.memory as w.WasmMemory;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }

  /** A batch, or undefined when this runtime cannot run the module. */
  static create(): Md5Batch | undefined {
    const module = md5x4Module();
    return module ? new Md5Batch(module) : undefined;
  }

  get count(): number {
    return this.offsets.length;
  }

  reset(): void {
    this.used = 0;
    this.offsets.length = 0;
    this.blocks.length = 0;
    this.maxBlocks = 0;
  }

  /** Adds `message` (copied). */
  add(message: Uint8Array): void {
    const at = this.room(message.length);
    this.bytes.set(message, at);
    this.padded(at, message.length);
  }

  /** Adds `prefix` followed by the 32 lower-case hex digits of `digest[from…from+16)`: a rank input. */
  addHex(prefix: Uint8Array, digest: Uint8Array, from: number): void {
    const length = prefix.length + 32;
    const at = this.room(length);
    this.bytes.set(prefix, at);
    writeHex(this.bytes, at + prefix.length, digest, from);
    this.padded(at, length);
  }

  /** Room for a message of `length` bytes and its padding; returns where it goes. */
  private room(length: number): number {
    this.reserve(this.used + length + 72);
    return this.used;
  }

  /** Pads the message of `length` bytes at `at` as md5 does (0x80, zeros, the bit length) and records it. */
  private padded(at: number, length: number): void {
    const padded = align(length + 9, 64);
    const bytes = this.bytes;
    bytes[at + length] = 0x80;
    for (let i = at + length + 1; i < at + padded - 8; i++) bytes[i] = 0;
    // Messages start at multiples of 64: the length words are aligned.
    const bits = length * 8;
    this.words[(at + padded - 8) >> 2] = bits | 0;
    this.words[(at + padded - 4) >> 2] = Math.floor(bits / 2 ** 32);
    this.used += padded;
    this.offsets.push(at);
    const blocks = padded >> 6;
    this.blocks.push(blocks);
    if (blocks > this.maxBlocks) this.maxBlocks = blocks;
  }

  /**
   * Hashes the batch and writes message k's digest at `target[at[k] + shift]`; with `target`
   * 4-byte aligned and every position a multiple of 4, as four words.
   */
  digestsInto(target: Uint8Array, at: readonly number[], shift: number): void {
    const count = this.offsets.length;
    if (count === 0) return;
    // The sort below packs (blocks, index) into one number: 2^21 messages a batch at most.
    if (count >= 2 ** 21) throw new Error(`md5x4: ${count} messages in one batch (at most ${2 ** 21 - 1})`);
    const groups = Math.ceil(count / (4 * SIDE_BY_SIDE)) * SIDE_BY_SIDE;
    // A lane whose message ended reads on (its state is kept): room for the longest message past the last.
    const tableAt = align(this.used + this.maxBlocks * 64, 16);
    const outAt = tableAt + groups * GROUP_BYTES;
    const scratchAt = outAt + groups * GROUP_OUT_BYTES;
    this.reserve(scratchAt + SIDE_BY_SIDE * SIDE_SCRATCH);
    // Messages of about the same length share a group: fewer wasted blocks.
    const order = Float64Array.from(this.blocks, (b, i) => b * 2 ** 21 + i).sort();
    const table = this.words;
    for (let g = 0; g < groups; g++) {
      const row = (tableAt >> 2) + g * (GROUP_BYTES >> 2);
      let max = 0;
      for (let lane = 0; lane < 4; lane++) {
        const k = g * 4 + lane;
        const index = k < count ? order[k]! % 2 ** 21 : -1;
        const blocks = index < 0 ? 0 : this.blocks[index]!;
        table[row + lane] = index < 0 ? 0 : this.offsets[index]!;
        table[row + 4 + lane] = blocks;
        if (blocks > max) max = blocks;
      }
      table[row + 8] = max;
    }
    this.md5x4(tableAt, groups / SIDE_BY_SIDE, outAt, scratchAt);
    // Lane l of a group's state vectors a, b, c, d holds message l's digest words.
    const words = this.words;
    const aligned = target.byteOffset % 4 === 0 && shift % 4 === 0;
    const targetWords = aligned ? new Int32Array(target.buffer, target.byteOffset, target.length >> 2) : undefined;
    for (let k = 0; k < count; k++) {
      const index = order[k]! % 2 ** 21;
      const from = (outAt >> 2) + (k >> 2) * (GROUP_OUT_BYTES >> 2) + (k & 3);
      const to = at[index]! + shift;
      if (targetWords && to % 4 === 0) {
        const w0 = to >> 2;
        targetWords[w0] = words[from]!;
        targetWords[w0 + 1] = words[from + 4]!;
        targetWords[w0 + 2] = words[from + 8]!;
        targetWords[w0 + 3] = words[from + 12]!;
      } else {
        for (let word = 0; word < 4; word++)
          target.set(this.bytes.subarray((from + word * 4) * 4, (from + word * 4) * 4 + 4), to + word * 4);
      }
    }
  }

  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.memory.grow(Math.ceil((Math.max(bytes, have * 2) - have) / w.PAGE_BYTES));
    this.bytes = new Uint8Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }
}
