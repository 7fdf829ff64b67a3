/** Plain-text tables for terminal reports: first column left-aligned, the rest right-aligned. */
export function textTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => [...(r[col] ?? '')].length)));
  const pad = (cell: string, col: number) => {
    const gap = ' '.repeat(widths[col]! - [...cell].length);
    return col === 0 ? cell + gap : gap + cell;
  };
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}
