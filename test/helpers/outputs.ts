/** Read a composed output folder back for assertions. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeForKey } from '../../src/keys/normalize.js';

export interface OutputRecord {
  messages?: { role: string; content: string }[];
  text?: string;
  source?: string;
  group?: string;
  origin?: string;
  [key: string]: unknown;
}

export function readSplit(dir: string, split: string): OutputRecord[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${split}-`) && f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as OutputRecord),
    );
}

/** The normalised text a record was deduplicated on. */
export function keyText(record: OutputRecord): string {
  const text = record.messages ? record.messages.map((m) => m.content).join('\n') : String(record.text);
  return normalizeForKey(text);
}

export function readManifest(dir: string): Record<string, unknown> & { run: unknown } {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

/** Every file of an output folder, name → bytes, manifest without its run block. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    if (name === 'manifest.json') {
      const { run: _run, ...rest } = JSON.parse(text);
      files.set(name, JSON.stringify(rest));
    } else files.set(name, text);
  }
  return files;
}
