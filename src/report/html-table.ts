/** HTML tables from rows of cells; cells are escaped unless given as `{ html }`. */
import { esc } from './html-escape.js';

export type Cell = string | number | { readonly html: string };

function cell(tag: 'td' | 'th', value: Cell): string {
  const isNumber =
    typeof value === 'number' || (typeof value === 'string' && /^[-+]?[\d\u202f.,]+(%| pt)?$/.test(value));
  const content = typeof value === 'object' ? value.html : esc(value);
  return `<${tag}${isNumber ? ' class="num"' : ''}>${content}</${tag}>`;
}

export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: { readonly dataTable?: string } = {},
): string {
  const attr = options.dataTable ? ` data-table="${esc(options.dataTable)}"` : '';
  const thead = `<thead><tr>${head.map((h) => cell('th', h)).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('')}</tbody>`;
  return `<table${attr}>${thead}${tbody}</table>`;
}
