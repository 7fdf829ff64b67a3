/**
 * The corpus and recipes the selection over fact rows is held to (test/select/facts.test.ts
 * against compose, test/select/sql-select.test.ts SQL against the fact rows): exact, normalised
 * and cross-group duplicates over JSONL, gzip, a JSON array and CSV; a long tail for strata.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { alpacaRecords, twoGroupRecipe, writeJsonArray, writeJsonl } from './corpus.js';

/** Writes the corpus into `dir` (med/a.jsonl, med/b.jsonl.gz, gen.json, gen.csv). */
export function writeFactsCorpus(dir: string): void {
  const medical = alpacaRecords('med', 300);
  const general = alpacaRecords('gen', 700).map((r, i) =>
    i % 9 === 0 ? { ...r, output: `${r.output} ${'long text '.repeat(60)}` } : r,
  );
  const variants = medical.slice(0, 20).map((r) => ({ ...r, instruction: `  ${r.instruction.toUpperCase()}  ` }));
  mkdirSync(path.join(dir, 'med'), { recursive: true });
  writeJsonl(path.join(dir, 'med', 'a.jsonl'), [...medical.slice(0, 150), ...medical.slice(0, 15), ...variants]);
  writeFileSync(
    path.join(dir, 'med', 'b.jsonl.gz'),
    gzipSync(
      `${medical
        .slice(150)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    ),
  );
  writeJsonArray(path.join(dir, 'gen.json'), [...general, ...general.slice(0, 30), ...medical.slice(100, 140)]);
  const csv = [
    'instruction,input,output',
    ...alpacaRecords('csv', 80).map((r) => [r.instruction, r.input, r.output].map((v) => `"${v}"`).join(',')),
  ];
  writeFileSync(path.join(dir, 'gen.csv'), `${csv.join('\n')}\n`);
}

/** The two-group recipe over the corpus (300 records, 40 validation, seed 7 unless changed). */
export const factsRecipe = (extra: Partial<Parameters<typeof twoGroupRecipe>[0]> = {}) =>
  twoGroupRecipe({ medical: 'med', general: ['gen.json', 'gen.csv'], volume: 300, validation: 40, ...extra });

const strata = 'mixture:\n  strata:\n    general:\n      - { name: long, min_chars: 400, share: 0.25 }\n';

/** Name → recipe text: every policy and feature the selection must agree on. */
export const FACT_RECIPES: readonly (readonly [string, string])[] = [
  ['exact and cross-group duplicates, JSONL, gzip, a JSON array and CSV, a validation split', factsRecipe()],
  ['exact dedup off', factsRecipe({ extra: 'dedup: { exact: false }\n' })],
  [
    'shortage cap over a sweep',
    factsRecipe({ extra: 'sweep:\n  volume: [100, 300, 900]\n  shares: { medical: [0, 0.5, 1] }\n' }).replace(
      'mixture:\n',
      'mixture:\n  shortage: cap\n',
    ),
  ],
  [
    'shortage repeat',
    factsRecipe({ volume: 1200 }).replace('mixture:\n', 'mixture:\n  shortage: repeat\n  max_epochs: 5\n'),
  ],
  [
    'shortage redistribute over a sweep',
    factsRecipe({ extra: 'sweep:\n  volume: [200, 900]\n' }).replace(
      'mixture:\n',
      'mixture:\n  shortage: redistribute\n',
    ),
  ],
  ['length strata', factsRecipe().replace('mixture:\n', strata)],
  [
    'a token budget with strata',
    factsRecipe({ validation: 0.05 })
      .replace('volume: 300', 'volume: "5k tokens"')
      .replace('mixture:\n', `${strata}  tokenizer: chars\n`),
  ],
  [
    'seed 99 and prefer general',
    factsRecipe({ seed: 99, extra: 'dedup: { exact: true, prefer: [general, medical] }\n' }),
  ],
];

/**
 * The corpus as four sources, two per group, each with a `weight` or `max` from `settings`
 * (`{ weight: 2 }`, `{ max: 30 }`): both groups split by source (docs/recipe.md, "Sources inside
 * a group"). The general group's CSV source holds 80 records, so caps and shortages bite there.
 */
export function sourcesRecipe(options: {
  readonly settings: Readonly<Record<'medA' | 'medB' | 'genJson' | 'genCsv', string>>;
  readonly volume?: number | string;
  readonly validation?: number;
  readonly mixture?: string;
  readonly extra?: string;
}): string {
  const source = (name: string, group: string, file: string, settings: string) =>
    `  - { name: ${name}, group: ${group}, path: ${JSON.stringify(file)}${settings ? `, ${settings}` : ''} }\n`;
  return `name: sources-mix
seed: 7
sources:
${source('med-a', 'medical', 'med/a.jsonl', options.settings.medA)}${source('med-b', 'medical', 'med/b.jsonl.gz', options.settings.medB)}${source('gen-json', 'general', 'gen.json', options.settings.genJson)}${source('gen-csv', 'general', 'gen.csv', options.settings.genCsv)}mixture:
  volume: ${JSON.stringify(options.volume ?? 300)}
  shares: { medical: 0.3, general: 0.7 }
${options.mixture ?? ''}split:
  validation: ${options.validation ?? 20}
${options.extra ?? ''}`;
}

/** Recipes with weighted and capped sources inside groups, under every shortage policy. */
export const SOURCE_RECIPES: readonly (readonly [string, string])[] = [
  [
    'weighted and capped sources over a sweep, shortage cap',
    sourcesRecipe({
      settings: { medA: 'weight: 2', medB: '', genJson: 'weight: 3', genCsv: 'max: 40' },
      mixture: '  shortage: cap\n',
      extra: 'sweep:\n  volume: [100, 300, 900]\n  shares: { medical: [0.2, 0.5] }\n',
    }),
  ],
  [
    'a share cap and a short source, redistribute over a sweep',
    sourcesRecipe({
      settings: { medA: '', medB: 'max: 0.25', genJson: '', genCsv: 'weight: 4' },
      mixture: '  shortage: redistribute\n',
      extra: 'sweep:\n  volume: [200, 700]\n',
    }),
  ],
  [
    'a short weighted source repeats',
    sourcesRecipe({
      settings: { medA: '', medB: '', genJson: 'weight: 1', genCsv: 'weight: 1' },
      volume: 500,
      mixture: '  shortage: repeat\n  max_epochs: 4\n',
    }),
  ],
  [
    'weighted sources in a token budget',
    sourcesRecipe({
      settings: { medA: 'weight: 0.5', medB: 'max: 2000', genJson: '', genCsv: 'max: 0.1' },
      volume: '20k tokens',
      validation: 0.05,
      mixture: '  tokenizer: chars\n  shortage: cap\n',
    }),
  ],
];
