/**
 * Word material for the synthetic corpus: common English, a medical and a general topic list, a
 * deterministic pseudo-word tail (so the vocabulary has a long Zipf tail like real text), and
 * CJK characters for the Chinese-like records. Accented words and CJK punctuation are there on
 * purpose: they are what NFKC and case folding act on.
 */
import { Rng } from './rng.mjs';

const COMMON = `the of and to a in is that for it as was with be by on not this are or from at which but have an
they you were her she there been one all we their has would when if so no will more can out up what about into than
them only other its some time could these two may first then do any like my now over such our even most made after
also did many before must through back years where much your way well down should because each just those people
how too little state good very make world still own see work long get here between both life being under never day
same another know while last might great old year off come since against go came right used take three few house use
during without again place around however home small found thought went say part once general high upon every does
left number course until always away something fact though water less public put think almost hand enough far took
head yet system better set told nothing end why called find going look asked later knew point next program city
business give group toward young days let room side social given present several order national possible rather
second face per among form important often things looking large need big four within felt along saw best ever least
power development light thing family interest want mind country area others done turned although open problem sense
certain kind different thus began field flow profile define confirm specific office affect effect effort official
final flight float flexible reflect benefit`.split(/\s+/);

const MEDICAL =
  `patient diagnosis treatment therapy symptoms fever cough headache hypertension diabetes mellitus insulin
metformin infection antibiotic amoxicillin dose dosage mg kg/m² blood pressure heart cardiac myocardial infarction
stroke ischemic kidney renal hepatic liver failure chronic acute inflammation fibrosis deficiency anemia hemoglobin
platelet thrombosis embolism pulmonary asthma pneumonia tuberculosis sepsis pediatric geriatric pregnancy trimester
fracture osteoporosis arthritis rheumatoid lupus Sjögren's Ménière's Guillain–Barré Behçet's Crohn's Hodgkin's
lymphoma leukemia carcinoma tumor metastasis chemotherapy radiotherapy biopsy MRI CT ultrasound ECG troponin
creatinine HbA1c cholesterol statin aspirin warfarin heparin anticoagulant beta-blocker diuretic furosemide
prednisone corticosteroid allergy anaphylaxis epinephrine vaccine influenza COVID-19 viral bacterial fungal
differential clinical trial prognosis contraindication adverse mechanism receptor enzyme neuron dementia
Alzheimer's Parkinson's seizure epilepsy migraine depression anxiety lithium sertraline opioid analgesic anesthesia
surgery postoperative wound catheter dialysis transplant hepatitis antiretroviral fluid fluoroquinolone first-line
finding`.split(/\s+/);

const GENERAL = `recipe travel poem story python function javascript array algorithm database email letter essay summary
paragraph sentence translate history economy climate energy solar battery marketing startup budget interview garden
coffee café naïve résumé façade jalapeño fiancée crème brûlée soufflé Zürich São Paulo Ångström chess football
guitar novel movie planet galaxy physics chemistry biology equation triangle fibonacci sorting recursion network
server cloud docker linux password security privacy`.split(/\s+/);

const CJK_CHARS = Array.from(
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知己现实点文开意间力明问理体长把机加部情正外高相全两由比但通重更各内本代提何想系使数表期被变物再少制活电论话展科组位认声产反世界路合很特身动信关果新义入性月战门教市议解程感手平原件利量常先向度并气品些农形结走条运级南立队写类必光群思任完带求',
);
const CJK_MEDICAL =
  '患者 医生 治疗 症状 诊断 药物 血压 糖尿病 高血压 感染 手术 检查 发热 咳嗽 头痛 心脏 肝脏 肾脏 抗生素 剂量 胰岛素 肺炎 哮喘 贫血 血栓 化疗 肿瘤 活检 过敏 疫苗 流感 抑郁 焦虑 癫痫 术后 透析 移植 肝炎 慢性 急性 炎症 并发症 禁忌症 不良反应 临床试验 预后'.split(
    ' ',
  );
const CJK_ASCII = [
  'COVID-19',
  'CT',
  'MRI',
  'HbA1c',
  'DNA',
  'ECG',
  'BMI',
  '5mg',
  '10mg',
  'AI',
  'Python',
  'GPU',
  'API',
  'Wi-Fi',
];

function pseudoWords(count) {
  const rng = new Rng('vocab', 'tail');
  const onsets = 'b c d f g h j k l m n p r s t v w z br cl dr fl fr gl gr pl pr sk sl sp st tr ch sh th'.split(' ');
  const nuclei = 'a e i o u ai ea ee ie oo ou'.split(' ');
  const codas = 'n r s t l m nd nt st rk'.split(' ');
  const words = new Set();
  while (words.size < count) {
    let word = '';
    const syllables = 1 + rng.int(3);
    for (let i = 0; i < syllables; i++)
      word += rng.pick(onsets) + rng.pick(nuclei) + (rng.chance(0.4) ? rng.pick(codas) : '');
    words.add(word);
  }
  return [...words];
}

function interleave(base, extra, every) {
  const out = [];
  let j = 0;
  for (let i = 0; i < base.length; i++) {
    out.push(base[i]);
    if (i % every === every - 1 && j < extra.length) out.push(extra[j++]);
  }
  while (j < extra.length) out.push(extra[j++]);
  return out;
}

const TAIL = pseudoWords(6000);

/** Word lists per flavour, most frequent first. */
export const WORDS = {
  domain: [...interleave(COMMON, MEDICAL, 2), ...TAIL],
  general: [...interleave(COMMON, GENERAL, 4), ...TAIL],
};

export const CJK = { chars: CJK_CHARS, medical: CJK_MEDICAL, ascii: CJK_ASCII };

export const INSTRUCTIONS = {
  domain: {
    en: [
      'A {age}-year-old patient presents with',
      'What is the first-line treatment for',
      'Explain the mechanism of action of',
      'Which of the following is the most likely diagnosis?',
      'Summarize the clinical note below.',
      'What are the side effects of',
      'Describe the pathophysiology of',
      'How should a clinician manage',
      'What is the recommended dose of',
      'List the contraindications of',
    ],
    zh: [
      '患者{age}岁，出现',
      '请解释以下药物的作用机制：',
      '下列哪项是最可能的诊断？',
      '请总结以下病历。',
      '治疗的首选方法是什么？',
      '以下症状提示什么疾病：',
    ],
  },
  general: {
    en: [
      'Explain',
      'Describe',
      'Write a short paragraph about',
      'What is',
      'How can I',
      'Give three tips for',
      'Summarize the following text.',
      'Translate the following sentence into French.',
      'Classify the sentiment of this review.',
      'Rewrite this sentence in a formal tone.',
      'List five facts about',
      'Write a Python function that',
    ],
    zh: ['请解释', '请描述', '总结以下内容。', '什么是', '如何', '请写一段关于', '把下面的句子翻译成英文：'],
  },
};

export const SYSTEM_PROMPTS = {
  domain: [
    'You are a helpful medical assistant.',
    'You are a clinical decision support assistant. Be accurate and cite guidelines.',
  ],
  general: ['You are a helpful assistant.', 'You are a concise assistant. Answer briefly.'],
};

export const LONG_INSTRUCTIONS = {
  en: [
    'Summarize the following document.',
    'Read the document below and answer the question.',
    'Extract the key findings from this report.',
  ],
  zh: ['请总结以下长文档。', '阅读下面的材料并回答问题：'],
};
