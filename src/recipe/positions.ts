/**
 * Map a JSON path inside a parsed YAML (or JSON) document to `line:col`, so every recipe error
 * points at the exact key or value.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly col: number;
  /** The full source line, for a caret excerpt. */
  readonly lineText: string;
}

function childOf(node: unknown, segment: string): { key?: Node; value?: unknown } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === segment) {
        return { key: item.key as Node, value: item.value };
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const index = Number(segment);
    if (Number.isInteger(index) && index >= 0 && index < node.items.length) return { value: node.items[index] };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}

/**
 * Position of `path` (segments) in `doc`. With `atKey`, points at the key of the last segment
 * rather than its value (for unknown keys). Falls back to the nearest ancestor that exists.
 */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  source: string,
  path: readonly string[],
  atKey = false,
): Position | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const child = childOf(node, path[i]!);
    if (!child) break;
    const isLast = i === path.length - 1;
    const target = isLast && atKey && child.key ? child.key : child.value;
    const start = rangeStart(target) ?? rangeStart(child.key);
    if (start !== undefined) offset = start;
    node = child.value;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  const lineStart = lineCounter.lineStarts[line - 1] ?? 0;
  const lineEnd = source.indexOf('\n', lineStart);
  const lineText = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd).replace(/\r$/, '');
  return { line, col, lineText };
}

/** `/sources/0/path` → `['sources', '0', 'path']` (JSON Pointer, as ajv reports it). */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['sources', '0', 'path']` → `sources[0].path`, as messages show it. */
export function displayPath(path: readonly string[]): string {
  let text = '';
  for (const segment of path) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(the recipe)' : text;
}
