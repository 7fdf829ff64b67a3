/**
 * The hot loop of key-bytes.ts in WebAssembly: the same walk over a JSON string's bytes (printable
 * ASCII, the simple escapes, 2- and 3-byte UTF-8 through the same character table), about three
 * times faster than V8 runs the JavaScript loop, whose bounds-checked typed-array accesses cost
 * more than the work. What it does not handle (\u escapes, 4-byte characters, anything the JS
 * writer would decline) it declines, and the caller runs the JS writer on the whole record: so
 * the JS writer stays the one definition, and this one must agree with it byte for byte wherever
 * it answers (test/select/key-bytes-wasm.test.ts).
 *
 * Memory: a state block (output end, "after white space", UTF-16 units), the byte tables, the
 * character table and its mapped forms, then the output and the current input string.
 */
import {
  ASCII_OUT,
  ASCII_SPACE,
  type KeyTextWriter,
  RAW_OUT as RAW_OUT_TABLE,
  RAW_SPACE as RAW_SPACE_TABLE,
  SIMPLE_ESCAPES,
} from './key-bytes.js';
import { keyCharTable, MAPPED, SAME, SPACE } from './key-char-table.js';
import * as w from '../wasm/assembler.js';

const STATE = 0;
const RAW_OUT = 256;
const RAW_SPACE = 512;
const ESC_OUT = 768;
const ESC_SPACE = 1024;
const KINDS = 1280;
const MAPPED_INDEX = KINDS + 65_536;
const MAPPED_BYTES = MAPPED_INDEX + 65_536 * 4;
const MAPPED_CAPACITY = 65_536;
const OUT_AT = MAPPED_BYTES + MAPPED_CAPACITY;
/** Bytes past any region that the loop may touch: it copies characters 4 bytes at a time. */
const SLACK = 16;

// Locals: parameters (p, end), then the loop's i32s, then one vector.
const [P, END, OUT, AFTER, UNITS, B, T, SP, CODE, KIND, M, LEN, K, V] = Array.from({ length: 14 }, (_, i) => i) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
const I32_LOCALS = 11;
const V128_LOCALS = 1;

const splat = (byte: number) => [...w.i32(byte), ...w.i8x16Splat];
/** `local += amount` (an instruction sequence that leaves amount on the stack). */
const addTo = (local: number, amount: number[]) => [...w.get(local), ...amount, ...w.i32Add, ...w.set(local)];

/**
 * Sixteen bytes at a time while they are printable ASCII: `bad` marks the lanes the scalar loop
 * must take (a byte outside 0x20–0x7e, a backslash, a space followed by a space, a space after
 * white space at lane 0); the lanes before the first bad one are lower-cased and stored at once.
 * Reached only when the byte at `p` is printable ASCII and 16 bytes remain.
 */
/** `loopDepth`: how many blocks out the loop is from where this code goes. */
function sixteenAtOnce(loopDepth: number): number[] {
  return [
    ...w.get(P),
    ...w.v128LoadU(),
    ...w.set(V),
    ...w.get(V),
    ...splat(0x20),
    ...w.i8x16LtU,
    ...w.get(V),
    ...splat(0x7e),
    ...w.i8x16GtU,
    ...w.v128Or,
    ...w.get(V),
    ...splat(0x5c),
    ...w.i8x16Eq,
    ...w.v128Or,
    ...w.get(V),
    ...splat(0x20),
    ...w.i8x16Eq,
    ...w.get(P),
    ...w.v128LoadU(1),
    ...splat(0x20),
    ...w.i8x16Eq,
    ...w.v128And,
    ...w.v128Or,
    ...w.i8x16Bitmask,
    // Lane 0 is bad when it is a space after white space (or at the start).
    ...w.get(B),
    ...w.i32(0x20),
    ...w.i32Eq,
    ...w.get(AFTER),
    ...w.i32And,
    ...w.i32Or,
    ...w.i32(0x10000),
    ...w.i32Or,
    ...w.i32Ctz,
    ...w.tee(K),
    ...w.ifThen,
    ...w.get(OUT),
    ...w.get(V),
    ...w.get(V),
    ...splat(0x41),
    ...w.i8x16GeU,
    ...w.get(V),
    ...splat(0x5a),
    ...w.i8x16LeU,
    ...w.v128And,
    ...splat(0x20),
    ...w.v128And,
    ...w.v128Or,
    ...w.v128StoreU(),
    ...addTo(OUT, w.get(K)),
    ...addTo(UNITS, w.get(K)),
    ...w.get(P),
    ...w.get(K),
    ...w.i32Add,
    ...w.tee(P),
    ...w.i32(1),
    ...w.i32Sub,
    ...w.i32Load8U(),
    ...w.i32(0x20),
    ...w.i32Eq,
    ...w.set(AFTER),
    ...w.br(loopDepth + 1),
    ...w.end,
  ];
}

