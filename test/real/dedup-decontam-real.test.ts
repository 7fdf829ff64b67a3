/**
 * Issue #5 on real data: the overlaps measured in ../shared/data/real/README.md are found by
 * exact dedup and by decontamination inside compose.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { planReport } from '../../src/compose/plan-report.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

describe.skipIf(!hasRealData)('real overlaps', () => {
  const dir = tempDir();
  const q = (p: string) => JSON.stringify(realFile(p));

  it('collapses ChatDoctor/GenMedGPT and finds the 3,126 records the two Chinese Alpacas share', async () => {
    const text = `name: real-dedup
seed: 1
sources:
  - { name: chatdoctor, group: medical, path: ${q('chatdoctor/chatdoctor5k.json')}, schema: alpaca }
  - { name: genmedgpt, group: medical, path: ${q('doctorglm/GenMedGPT-5k.json')}, schema: alpaca }
  - { name: carbonz0, group: general, path: ${q('alpaca-chinese-carbonz0/zh-data-part-00.json')}, schema: alpaca }
  - { name: hikariming, group: general, path: ${q('alpaca-chinese-hikariming/alpaca_data-0-3252-中文-已完成.json')}, schema: alpaca }
mixture: { volume: 1000, shares: { medical: 0.5, general: 0.5 } }
`;
    const report = await planReport(parseRecipe(text, 'r.yaml', dir));
    const source = (name: string) => report.sources.find((s) => s.name === name)!;
    expect(source('chatdoctor')).toMatchObject({ read: 5452, duplicates: 0, available: 5452 });
    expect(source('genmedgpt')).toMatchObject({ read: 5452, duplicates: 5452, available: 0 });
    expect(source('hikariming').duplicates).toBe(3126);
  });

  it('flags the MedQuAD questions inside medical_meadow_small and PULSE MedQA inside Apollo', async () => {
    // MedQuAD ships as XML: its questions become a JSONL eval set here.
    const xmlDir = realFile('medquad-nhlbi/8_NHLBI_QA_XML');
    const questions = readdirSync(xmlDir)
      .sort()
      .flatMap((f) =>
        [...readFileSync(path.join(xmlDir, f), 'utf8').matchAll(/<Question[^>]*>([^<]*)<\/Question>/g)].map(
          (m) => m[1]!,
        ),
      );
    expect(questions).toHaveLength(559);
    mkdirSync(path.join(dir, 'eval'), { recursive: true });
    writeFileSync(
      path.join(dir, 'eval/medquad.jsonl'),
      questions.map((question) => JSON.stringify({ question })).join('\n'),
    );
    const text = `name: real-decontam
seed: 1
sources:
  - { name: meadow, group: medical, path: ${q('medalpaca/medical_meadow_small.json')}, schema: alpaca }
  - name: apollo
    group: exam
    path: ${q('apollo-xmedbench/test/en/medqa-usmle.jsonl')}
    schema: { turns: [ { role: user, from: question }, { role: assistant, from: anwer } ] }
mixture: { volume: 20000, shares: { medical: 0.5, exam: 0.5 }, shortage: cap }
decontaminate:
  eval:
    - { name: medquad, path: eval/medquad.jsonl }
    - { name: pulse-medqa, path: ${q('pulse-eval/MedQA-USMLE.jsonl')} }
`;
    const { manifest } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'out') });
    const sets = Object.fromEntries((manifest.evidence.decontamination ?? []).map((s) => [s.set, s]));
    expect(sets.medquad!.itemsHit).toBe(95);
    expect(sets['pulse-medqa']!.itemsHit).toBe(150);
    expect(sets['pulse-medqa']!.removedBySource).toEqual({ apollo: 150 });
    console.log(
      `decontamination: MedQuAD items hit ${sets.medquad!.itemsHit} (meadow samples removed ${sets.medquad!.removedBySource.meadow}); PULSE MedQA items hit ${sets['pulse-medqa']!.itemsHit}`,
    );
  });
});
