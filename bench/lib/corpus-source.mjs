/**
 * Writes one source of the synthetic corpus: fresh records plus planted exact duplicates
 * (verbatim and normalised variants), near duplicates, cross-source copies, eval-question quotes,
 * Chinese-like and long records. Duplicates copy from a bounded reservoir of earlier records, so
 * memory stays flat however many records are written.
 */
import path from 'node:path';
import { FileWriter } from './file-writer.mjs';
import { keyHash, keyOf } from './norm.mjs';
import { Rng } from './rng.mjs';
import { freshContent, mapText, toRecord } from './text.mjs';
import { DUPLICATE_KINDS, nearDuplicate, variantEdit } from './variants.mjs';
import { quoteEvalItem } from './eval-set.mjs';

const POOL_SIZE = 50_000;
const CJK_CHAR = /[\u4e00-\u9fff]/;

export function recordId(source, index) {
  return `${source.slice(0, 3)}-${String(index).padStart(7, '0')}`;
}

function percentiles(lengths, total) {
  const sorted = Uint32Array.from(lengths).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    mean: Math.round(total / Math.max(1, sorted.length)),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted[sorted.length - 1] ?? 0,
    over_20kb: sorted.filter((x) => x > 20000).length,
  };
}

/** A variant of `original` under `id` whose normalised key is unchanged (or a verbatim copy). */
function keyPreservingVariant(rng, original, id, kind, injected) {
  const variant = mapText(original, id, variantEdit(rng, kind));
  if (kind === 'verbatim' || keyOf(variant) === keyOf(original)) return variant;
  injected.variant_fallback++;
  return mapText(original, id, (s) => s);
}

/**
 * Writes DIR/<source>.jsonl (and .json with jsonArray). Returns the source's statistics and a
 * buffer with the 16-byte md5 of every record's normalised key, in file order.
 */
export function writeSource(spec) {
  const {
    seed,
    source,
    sourceIndex,
    flavour,
    schema,
    count,
    rates,
    shared,
    plants,
    evalItems,
    writers,
    dir,
    jsonArray,
  } = spec;
  const rng = new Rng(seed, `source:${source}`);
  const variantRng = new Rng(seed, `shared-variant:${source}`);
  const out = new FileWriter(path.join(dir, `${source}.jsonl`), { hash: true });
  const array = jsonArray ? new FileWriter(path.join(dir, `${source}.json`)) : null;
  array?.write('[\n');
  const pool = [];
  let seen = 0;
  const injected = {
    fresh: 0,
    chinese: 0,
    long: 0,
    exact_dup: 0,
    verbatim: 0,
    whitespace: 0,
    case: 0,
    unicode: 0,
    combined: 0,
    variant_fallback: 0,
    near_dup: 0,
    cross_shared: 0,
    eval_quotes: 0,
  };
  const hashes = Buffer.alloc(count * 16);
  const lengths = new Uint32Array(count);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const id = recordId(source, i);
    let record;
    let evalId = null;
    const sharedIndex = shared.at.get(i);
    const plantIndex = plants.get(i);
    if (sharedIndex !== undefined) {
      record = toRecord(schema, id, shared.contents[sharedIndex]);
      if (sourceIndex > 0 && variantRng.chance(0.5))
        record = keyPreservingVariant(
          variantRng,
          record,
          id,
          variantRng.pick(['whitespace', 'case', 'unicode']),
          injected,
        );
      injected.cross_shared++;
    } else if (plantIndex !== undefined) {
      const item = evalItems[plantIndex];
      record = toRecord(
        schema,
        id,
        quoteEvalItem(rng, freshContent(rng, { flavour, schema, zhRate: rates.zh, long: false }), item),
      );
      evalId = item.id;
      injected.eval_quotes++;
    } else {
      const u = rng.next();
      if (u < rates.dup && pool.length > 0) {
        const original = pool[rng.int(pool.length)];
        const kind = rng.weighted(DUPLICATE_KINDS);
        record = keyPreservingVariant(rng, original.record, id, kind, injected);
        evalId = original.evalId;
        injected.exact_dup++;
        injected[kind]++;
      } else if (u < rates.dup + rates.near && pool.length > 0) {
        const original = pool[rng.int(pool.length)];
        const near = nearDuplicate(rng, original.record, id, flavour);
        if (keyOf(near.record) === keyOf(original.record))
          throw new Error(`${id}: a near duplicate collapsed to an exact one`);
        record = near.record;
        evalId = original.evalId;
        writers.near.write(
          `${JSON.stringify({ a: original.record.id, b: id, field: near.field, changed: near.changed, tokens: near.units })}\n`,
        );
        injected.near_dup++;
      } else {
        const long = rng.chance(rates.long);
        const content = freshContent(rng, { flavour, schema, zhRate: rates.zh, long });
        record = toRecord(schema, id, content);
        injected.fresh++;
        if (long) injected.long++;
        if (content.lang === 'zh' || CJK_CHAR.test(content.output.slice(0, 40))) injected.chinese++;
      }
    }
    seen++;
    const entry = { record, evalId };
    if (pool.length < POOL_SIZE) pool.push(entry);
    else {
      const j = rng.int(seen);
      if (j < POOL_SIZE) pool[j] = entry;
    }
    if (evalId) writers.contaminated.write(`${id}\t${evalId}\t${source}\n`);
    const line = JSON.stringify(record);
    out.write(line);
    out.write('\n');
    if (array) array.write(i > 0 ? `,\n${line}` : line);
    const lineBytes = Buffer.byteLength(line) + 1;
    lengths[i] = lineBytes;
    bytes += lineBytes;
    hashes.write(keyHash(keyOf(record)), i * 16, 16, 'latin1');
  }
  const { sha256 } = out.close();
  if (array) {
    array.write('\n]\n');
    array.close();
  }
  return {
    stats: {
      file: `${source}.jsonl`,
      schema,
      flavour,
      records: count,
      bytes,
      sha256,
      line_bytes: percentiles(lengths, bytes),
      injected,
    },
    hashes,
  };
}