/** Advance over `length` input bytes after writing a non-space character of `outBytes` bytes. */
const advanced = (length: number[], outBytes: number[]) => [
  ...addTo(OUT, outBytes),
  ...w.i32(0),
  ...w.set(AFTER),
  ...addTo(P, length),
];
/** Write byte `t` whose space flag is `sp`, collapsing white space (key-bytes.ts explains how). */
const writeCollapsing = [
  ...w.get(OUT),
  ...w.get(T),
  ...w.i32Store8(),
  ...w.get(OUT),
  ...w.i32(1),
  ...w.get(SP),
  ...w.get(AFTER),
  ...w.i32And,
  ...w.i32Sub,
  ...w.i32Add,
  ...w.set(OUT),
  ...w.get(SP),
  ...w.set(AFTER),
];

function code(): number[] {
  const failFromLoop = 2;
  const failFromIf = 3;
  return [
    ...w.i32(0),
    ...w.i32Load(STATE),
    ...w.set(OUT),
    ...w.i32(0),
    ...w.i32Load(STATE + 4),
    ...w.set(AFTER),
    ...w.i32(0),
    ...w.i32Load(STATE + 8),
    ...w.set(UNITS),
    ...w.block, // fail
    ...w.block, // done
    ...w.loop,
    ...w.get(P),
    ...w.get(END),
    ...w.i32GeU,
    ...w.brIf(1),
    // Printable ASCII: sixteen bytes at once when they allow it, else one.
    ...w.get(P),
    ...w.i32Load8U(),
    ...w.tee(B),
    ...w.i32Load8U(RAW_OUT),
    ...w.tee(T),
    ...w.ifThen,
    ...w.get(P),
    ...w.i32(16),
    ...w.i32Add,
    ...w.get(END),
    ...w.i32LeU,
    ...w.ifThen,
    ...sixteenAtOnce(2),
    ...w.end,
    ...addTo(UNITS, w.i32(1)),
    ...w.get(B),
    ...w.i32Load8U(RAW_SPACE),
    ...w.set(SP),
    ...writeCollapsing,
    ...addTo(P, w.i32(1)),
    ...w.br(1),
    ...w.end,
    ...addTo(UNITS, w.i32(1)),
    // A simple escape.
    ...w.get(B),
    ...w.i32(0x5c),
    ...w.i32Eq,
    ...w.ifThen,
    // A backslash that ends the string escapes nothing (JSON's closing quote would follow it).
    ...w.get(P),
    ...w.i32(1),
    ...w.i32Add,
    ...w.get(END),
    ...w.i32GeU,
    ...w.brIf(failFromIf),
    ...w.get(P),
    ...w.i32Load8U(1),
    ...w.tee(CODE),
    ...w.i32Load8U(ESC_OUT),
    ...w.tee(T),
    ...w.i32Eqz,
    ...w.brIf(failFromIf),
    ...w.get(CODE),
    ...w.i32Load8U(ESC_SPACE),
    ...w.set(SP),
    ...writeCollapsing,
    ...addTo(P, w.i32(2)),
    ...w.br(1),
    ...w.end,
    // 2- and 3-byte UTF-8 only.
    ...w.get(B),
    ...w.i32(0xc2),
    ...w.i32LtU,
    ...w.brIf(failFromLoop),
    ...w.get(B),
    ...w.i32(0xf0),
    ...w.i32GeU,
    ...w.brIf(failFromLoop),
    ...w.get(B),
    ...w.i32(0xe0),
    ...w.i32GeU,
    ...w.i32(2),
    ...w.i32Add,
    ...w.set(LEN),
    ...w.get(LEN),
    ...w.i32(2),
    ...w.i32Eq,
    ...w.ifThen,
    ...w.get(B),
    ...w.i32(0x1f),
    ...w.i32And,
    ...w.i32(6),
    ...w.i32Shl,
    ...w.get(P),
    ...w.i32Load8U(1),
    ...w.i32(0x3f),
    ...w.i32And,
    ...w.i32Or,
    ...w.set(CODE),
    ...w.orElse,
    ...w.get(B),
    ...w.i32(0x0f),
    ...w.i32And,
    ...w.i32(12),
    ...w.i32Shl,
    ...w.get(P),
    ...w.i32Load8U(1),
    ...w.i32(0x3f),
    ...w.i32And,
    ...w.i32(6),
    ...w.i32Shl,
    ...w.i32Or,
    ...w.get(P),
    ...w.i32Load8U(2),
    ...w.i32(0x3f),
    ...w.i32And,
    ...w.i32Or,
    ...w.set(CODE),
    ...w.end,
    ...w.get(CODE),
    ...w.i32Load8U(KINDS),
    ...w.tee(KIND),
    ...w.i32(SAME),
    ...w.i32Eq,
    ...w.ifThen,
    ...w.get(OUT),
    ...w.get(P),
    ...w.i32Load(),
    ...w.i32Store(),
    ...advanced(w.get(LEN), w.get(LEN)),
    ...w.br(1),
    ...w.end,
    ...w.get(KIND),
    ...w.i32(SPACE),
    ...w.i32Eq,
    ...w.ifThen,
    ...w.i32(0x20),
    ...w.set(T),
    ...w.i32(1),
    ...w.set(SP),
    ...writeCollapsing,
    ...addTo(P, w.get(LEN)),
    ...w.br(1),
    ...w.end,
    ...w.get(KIND),
    ...w.i32(MAPPED),
    ...w.i32Ne,
    ...w.brIf(failFromLoop),
    ...w.get(CODE),
    ...w.i32(2),
    ...w.i32Shl,
    ...w.i32Load(MAPPED_INDEX),
    ...w.set(M),
    ...w.get(OUT),
    ...w.get(M),
    ...w.i32(8),
    ...w.i32ShrU,
    ...w.i32(MAPPED_BYTES),
    ...w.i32Add,
    ...w.get(M),
    ...w.i32(0xff),
    ...w.i32And,
    ...w.memoryCopy,
    ...advanced(w.get(LEN), [...w.get(M), ...w.i32(0xff), ...w.i32And]),
    ...w.br(0),
    ...w.end, // loop
    ...w.end, // done
    ...w.i32(0),
    ...w.get(OUT),
    ...w.i32Store(STATE),
    ...w.i32(0),
    ...w.get(AFTER),
    ...w.i32Store(STATE + 4),
    ...w.i32(0),
    ...w.get(UNITS),
    ...w.i32Store(STATE + 8),
    ...w.i32(1),
    ...w.ret,
    ...w.end, // fail
    ...w.i32(0),
    ...w.end,
  ];
}

