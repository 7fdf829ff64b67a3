import { describe, expect, it } from 'vitest';
import { ContaminationTally } from '../../src/decontam/contamination-tally.js';
import { DEFAULT_DECONTAM_SETTINGS } from '../../src/decontam/defaults.js';
import { EvalIndex } from '../../src/decontam/eval-index.js';

const MEDQA_ITEM = [
  'A 45-year-old man comes to the emergency department because of crushing substernal chest pain that began two hours ago while he was shovelling snow.',
  'He has a history of hypertension and smokes one pack of cigarettes daily. An electrocardiogram shows ST-segment elevation in leads II, III and aVF.',
  'Which of the following is the most likely diagnosis?',
  'A: Inferior wall myocardial infarction B: Anterior wall myocardial infarction C: Pericarditis D: Aortic dissection',
  'Answer: A',
].join('\n');

function medqaIndex(): EvalIndex {
  const index = new EvalIndex();
  index.add({ set: 'medqa', id: 'q1', text: MEDQA_ITEM });
  return index;
}

describe('EvalIndex', () => {
  it('removes a training sample that pastes the eval question', () => {
    const pasted = `Please help me with this exam question.\n${MEDQA_ITEM.split('\n').slice(0, 3).join(' ')}\nThanks!`;
    const match = medqaIndex().match(pasted);
    expect(match).toMatchObject({ set: 'medqa', evalId: 'q1' });
    expect(match!.matchedShare).toBeGreaterThanOrEqual(DEFAULT_DECONTAM_SETTINGS.threshold);
    expect(MEDQA_ITEM.toLowerCase()).toContain(match!.example);
  });

  it('keeps a training sample that merely shares a common phrase with the eval item', () => {
    const training = [
      'Chest pain in a patient with risk factors always needs an electrocardiogram.',
      'Which of the following is the most likely diagnosis? That is the question every clinician asks,',
      'and an electrocardiogram shows ST-segment elevation in leads II, III and aVF only in some inferior infarctions.',
      'Long discussions of management follow here, about reperfusion, aspirin, and the timing of catheterisation.',
    ].join(' ');
    const index = medqaIndex();
    expect(index.match(training)).toBeUndefined();
  });

  it('finds a CJK item inside a Chinese training sample', () => {
    const index = new EvalIndex();
    index.add({
      set: 'cmexam',
      id: 'z1',
      text: '患者男性，45岁，突发胸骨后压榨性疼痛2小时，心电图示II、III、aVF导联ST段抬高，最可能的诊断是\nA．下壁心肌梗死\nB．前壁心肌梗死\nC．心包炎\n答案：A',
    });
    const training =
      '下面是一道练习题：患者男性，45岁，突发胸骨后压榨性疼痛2小时，心电图示II、III、aVF导联ST段抬高，最可能的诊断是什么？请详细解释。';
    expect(index.match(training)).toMatchObject({ set: 'cmexam', evalId: 'z1' });
    expect(index.match('胸痛患者应尽快做心电图检查，最可能的诊断需要结合病史。')).toBeUndefined();
  });

  it('finds an English item inside a Chinese-dominant training text and the reverse', () => {
    const index = new EvalIndex();
    index.add({
      set: 'en',
      id: 'e1',
      text: 'What is the first-line treatment for uncomplicated hypertension in a young adult without diabetes or kidney disease?',
    });
    index.add({ set: 'zh', id: 'z1', text: '高血压患者首选的降压药物是哪一类，为什么需要长期服用' });
    expect(
      index.match(
        '请翻译：What is the first-line treatment for uncomplicated hypertension in a young adult without diabetes or kidney disease? 谢谢。这是一个很长的中文句子，用来说明文本主要是中文。',
      )?.evalId,
    ).toBe('e1');
    expect(
      index.match(
        'Translate into English: 高血压患者首选的降压药物是哪一类，为什么需要长期服用. This sentence is mostly English words around the quote.',
      )?.evalId,
    ).toBe('z1');
  });

  it('matches a short item only when the training text holds all of it, as a line of its own', () => {
    const index = new EvalIndex();
    index.add({ set: 'medquad', id: 'm1', text: 'What causes Asthma ?' });
    expect(index.match('Answer this question truthfully\nWhat causes asthma?')).toMatchObject({
      evalId: 'm1',
      layer: 'exact',
      matchedShare: 1,
      example: 'what causes asthma',
    });
    // Below the exact floor (6 words) a question inside a sentence is a phrase, not a leak (#18:
    // short stems flagged ordinary dialogues); before, any text holding the 3 words matched.
    expect(index.match('My son wheezes at night. What causes asthma? Is it the dust?')).toBeUndefined();
    expect(index.match('What causes allergies, and is asthma one of them?')).toBeUndefined();
    expect(index.match('What causes')).toBeUndefined();
  });

  it('does not index items shorter than the minimum', () => {
    const index = new EvalIndex();
    expect(index.add({ set: 's', id: 'yes', text: 'Yes.' })).toEqual({
      unit: 'word',
      tokens: 1,
      grams: 0,
      indexed: false,
    });
    expect(index.match('yes')).toBeUndefined();
    expect(index.stats).toMatchObject({ items: 1, indexed: 0, tooShort: 1 });
  });

  it('discounts boilerplate shared by many eval items', () => {
    const suffix = 'Answer this question, choose the correct answer, and explain your reasoning process step by step.';
    const index = new EvalIndex({ ...DEFAULT_DECONTAM_SETTINGS, commonGramItems: 3 });
    const questions = [
      'A 30-year-old woman has fatigue, weight gain, cold intolerance and constipation for six months with a raised TSH.',
      'A 60-year-old man has a resting tremor of the right hand, slow movements and a shuffling gait for a year.',
      'A 25-year-old student has fever, neck stiffness, photophobia and a petechial rash on both legs since this morning.',
    ];
    for (const [i, q] of questions.entries()) index.add({ set: 'pulse', id: String(i), text: `${q}\n${suffix}` });
    // Only the question, without the shared suffix: still more than half of the item's own grams.
    expect(index.match(questions[1]!)).toMatchObject({ evalId: '1', matchedShare: 1 });
    // Only the suffix: boilerplate, no item matched.
    expect(index.match(suffix)).toBeUndefined();
  });

  it('rejects bad settings', () => {
    expect(() => new EvalIndex({ ...DEFAULT_DECONTAM_SETTINGS, wordN: 0 })).toThrow(RangeError);
    expect(() => new EvalIndex({ ...DEFAULT_DECONTAM_SETTINGS, minWordTokens: 14 })).toThrow(RangeError);
    expect(() => new EvalIndex({ ...DEFAULT_DECONTAM_SETTINGS, threshold: 1.5 })).toThrow(RangeError);
  });
});

describe('ContaminationTally', () => {
  it('reports items hit, removals per source and examples per eval set', () => {
    const index = medqaIndex();
    const tally = new ContaminationTally(1);
    const match = index.match(MEDQA_ITEM)!;
    tally.record(match, { id: 'med:a.jsonl:3', source: 'med' });
    tally.record(match, { id: 'gen:b.jsonl:9', source: 'gen' });
    tally.record(match, { id: 'med:a.jsonl:7', source: 'med' });
    expect(tally.report(index.setStats())).toEqual([
      {
        set: 'medqa',
        items: 1,
        indexed: 1,
        exactIndexed: 1,
        tooShort: 0,
        tooShortIds: [],
        itemsHit: 1,
        itemsHitExact: 1,
        itemsHitOverlap: 0,
        removedBySource: { gen: 1, med: 2 },
        examples: [
          { trainingId: 'med:a.jsonl:3', evalId: 'q1', layer: 'exact', matchedShare: 1, example: match.example },
        ],
      },
    ]);
  });
});
