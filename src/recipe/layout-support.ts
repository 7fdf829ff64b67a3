/**
 * Which trainer layouts can describe which outputs. One table, used both to pick the default
 * (`output.layouts` unset: every layout that applies) and to refuse an explicit request that
 * would give the trainer files it cannot load.
 */
import { LAYOUT_NAMES } from './names.js';
import type { LayoutName, OutputFormat, OutputSchema } from './types.js';

/** Why `layout` cannot describe this output, or undefined when it can. */
export function layoutConflict(layout: LayoutName, format: OutputFormat, schema: OutputSchema): string | undefined {
  if (layout === 'huggingface') return undefined;
  if (schema === 'passthrough')
    return `${layout} needs a known record shape, and passthrough keeps each source's own fields`;
  // TRL's chat templates know user/assistant/system/tool turns, not ShareGPT's human/gpt, and its
  // SFTTrainer has no Alpaca loader: messages (or prompt-completion, for an Alpaca source) is the TRL form.
  if (layout === 'trl' && schema === 'sharegpt')
    return "TRL's chat templates do not know ShareGPT's human/gpt turns: write output.schema messages (the same conversations, OpenAI roles) for TRL";
  if (layout === 'trl' && schema === 'alpaca')
    return "TRL's SFTTrainer reads no Alpaca fields: write output.schema prompt-completion (instruction → prompt, output → completion) or messages for TRL";
  if (schema === 'prompt-completion' && (layout === 'llama-factory' || layout === 'axolotl'))
    return `${layout === 'axolotl' ? 'axolotl' : 'LLaMA-Factory'} has no conversational prompt/completion format: write output.schema messages (or sharegpt, alpaca) for it`;
  // LLaMA-Factory picks its loader from the last extension only (json, jsonl, parquet, …): `gz`
  // and `zst` are not among them.
  if (layout === 'llama-factory' && (format === 'jsonl.gz' || format === 'jsonl.zst')) {
    return `LLaMA-Factory reads .jsonl and .parquet files, not .${format}`;
  }
  // A save_to_disk folder is for load_from_disk; neither trainer's documented config points at one
  // (LLaMA-Factory wants files of one extension, axolotl a data file or hub path), so no entry is written for it.
  if (format === 'arrow' && (layout === 'llama-factory' || layout === 'axolotl'))
    return `${layout} is not written for a save_to_disk folder (output.format arrow): use format parquet or jsonl for ${layout}`;
  return undefined;
}

/**
 * Layouts written only when `output.layouts` names them: `trl` came after outputs were published
 * without it, and a default that grows would change their bytes (the card already says how TRL
 * reads the folder).
 */
const OPT_IN: readonly LayoutName[] = ['trl'];

/** The layouts written by default: those that apply and are not opt-in, in table order. */
export function applicableLayouts(format: OutputFormat, schema: OutputSchema): LayoutName[] {
  return LAYOUT_NAMES.filter(
    (layout) => !OPT_IN.includes(layout) && layoutConflict(layout, format, schema) === undefined,
  );
}
