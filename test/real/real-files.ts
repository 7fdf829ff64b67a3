/**
 * Every data file in ../shared/data/real, with the record count its SOURCE.md states, the format
 * mixsmith must detect, and the recipe settings it needs (docs/real-data.md is the same table in
 * prose). A test checks that this list covers every file on disk and agrees with SOURCE.md.
 */
import type { RecordFormat } from '../../src/recipe/names.js';
import type { FieldMapping, SchemaSpec, SourceFilters } from '../../src/recipe/types.js';

export interface RealFile {
  /** Relative to the real-data folder. */
  readonly path: string;
  /** As SOURCE.md states it. */
  readonly records: number;
  readonly format: RecordFormat;
  /** The recipe's `schema:`; `auto` when detection suffices. */
  readonly schema: SchemaSpec;
  /** Records call tools (ShareGPT function_call/observation or tool turns). */
  readonly toolCalls?: boolean;
  /** What the manifest/inspect report as the schema used. */
  readonly detected: string;
  /** Exact duplicate records inside the file, where SOURCE.md measured them. */
  readonly duplicates?: number;
  readonly filters?: SourceFilters;
  /** Samples the filters drop, by reason. */
  readonly filtered?: Readonly<Record<string, number>>;
}

const qa = (question: string, answer: string, extra: Partial<FieldMapping> = {}): FieldMapping => ({
  turns: [
    { role: 'user', from: question },
    { role: 'assistant', from: answer },
  ],
  ...extra,
});

/** FrenchMedMCQA: options in an `answers` dict, one or several letters in `correct_answers` (docs/recipe.md). */
export const FRENCH_MEDMCQA: FieldMapping = {
  turns: [
    { role: 'user', template: '{question}\n{answers|\n}' },
    { role: 'assistant', template: '{correct_answers|, }' },
  ],
  meta: ['subject_name', 'nbr_correct_answers'],
};

/** Apollo's old exam files: options in one string, the answer under the misspelled key `anwer`. */
const APOLLO_EXAM: FieldMapping = {
  turns: [
    { role: 'user', template: '{question}\n{option}' },
    { role: 'assistant', from: 'anwer' },
  ],
  meta: ['source'],
};
const APOLLO_PUBMEDQA: FieldMapping = {
  turns: [
    { role: 'user', template: '{context}\n{question}\n{option}' },
    { role: 'assistant', from: 'anwer' },
  ],
  meta: ['source'],
};
/** HEAD revision of the same benchmark: `answer`, `options`. */
const APOLLO_DEV_V2: FieldMapping = {
  turns: [
    { role: 'user', template: '{question}\n{options}' },
    { role: 'assistant', from: 'answer' },
  ],
  meta: ['source'],
};
/** Arrays of strings: prompt, answer, prompt, answer… */
const STRING_TURNS: FieldMapping = { messages: { alternate: ['user', 'assistant'] } };
/** Seed tasks nest their example: the first instance is the sample. */
const SEED_TASKS: FieldMapping = {
  turns: [
    { role: 'user', template: '{instruction}\n{instances.0.input}' },
    { role: 'assistant', from: 'instances.0.output' },
  ],
  meta: ['id', 'name'],
};
/** Prompt → target where the target may be withheld (test splits, eval sets): an empty answer leaves a prompt-only sample. */
const PROMPT_MAYBE_ANSWER = (prompt: string, answer: string, meta: string[]): FieldMapping => ({
  turns: [
    { role: 'user', from: prompt },
    { role: 'assistant', from: answer, optional: true },
  ],
  meta,
});