const compiled = w.compileModule(() =>
  w.oneFunctionModule({
    functionName: 'norm',
    params: [w.I32, w.I32],
    results: [w.I32],
    locals: [
      [I32_LOCALS, w.I32],
      [V128_LOCALS, w.V128],
    ],
    code: code(),
    memoryPages: Math.ceil((OUT_AT + 2 * SLACK) / w.PAGE_BYTES),
  }),
);

/** The tables key-bytes.ts keeps in JS (the same ones for raw bytes), written into the module's memory. */
function fillTables(memory: Uint8Array): void {
  const { kinds, mapped } = keyCharTable();
  memory.set(RAW_OUT_TABLE, RAW_OUT);
  memory.set(RAW_SPACE_TABLE, RAW_SPACE);
  // A simple escape writes what its character writes (\n and \f are white space, \b is not).
  SIMPLE_ESCAPES.forEach((code, letter) => {
    if (code === 0) return;
    memory[ESC_OUT + letter] = ASCII_OUT[code]!;
    memory[ESC_SPACE + letter] = ASCII_SPACE[code]!;
  });
  memory.set(kinds, KINDS);
  const index = new DataView(memory.buffer, MAPPED_INDEX, 65_536 * 4);
  let at = 0;
  for (const [code, bytes] of mapped) {
    if (at + bytes.length > MAPPED_CAPACITY || bytes.length > 0xff)
      throw new Error('the mapped forms outgrow the WebAssembly table');
    memory.set(bytes, MAPPED_BYTES + at);
    index.setUint32(code * 4, (at << 8) | bytes.length, true);
    at += bytes.length;
  }
}

