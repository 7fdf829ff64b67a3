/**
 * Seeded randomness for the corpus generator: sfc32 seeded from FNV-1a of (seed, label).
 * Only 32-bit integer arithmetic, so every JS engine produces the same stream: the corpus is a
 * pure function of the generator's arguments. One stream per label keeps parts independent
 * (adding eval items does not shift the training records).
 */

export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ZIPF_TABLES = new Map();

/** Inverse CDF of P(k) ~ 1/(k+1) over [0, n), tabulated on 2^16 buckets. */
function zipfTable(n) {
  let table = ZIPF_TABLES.get(n);
  if (!table) {
    table = new Uint16Array(65536);
    for (let j = 0; j < 65536; j++) table[j] = Math.min(n - 1, Math.floor((n + 1) ** ((j + 0.5) / 65536)) - 1);
    ZIPF_TABLES.set(n, table);
  }
  return table;
}

export class Rng {
  constructor(seed, label) {
    let s = fnv1a(`${seed}:${label}`);
    const splitmix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next() {
    return this.u32() / 4294967296;
  }

  /** Uniform 32-bit unsigned integer. */
  u32() {
    const { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  int(n) {
    return Math.floor(this.next() * n);
  }

  chance(p) {
    return this.next() < p;
  }

  pick(items) {
    return items[this.int(items.length)];
  }

  /** Index into a list of n items with Zipf-like frequencies (item 0 most common). */
  zipf(n) {
    return zipfTable(n)[(this.next() * 65536) | 0];
  }

  /** The Zipf table for n items: index it with 16 random bits. */
  static zipfTable(n) {
    return zipfTable(n);
  }

  lognormal(median, sigma) {
    const u = 1 - this.next();
    const v = this.next();
    return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }

  /** pairs: [[value, weight], …] with weights summing to 1. */
  weighted(pairs) {
    let r = this.next();
    for (const [value, weight] of pairs) {
      r -= weight;
      if (r < 0) return value;
    }
    return pairs[pairs.length - 1][0];
  }
}