const apolloExam = (path: string, records: number, duplicates = 0): RealFile => ({
  path,
  records,
  format: 'jsonl',
  schema: path.includes('pubmedqa') ? APOLLO_PUBMEDQA : APOLLO_EXAM,
  detected: 'mapping',
  duplicates,
});
const apolloTrain = (path: string): RealFile => ({
  path: `apollo-xmedbench/train/${path}`,
  records: 100,
  format: 'json',
  schema: STRING_TURNS,
  detected: 'mapping',
});
/** PromptCBLUE.jsonl and webMedQA.jsonl withhold every reference answer: they become prompt-only samples. */
const pulse = (name: string): RealFile => ({
  path: `pulse-eval/${name}`,
  records: 150,
  format: 'jsonl',
  schema: PROMPT_MAYBE_ANSWER('question', 'reference_answer', ['type']),
  detected: 'mapping',
  duplicates: 0,
});
const alpaca = (path: string, records: number, format: RecordFormat, duplicates = 0): RealFile => ({
  path,
  records,
  format,
  schema: 'auto',
  detected: 'alpaca',
  duplicates,
});

export const REAL_FILES: readonly RealFile[] = [
  alpaca('alpaca-chinese-carbonz0/zh-data-part-00.json', 10021, 'json', 1),
  alpaca('alpaca-chinese-hikariming/alpaca_data-0-3252-中文-已完成.json', 3247, 'json'),
  alpaca('alpaca-chinese-hikariming/alpaca_data-0-3252-英文.json', 3252, 'json'),
  alpaca('alpaca-chinese-hikariming/alpaca_data-18280-21320-中文-wys未完成.json', 2290, 'json'),
  { path: 'apollo-xmedbench/dev-v2/en.json', records: 416, format: 'json', schema: APOLLO_DEV_V2, detected: 'mapping' },
  { path: 'apollo-xmedbench/dev-v2/zh.json', records: 437, format: 'json', schema: APOLLO_DEV_V2, detected: 'mapping' },
  apolloExam('apollo-xmedbench/dev/exam/en/medmcqa.jsonl', 209),
  apolloExam('apollo-xmedbench/dev/exam/en/medqa-usmle.jsonl', 63),
  apolloExam('apollo-xmedbench/dev/exam/en/mmlu-medical.jsonl', 93),
  apolloExam('apollo-xmedbench/dev/exam/en/pubmedqa.jsonl', 50),
  {
    path: 'apollo-xmedbench/dev/exam/medbase_dev_exam.json',
    records: 852,
    format: 'json',
    schema: APOLLO_EXAM,
    detected: 'mapping',
    duplicates: 0,
  },
  apolloExam('apollo-xmedbench/dev/exam/zh/cmb-single.jsonl', 100),
  apolloExam('apollo-xmedbench/dev/exam/zh/cmexam.jsonl', 100),
  apolloExam('apollo-xmedbench/dev/exam/zh/cmmlu-medical.jsonl', 66),
  apolloExam('apollo-xmedbench/dev/exam/zh/medqa-mcmle.jsonl', 171),
  apolloExam('apollo-xmedbench/test/en/medmcqa.jsonl', 4183),
  apolloExam('apollo-xmedbench/test/en/medqa-usmle.jsonl', 1273),
  apolloExam('apollo-xmedbench/test/en/mmlu-medical.jsonl', 1871, 78),
  apolloExam('apollo-xmedbench/test/en/pubmedqa.jsonl', 1000),
  apolloExam('apollo-xmedbench/test/zh/cmb-single.jsonl', 2000, 3),
  apolloExam('apollo-xmedbench/test/zh/cmexam.jsonl', 2000),
  apolloExam('apollo-xmedbench/test/zh/cmmlu-medical.jsonl', 1333, 1),
  apolloExam('apollo-xmedbench/test/zh/medqa-mcmle.jsonl', 3426, 6),
  apolloTrain('General_en_sampled.json'),
  apolloTrain('General_zh_sampled.json'),
  apolloTrain('Medical_Exam_en_sampled.json'),
  apolloTrain('Medical_Exam_zh_sampled.json'),
  apolloTrain('Medical_Patient_en_sampled.json'),
  apolloTrain('Medical_Patient_zh_sampled.json'),
  {
    path: 'belle/eval_set.json',
    records: 1000,
    format: 'jsonl',
    schema: qa('question', 'std_answer', { meta: ['class'] }),
    detected: 'mapping',
    filters: { drop_empty_turns: true },
    filtered: { drop_empty_turns: 369 },
  },
  { path: 'belle/zh_seed_tasks.json', records: 175, format: 'jsonl', schema: SEED_TASKS, detected: 'mapping' },
  {
    path: 'capybara-parquet/test-00000-of-00001.parquet',
    records: 200,
    format: 'parquet',
    schema: 'auto',
    detected: 'openai',
  },
  alpaca('chatdoctor/chatdoctor5k.json', 5452, 'json'),
  alpaca('doctorglm/GenMedGPT-5k-ch.json', 5397, 'json'),
  alpaca('doctorglm/GenMedGPT-5k.json', 5452, 'json'),
  {
    path: 'dolly-15k-head19/databricks-dolly-15k.jsonl',
    records: 19,
    format: 'jsonl',
    schema: 'auto',
    detected: 'dolly',
    duplicates: 0,
  },
  {
    path: 'fastchat/dummy_conversation.json',
    records: 500,
    format: 'json',
    schema: 'auto',
    detected: 'sharegpt',
    duplicates: 0,
  },
  {
    path: 'fastchat/mt_bench/question.jsonl',
    records: 80,
    format: 'jsonl',
    schema: { messages: { from: 'turns', alternate: ['user'] }, meta: ['question_id', 'category'] },
    detected: 'mapping',
  },
  {
    path: 'firefly/dummy_data.jsonl',
    records: 33,
    format: 'jsonl',
    schema: { messages: { from: 'conversation', keys: { human: 'user', assistant: 'assistant' } }, meta: ['category'] },
    detected: 'mapping',
  },
  // FrenchMedMCQA: the question and its answers dict as "a. …" lines → user, the correct_answers list joined → assistant.
  ...(['train', 'dev', 'test'] as const).map(
    (split, i): RealFile => ({
      path: `frenchmedmcqa/${split}.json`,
      records: [2171, 312, 622][i]!,
      format: 'json',
      schema: FRENCH_MEDMCQA,
      detected: 'mapping',
    }),
  ),
  alpaca('huatuo-llama-med-chinese/liver_cancer.json', 1000, 'json'),
  alpaca('huatuo-llama-med-chinese/llama_data.json', 8658, 'jsonl'),
  {
    path: 'huatuo-llama-med-chinese/question.json',
    records: 200,
    format: 'json',
    schema: { turns: [{ role: 'user', from: 'question' }], meta: ['ICD-10'] },
    detected: 'mapping',
  },
  {
    path: 'huatuogpt-eval/KUAKE-QIC_100.json',
    records: 100,
    format: 'json',
    schema: { turns: [{ role: 'user', from: 'query' }], meta: ['label'] },
    detected: 'mapping',
  },
  {
    path: 'huatuogpt-eval/Med-dialog_100.json',
    records: 100,
    format: 'json',
    schema: qa('medical_case', 'doctor_diagnosis', { meta: ['Department'] }),
    detected: 'mapping',
  },
  {
    path: 'huatuogpt2-eval/huatuo100_conv/GPT4.json',
    records: 100,
    format: 'json',
    schema: { messages: { from: 'model_input' }, meta: ['Doctor faculty'] },
    detected: 'mapping',
  },
  {
    path: 'huatuogpt2-eval/huatuo100_inst/GPT4.json',
    records: 100,
    format: 'json',
    schema: qa('query', 'model_output', { meta: ['label'] }),
    detected: 'mapping',
  },
  {
    path: 'ifbench-parquet/test-00000-of-00001.parquet',
    records: 1387,
    format: 'parquet',
    schema: 'auto',
    detected: 'openai',
    duplicates: 0,
  },
  alpaca('llama-factory-demo/alpaca_en_demo.json', 999, 'json', 14),
  alpaca('llama-factory-demo/alpaca_zh_demo.json', 1000, 'json', 8),
  {
    path: 'llama-factory-demo/glaive_toolcall_zh_demo.json',
    records: 300,
    format: 'json',
    schema: 'auto',
    detected: 'sharegpt',
    duplicates: 43,
    toolCalls: true,
  },
  alpaca('llama-factory-demo/identity.json', 91, 'json'),
  {
    path: 'llama-factory-demo/v1_sft_demo.jsonl',
    records: 500,
    format: 'jsonl',
    schema: 'auto',
    detected: 'openai',
    duplicates: 1,
  },
  alpaca('medalpaca/medical_meadow_small.json', 5942, 'json', 92),
  {
    path: 'medicalgpt/medical_corpus.txt',
    records: 87,
    format: 'jsonl',
    schema: qa('问', '答'),
    detected: 'mapping',
    duplicates: 0,
  },
  {
    path: 'medicalgpt/medical_sft_1K_format.jsonl',
    records: 1000,
    format: 'jsonl',
    schema: 'auto',
    detected: 'sharegpt',
    duplicates: 0,
  },
  {
    path: 'medicalgpt/sharegpt_zh_1K_format.jsonl',
    records: 1000,
    format: 'jsonl',
    schema: 'auto',
    detected: 'sharegpt',
    duplicates: 0,
    filters: { drop_empty_turns: true },
    filtered: { drop_empty_turns: 1 },
  },
  {
    path: 'openai-cookbook-toy/toy_chat_fine_tuning.jsonl',
    records: 5,
    format: 'jsonl',
    schema: 'auto',
    detected: 'openai',
    // Record 4 has no user turn, record 5 an assistant turn of 26,000 characters (SOURCE.md).
    filters: { require_roles: ['user', 'assistant'], max_chars_per_turn: 20000 },
    filtered: { require_roles: 1, max_chars_per_turn: 1 },
  },
  {
    path: 'promptcblue-toy/dev.json',
    records: 80,
    format: 'jsonl',
    schema: PROMPT_MAYBE_ANSWER('input', 'target', ['task_type', 'sample_id']),
    detected: 'mapping',
  },
  {
    path: 'promptcblue-toy/test.json',
    records: 80,
    format: 'jsonl',
    schema: PROMPT_MAYBE_ANSWER('input', 'target', ['task_type', 'sample_id']),
    detected: 'mapping',
  },
  {
    path: 'promptcblue-toy/train.json',
    records: 80,
    format: 'jsonl',
    schema: PROMPT_MAYBE_ANSWER('input', 'target', ['task_type', 'sample_id']),
    detected: 'mapping',
  },
  pulse('CheckupQA.jsonl'),
  pulse('MedQA-USMLE.jsonl'),
  pulse('MedQA_Mainland.jsonl'),
  pulse('MedTriage.jsonl'),
  pulse('PromptCBLUE.jsonl'),
  pulse('webMedQA.jsonl'),
  { path: 'stanford-alpaca/seed_tasks.jsonl', records: 175, format: 'jsonl', schema: SEED_TASKS, detected: 'mapping' },
  // ShareGPT with ToolLLaMA's `function` role (tool outputs), read as `tool`.
  {
    path: 'toolbench/G1_demo_DFS_woFilter_w2.json',
    records: 4,
    format: 'json',
    schema: 'auto',
    detected: 'sharegpt',
    duplicates: 0,
    toolCalls: true,
  },
  {
    path: 'toolbench/corpus.tsv',
    records: 7,
    format: 'tsv',
    schema: { turns: [{ role: 'user', from: 'document_content' }], meta: ['docid'] },
    detected: 'mapping',
    duplicates: 2,
  },
];

/** Files mixsmith does not read, and the error each must get. */
export const UNREADABLE = { folder: 'medquad-nhlbi/8_NHLBI_QA_XML', files: 88, code: 'INPUT_FORMAT' } as const;