export class WasmKeyBytesWriter implements KeyTextWriter {
  private memory: w.WasmMemory;
  private bytes: Uint8Array;
  private state: Int32Array;
  private readonly norm: (p: number, end: number) => number;
  private outCapacity = 1 << 20;
  private readonly maxBytesPerByte = keyCharTable().maxBytesPerByte;

  private constructor(module: object) {
    const exports = w.instantiate(module);
    this.memory = exports.memory as w.WasmMemory;
    this.norm = exports.norm as (p: number, end: number) => number;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.state = new Int32Array(this.memory.buffer, STATE, 3);
    fillTables(this.bytes);
    this.reserve(0, 1 << 16);
  }

  /** A writer, or undefined when this runtime cannot run the module (bulk memory is needed). */
  static create(): WasmKeyBytesWriter | undefined {
    const module = compiled();
    return module ? new WasmKeyBytesWriter(module) : undefined;
  }

  get units(): number {
    return this.state[2]!;
  }

  reset(): void {
    this.state[0] = OUT_AT;
    this.state[1] = 1;
    this.state[2] = 0;
  }

  appendNewline(): void {
    const out = this.state[0]!;
    const after = this.state[1]!;
    this.bytes[out] = 0x20;
    this.state[0] = out + 1 - after;
    this.state[1] = 1;
    this.state[2] = this.state[2]! + 1;
  }

  appendJsonString(src: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    const inAt = this.reserve(this.state[0]! - OUT_AT + length * this.maxBytesPerByte, length);
    this.bytes.set(src.subarray(start, end), inAt);
    return this.norm(inAt, inAt + length) === 1;
  }

  text(): Uint8Array {
    const out = this.state[0]!;
    const trailing = this.state[1]! & (out > OUT_AT ? 1 : 0);
    return this.bytes.subarray(OUT_AT, out - trailing);
  }

  drainTo(sink: (text: Uint8Array) => void): void {
    const out = this.state[0]!;
    const held = this.state[1]! & (out > OUT_AT ? 1 : 0);
    sink(this.bytes.subarray(OUT_AT, out - held));
    this.bytes[OUT_AT] = 0x20;
    this.state[0] = OUT_AT + held;
  }

  /** Room for `outBytes` of output in all and `inBytes` of input; returns where the input goes. */
  private reserve(outBytes: number, inBytes: number): number {
    if (outBytes + SLACK > this.outCapacity) this.outCapacity = Math.max(this.outCapacity * 2, outBytes + SLACK);
    const inAt = OUT_AT + this.outCapacity;
    const needed = inAt + inBytes + SLACK;
    if (needed > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / w.PAGE_BYTES));
      this.bytes = new Uint8Array(this.memory.buffer);
      this.state = new Int32Array(this.memory.buffer, STATE, 3);
    }
    return inAt;
  }
}
