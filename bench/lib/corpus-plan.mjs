/**
 * The parts of a corpus that both sources depend on, derived from the options alone so every
 * worker can rebuild them identically: cross-source copies and where they go, the eval set, and
 * where its questions are quoted.
 */
import { makeEvalItems, plantSchedule } from './eval-set.mjs';
import { Rng } from './rng.mjs';
import { freshContent } from './text.mjs';

/** Source names in dedup order: domain-like first, general-like second. */
export const SOURCES = ['domain', 'general'];

function sharedRecords(options, sizes) {
  const rng = new Rng(options.seed, 'shared');
  const count = Math.round(options.rates.cross * Math.min(...sizes));
  const contents = [];
  // No system prompt or extra turns, so the key is the same in every schema.
  for (let j = 0; j < count; j++)
    contents.push(
      freshContent(rng, {
        flavour: j % 2 ? 'general' : 'domain',
        schema: 'alpaca',
        zhRate: options.rates.zh,
        long: false,
      }),
    );
  const at = sizes.map((size, s) => {
    const placeRng = new Rng(options.seed, `shared-pos-${s}`);
    const positions = new Map();
    for (let j = 0; j < count && size > 0; j++) {
      let p = placeRng.int(size);
      while (positions.has(p)) p = (p + 1) % size;
      positions.set(p, j);
    }
    return positions;
  });
  return { contents, at };
}

export function corpusPlan(options) {
  const sizes = SOURCES.map((s) => options.records[s]);
  const shared = sharedRecords(options, sizes);
  const evalItems = makeEvalItems(options.seed, options.eval.items, options.rates.zh);
  const plants = plantSchedule({
    seed: options.seed,
    items: evalItems.length,
    rate: options.eval.rate,
    sizes,
    taken: shared.at,
  });
  return { sizes, shared, evalItems, plants };
}
