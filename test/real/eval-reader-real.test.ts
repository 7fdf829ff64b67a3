/**
 * Issue #18 (decontamination) on real data, with the documented setup (`decontaminate.eval:
 * [{ name, path }]`, no mapping): an eval item is its question (and options), found whole by the
 * exact layer or by n-gram overlap; compose and audit read eval sets with the one reader and
 * report the same hits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { compose } from '../../src/compose/compose.js';
import type { EvalSetReport } from '../../src/decontam/contamination-tally.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { writeJsonl } from '../helpers/corpus.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const q = (p: string) => JSON.stringify(p);
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, string>);

/** Apollo's exam records as training: question as the user turn, options and answer as the reply. */
const APOLLO_SCHEMA = '{ turns: [ { role: user, from: question }, { role: assistant, from: option } ] }';

describe.skipIf(!hasRealData)('eval sets read as questions (#18)', () => {
  const dir = tempDir('mixsmith-eval-reader-');

  /** PubMedQA as its eval files ship: question, every context, the long answer, MeSH terms, options. */
  function writePubmed(): { evalPath: string; trainPath: string; count: number } {
    const records = lines(realFile('apollo-xmedbench/test/en/pubmedqa.jsonl'));
    const evalPath = path.join(dir, 'pubmedqa-eval.jsonl');
    const trainPath = path.join(dir, 'pubmedqa-leak.jsonl');
    const sentences = (text: string) => text.split(/(?<=\.) /);
    writeJsonl(
      evalPath,
      records.map((r, i) => ({
        pubid: 10_000_000 + i,
        question: r.question,
        contexts: sentences(r.context!),
        labels: ['BACKGROUND', 'METHODS', 'RESULTS'],
        long_answer: `${sentences(r.context!).reverse().join(' ')} These findings answer: ${r.question}`,
        meshes: ['Humans', 'Cohort Studies', 'Prospective Studies', 'Treatment Outcome'],
        option: r.option,
        final_decision: r.anwer,
      })),
    );
    // The leaked copy: the question and the first context only.
    writeJsonl(
      trainPath,
      records.map((r) => ({ instruction: `${r.question}\n${sentences(r.context!)[0]}`, output: 'Yes.' })),
    );
    return { evalPath, trainPath, count: records.length };
  }

  /**
   * Ten re-translations of each of 20 USMLE questions: one word changed at a different place per
   * variant, the same options. Most 13-grams are held by all ten, so the boilerplate rule (a gram
   * of 10+ items) leaves an item almost nothing of its own; training holds every item verbatim.
   */
  function writeClusters(): { evalPath: string; trainPath: string; count: number } {
    const source = lines(realFile('apollo-xmedbench/test/en/medqa-usmle.jsonl')).slice(0, 20);
    const items: { question: string; options: string }[] = [];
    for (const r of source) {
      const words = r.question!.split(' ');
      for (let v = 0; v < 10; v++) {
        const changed = [...words];
        const at = Math.floor(((v + 0.5) * words.length) / 10);
        changed[at] =
          `${changed[at]}-${['also', 'too', 'then', 'here', 'now', 'thus', 'again', 'so', 'yet', 'still'][v]}`;
        items.push({ question: changed.join(' '), options: r.option! });
      }
    }
    const evalPath = path.join(dir, 'clusters-eval.jsonl');
    const trainPath = path.join(dir, 'clusters-train.jsonl');
    writeJsonl(evalPath, items);
    writeJsonl(
      trainPath,
      items.map((item) => ({ instruction: `${item.question}\n${item.options}`, output: 'The answer is (A).' })),
    );
    return { evalPath, trainPath, count: items.length };
  }

  async function composeWith(sources: string, evalSets: string, out: string) {
    // ChatDoctor dialogues beside the leaked copies: a mixture of contaminated records only would
    // have 0 training rows, an error of its own.
    const text = `name: eval-reader
seed: 1
sources:
${sources}
  - { name: filler, group: exam, path: ${q(realFile('chatdoctor/chatdoctor5k.json'))}, schema: alpaca }
mixture: { volume: 100000, shares: { exam: 1 }, shortage: cap }
decontaminate:
  eval:
${evalSets}
`;
    const { manifest } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, out) });
    return Object.fromEntries((manifest.evidence.decontamination ?? []).map((s) => [s.set, s])) as Record<
      string,
      EvalSetReport
    >;
  }

  it('finds every PULSE MedQA-USMLE item in Apollo medqa-usmle and every PULSE MedQA-Mainland item in Apollo medqa-mcmle', async () => {
    const sets = await composeWith(
      `  - { name: usmle, group: exam, path: ${q(realFile('apollo-xmedbench/test/en/medqa-usmle.jsonl'))}, schema: ${APOLLO_SCHEMA} }
  - { name: mcmle, group: exam, path: ${q(realFile('apollo-xmedbench/test/zh/medqa-mcmle.jsonl'))}, schema: ${APOLLO_SCHEMA} }`,
      `    - { name: pulse-usmle, path: ${q(realFile('pulse-eval/MedQA-USMLE.jsonl'))} }
    - { name: pulse-mainland, path: ${q(realFile('pulse-eval/MedQA_Mainland.jsonl'))} }`,
      'medqa',
    );
    console.log(
      `PULSE MedQA-USMLE: ${JSON.stringify(sets['pulse-usmle'])}\nPULSE MedQA-Mainland: ${JSON.stringify(sets['pulse-mainland'])}`,
    );
    expect(sets['pulse-usmle']).toMatchObject({ items: 150, tooShort: 0, itemsHit: 150 });
    // The option lists differ (Apollo: 4 options with other letters; PULSE: 5), the questions do not.
    expect(sets['pulse-mainland']).toMatchObject({ items: 150, tooShort: 0, itemsHit: 150 });
    expect(sets['pulse-mainland']!.removedBySource.mcmle).toBeGreaterThanOrEqual(150);
  });

  it('finds every PubMedQA item in a training file holding only its question and first context', async () => {
    const { evalPath, trainPath, count } = writePubmed();
    const sets = await composeWith(
      `  - { name: leak, group: exam, path: ${q(trainPath)}, schema: alpaca }`,
      `    - { name: pubmedqa, path: ${q(evalPath)} }`,
      'pubmed',
    );
    console.log(`PubMedQA (all fields in the eval file): ${JSON.stringify(sets.pubmedqa)}`);
    expect(sets.pubmedqa).toMatchObject({ items: count, itemsHit: count, removedBySource: { leak: count } });
  });

  it('keeps no verbatim copy of an eval set made of paraphrase clusters', async () => {
    const { evalPath, trainPath, count } = writeClusters();
    const sets = await composeWith(
      `  - { name: copies, group: exam, path: ${q(trainPath)}, schema: alpaca }`,
      `    - { name: clusters, path: ${q(evalPath)} }`,
      'clusters',
    );
    console.log(`paraphrase clusters: ${JSON.stringify(sets.clusters)}`);
    expect(sets.clusters).toMatchObject({ items: count, itemsHit: count, removedBySource: { copies: count } });
  });

  it('keeps a ChatDoctor dialogue that shares one short MCQ stem with an eval item', async () => {
    const dialogues = JSON.parse(readFileSync(realFile('chatdoctor/chatdoctor5k.json'), 'utf8')) as {
      instruction: string;
      input: string;
      output: string;
    }[];
    const dialogue = dialogues.find((d) => d.input.includes('What could be the problem?'))!;
    const trainPath = path.join(dir, 'chatdoctor-one.jsonl');
    writeJsonl(trainPath, [dialogue]);
    const evalPath = path.join(dir, 'short-stem.jsonl');
    writeJsonl(evalPath, [
      {
        question: 'What could be the problem?',
        A: 'Laryngitis',
        B: 'Vocal cord polyp',
        C: 'Reflux disease',
        D: 'Thyroid nodule',
        Answer: 'B',
      },
    ]);
    const bareStem = path.join(dir, 'bare-stem.jsonl');
    writeJsonl(bareStem, [{ question: 'What could be the problem?' }]);
    const sets = await composeWith(
      `  - { name: chatdoctor, group: exam, path: ${q(trainPath)}, schema: alpaca }`,
      `    - { name: stems, path: ${q(evalPath)} }\n    - { name: bare, path: ${q(bareStem)} }`,
      'chatdoctor',
    );
    // Without options, the 5-word question counts only as a line of its own (before #18: removed).
    expect(sets.bare).toMatchObject({ items: 1, indexed: 1, exactIndexed: 0, itemsHit: 0, removedBySource: {} });
    // Its question alone (5 words) is below the exact floor and not a line of its own there; with its
    // options it is an exact key, which the dialogue does not hold.
    expect(sets.stems).toMatchObject({ items: 1, indexed: 1, exactIndexed: 1, itemsHit: 0, removedBySource: {} });
  });

  it('audit --eval reports the hits compose found, and --expect contamination=0 fails on them', async () => {
    const pubmed = writePubmed();
    const clusters = writeClusters();
    const text = `name: undecontaminated
seed: 1
sources:
  - { name: usmle, group: exam, path: ${q(realFile('apollo-xmedbench/test/en/medqa-usmle.jsonl'))}, schema: ${APOLLO_SCHEMA} }
  - { name: mcmle, group: exam, path: ${q(realFile('apollo-xmedbench/test/zh/medqa-mcmle.jsonl'))}, schema: ${APOLLO_SCHEMA} }
  - { name: leak, group: exam, path: ${q(pubmed.trainPath)}, schema: alpaca }
  - { name: copies, group: exam, path: ${q(clusters.trainPath)}, schema: alpaca }
mixture: { volume: 100000, shares: { exam: 1 }, shortage: cap }
`;
    const out = path.join(dir, 'mixed');
    await compose(parseRecipe(text, 'r.yaml', dir), { out });
    const evals = [
      `pulse-usmle=${realFile('pulse-eval/MedQA-USMLE.jsonl')}`,
      `pulse-mainland=${realFile('pulse-eval/MedQA_Mainland.jsonl')}`,
      `pubmedqa=${pubmed.evalPath}`,
      `clusters=${clusters.evalPath}`,
    ];
    const html = path.join(dir, 'audit.html');
    const run = await runCli([
      'audit',
      out,
      ...evals.flatMap((e) => ['--eval', e]),
      '--expect',
      'contamination=0',
      '--no-near',
      '--html',
      html,
      '--json',
    ]);
    expect(run.code).toBe(6);
    const result = JSON.parse(run.stdout) as AuditResult;
    const hit = Object.fromEntries(result.subjects[0]!.evals.map((e) => [e.name, e.itemsHit]));
    console.log(`audit items hit: ${JSON.stringify(hit)}`);
    expect(hit).toEqual({
      'pulse-usmle': 150,
      'pulse-mainland': 150,
      pubmedqa: pubmed.count,
      clusters: clusters.count,
    });
    const byLayer = Object.fromEntries(
      result.subjects[0]!.evals.map((e) => [e.name, [e.itemsHitExact, e.itemsHitOverlap, e.tooShort]]),
    );
    expect(byLayer['pulse-usmle']).toEqual([150, 0, 0]);
    // the HTML report says how each set was hit, zeros included
    expect(readFileSync(html, 'utf8')).toContain('150 (question whole: 150, n-gram overlap: 0)');
  });
});
