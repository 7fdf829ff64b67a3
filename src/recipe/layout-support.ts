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
  return undefined;
}

/** The layouts that apply, in table order. */
export function applicableLayouts(format: OutputFormat, schema: OutputSchema): LayoutName[] {
  return LAYOUT_NAMES.filter((layout) => layoutConflict(layout, format, schema) === undefined);
}
