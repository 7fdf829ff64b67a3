#!/usr/bin/env node
// Near-dup and decontamination hot-path speed, per phase, on ~1 KB texts (English and Chinese).
//   node --import tsx bench/near-dup-speed.mjs [--texts 2000] [--rounds 5]
// Prints µs per text for each phase and the whole signature path. Deterministic inputs; the
// numbers are wall-clock, so run it on a quiet machine and compare medians.
import { parseArgs } from 'node:util';
import { EvalIndex } from '../src/decontam/eval-index.ts';
import { MinHasher } from '../src/near-dup/minhash.ts';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../src/near-dup/defaults.ts';
import { NearDupIndex } from '../src/near-dup/near-dup-index.ts';
import { splitMix32 } from '../src/text/hash32.ts';
import { normalizeForTokens } from '../src/text/normalize.ts';
import { resolveUnit, shingles, shinglesOfTokens } from '../src/text/shingles.ts';
import { tokenHashes } from '../src/text/tokens.ts';

const { values } = parseArgs({
  options: { texts: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } },
});
const N = Number(values.texts);
const ROUNDS = Number(values.rounds);

const next = splitMix32(7);
const EN =
  'the patient presents with fever cough and shortness of breath after a week of travel blood pressure is normal and the doctor orders a chest x-ray which shows consolidation in the right lower lobe treatment begins with antibiotics'.split(
    ' ',
  );
const ZH =
  '患者出现发热咳嗽和呼吸困难一周前有旅行史血压正常医生安排胸部检查显示右下肺实变开始使用抗生素治疗症状逐渐好转'.split(
    '',
  );
function makeText(vocab, joiner, bytes) {
  let s = '';
  while (Buffer.byteLength(s) < bytes)
    s += (s ? joiner : '') + vocab[next() % vocab.length] + (next() % 12 === 0 ? (joiner ? ', ' : '，') : '');
  return s;
}
const corpora = {
  'English 1 KB': Array.from({ length: N }, () => makeText(EN, ' ', 1024)),
  'Chinese 1 KB': Array.from({ length: N }, () => makeText(ZH, '', 1024)),
};

const hasher = new MinHasher({
  permutations: DEFAULT_NEAR_DUP_SETTINGS.bands * DEFAULT_NEAR_DUP_SETTINGS.rows,
  seed: DEFAULT_NEAR_DUP_SETTINGS.seed,
});
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function time(fn, inputs) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (const x of inputs) fn(x);
    runs.push(((performance.now() - t0) * 1000) / inputs.length);
  }
  return median(runs);
}

const evalIndex = new EvalIndex();
for (let i = 0; i < 2000; i++)
  evalIndex.add({ set: 'bench', id: String(i), text: makeText(i % 2 ? EN : ZH, i % 2 ? ' ' : '', 600) });

// Calibration: FNV-1a over a 1 KB string; ../shared/notes/deps-measured.md measured 1.85 µs on a
// quiet machine of this kind. Divide the table by (this / 1.85) to compare runs on a busy machine.
function fnv(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
const calibration = time((t) => fnv(t), corpora['English 1 KB']);
console.log(
  `node ${process.version}, ${N} texts per corpus, median of ${ROUNDS} rounds, µs per text; FNV-1a over 1 KB: ${calibration.toFixed(2)} µs (quiet: 1.85)`,
);
console.log(
  '| corpus | normalise | detect unit | tokens | shingles | signature (120) | whole path | index offer | decontam match (2000 eval items) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [name, texts] of Object.entries(corpora)) {
  const normalized = texts.map(normalizeForTokens);
  const units = normalized.map((t) => resolveUnit(t, 'auto'));
  const tokens = normalized.map((t, i) => tokenHashes(t, units[i]));
  const sets = tokens.map((t, i) => shinglesOfTokens(t, units[i] === 'word' ? 5 : 5));
  const signatures = sets.map((s) => hasher.signature(s));
  const idx = Array.from(texts.keys());
  const row = [
    time((t) => normalizeForTokens(t), texts),
    time((t) => resolveUnit(t, 'auto'), normalized),
    time((i) => tokenHashes(normalized[i], units[i]), idx),
    time((i) => shinglesOfTokens(tokens[i], 5), idx),
    time((s) => hasher.signature(s), sets),
    time((t) => hasher.signature(shingles(t)), texts),
    time(() => {
      const index = new NearDupIndex();
      for (let i = 0; i < N; i++) index.offer(i, sets[i], signatures[i]);
    }, [0]) / N,
    time((t) => evalIndex.match(t), texts),
  ];
  console.log(`| ${name} | ${row.map((x) => x.toFixed(1)).join(' | ')} |`);
}
