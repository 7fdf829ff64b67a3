// Writes the small bundled example data in fixtures/quickstart/ (deterministic; no dependencies).
// Medical records are alpaca JSONL, general records ShareGPT JSON; both plant exact and
// normalised duplicates and a few cross-group copies so the example shows dedup at work.
import { writeFileSync } from 'node:fs';

let state = 20251125;
const rand = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const pick = (list) => list[Math.floor(rand() * list.length)];

const conditions = [
  'hypertension',
  'type 2 diabetes',
  'asthma',
  'migraine',
  'iron-deficiency anaemia',
  'hypothyroidism',
  'gout',
  'GERD',
  'atrial fibrillation',
  'psoriasis',
  'osteoporosis',
  'sleep apnoea',
];
const asks = [
  'What are the first-line treatments for',
  'Which symptoms suggest',
  'How is the diagnosis confirmed for',
  'What lifestyle changes help with',
  'Which lab tests monitor',
  'What complications can follow untreated',
];
const answers = [
  'Guidelines recommend starting with',
  'Clinicians usually look for',
  'The work-up typically includes',
  'Evidence supports',
  'Monitoring relies on',
  'Left untreated it can lead to',
];
const topics = [
  'the French Revolution',
  'photosynthesis',
  'binary search',
  'compound interest',
  'the water cycle',
  'plate tectonics',
  'recursion in Python',
  'supply and demand',
  'the Pythagorean theorem',
  'haiku writing',
  'time management',
  'HTTP caching',
];
const verbs = [
  'Explain',
  'Summarise',
  'Give three facts about',
  'Write a short lesson on',
  'Compare two views of',
  'List common mistakes about',
];

const medical = [];
for (let i = 0; i < 260; i++) {
  const condition = pick(conditions);
  medical.push({
    instruction: `${pick(asks)} ${condition}?`,
    input: i % 7 === 0 ? `Patient ${i}: adult, no known allergies.` : '',
    output: `${pick(answers)} measures specific to ${condition} (case note ${i}).`,
  });
}
for (let i = 0; i < 20; i++) medical.push({ ...medical[i * 5] }); // exact copies
for (let i = 0; i < 10; i++) {
  const r = medical[i * 3 + 1];
  medical.push({ ...r, instruction: `  ${r.instruction.toUpperCase()}  ` }); // same after normalisation
}

const general = [];
for (let i = 0; i < 620; i++) {
  const topic = pick(topics);
  general.push({
    conversations: [
      { from: 'human', value: `${pick(verbs)} ${topic}. (request ${i})` },
      { from: 'gpt', value: `Here is an overview of ${topic}, written for request ${i}.` },
    ],
  });
}
for (let i = 0; i < 30; i++) general.push(JSON.parse(JSON.stringify(general[i * 7])));
for (let i = 0; i < 8; i++) {
  const m = medical[i * 11];
  const user = m.input ? `${m.instruction}\n${m.input}` : m.instruction;
  general.push({
    conversations: [
      { from: 'human', value: user },
      { from: 'gpt', value: m.output },
    ],
  }); // cross-group copies
}

writeFileSync(
  new URL('../fixtures/quickstart/medical.jsonl', import.meta.url),
  `${medical.map((r) => JSON.stringify(r)).join('\n')}\n`,
);
writeFileSync(new URL('../fixtures/quickstart/general.json', import.meta.url), `${JSON.stringify(general, null, 1)}\n`);
console.log(`medical ${medical.length}, general ${general.length}`);
