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

/** The layouts that apply, in table order. */
export function applicableLayouts(format: OutputFormat, schema: OutputSchema): LayoutName[] {
  return LAYOUT_NAMES.filter((layout) => layoutConflict(layout, format, schema) === undefined);
}
