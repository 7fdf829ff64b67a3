/**
 * A synthetic eval set (multiple-choice questions in the alpaca shape) and the plan for planting
 * some of its questions into training records, so decontamination has ground truth:
 * truth.contaminated.tsv lists every training record that quotes an eval question.
 */
import { Rng } from './rng.mjs';
import { proseText } from './text.mjs';

const LETTERS = ['A', 'B', 'C', 'D', 'E'];

/** Eval items from their own RNG stream: the training records do not depend on them. */
export function makeEvalItems(seed, count, zhRate) {
  const rng = new Rng(seed, 'eval');
  const items = [];
  for (let i = 0; i < count; i++) {
    const lang = rng.chance(zhRate) ? 'zh' : 'en';
    const question = proseText(rng, 'domain', lang, 15 + rng.int(26));
    const options = LETTERS.map((letter) => `${letter}. ${proseText(rng, 'domain', lang, 2 + rng.int(5))}`).join('\n');
    items.push({
      id: `evl-${String(i).padStart(7, '0')}`,
      instruction: question,
      input: options,
      output: rng.pick(LETTERS),
    });
  }
  return items;
}

/**
 * Which training positions quote which eval item: `rate` of the items, each planted once or twice,
 * 70 % into the first (domain-like) source. Returns one Map per source: position → item index.
 */
export function plantSchedule({ seed, items, rate, sizes, taken }) {
  const rng = new Rng(seed, 'eval-plant');
  const plans = sizes.map(() => new Map());
  for (let i = 0; i < items; i++) {
    if (!rng.chance(rate)) continue;
    const copies = rng.chance(0.3) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const s = sizes.length > 1 && !rng.chance(0.7) ? 1 : 0;
      if (sizes[s] === 0) continue;
      let at = rng.int(sizes[s]);
      while (plans[s].has(at) || taken[s].has(at)) at = (at + 1) % sizes[s];
      plans[s].set(at, i);
    }
  }
  return plans;
}

/** A training record's content that quotes an eval question (and maybe its options). */
export function quoteEvalItem(rng, content, item) {
  const lead = rng.pick(['', 'Answer the following question. ', 'Question: ', 'Please help with this exam question: ']);
  const input = rng.chance(0.5) ? item.input : content.input;
  return { ...content, instruction: lead + item.instruction, input };
}
