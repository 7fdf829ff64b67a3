/**
 * Group colours: a fixed qualitative palette (Okabe–Ito, readable with colour-blindness), given
 * out by the group's rank in sorted order so the same group keeps its colour across charts.
 */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#999999',
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#AA4499',
] as const;

export function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** name → colour for a sorted list of names. */
export function colorMap(names: readonly string[]): Map<string, string> {
  return new Map(names.map((name, i) => [name, colorOf(i)]));
}
