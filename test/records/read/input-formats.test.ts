/** One rule for which files hold records, from the format registry, shared by every command. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPaths } from '../../../src/records/read/expand-paths.js';
import { FORMAT_BY_EXTENSION, isDataFileName, withoutDataExtension } from '../../../src/records/read/input-formats.js';
import { tempDir } from '../../helpers/temp.js';

describe('the data-file rule', () => {
  it.each([
    ['train.jsonl', true],
    ['train.JSONL.gz', true],
    ['data/part.ndjson.zst', true],
    ['eval.json', true],
    ['medical_corpus.txt', true],
    ['rows.parquet', true],
    ['table.tsv.gz', true],
    ['README.md', false],
    ['SOURCE.md', false],
    ['notes.gz', false],
    ['model.safetensors', false],
    ['jsonl', false],
  ])('%s holds records: %s', (name, expected) => {
    expect(isDataFileName(name)).toBe(expected);
  });

  it('strips the data extension and compression, and nothing else', () => {
    expect(withoutDataExtension('medqa-test.jsonl.gz')).toBe('medqa-test');
    expect(withoutDataExtension('train-00000-of-00002.parquet')).toBe('train-00000-of-00002');
    expect(withoutDataExtension('v1.2/notes.md')).toBe('v1.2/notes.md');
  });

  it('names each format by its extensions; .json and .txt are told by their first bytes', () => {
    expect(Object.fromEntries(FORMAT_BY_EXTENSION)).toEqual({
      '.jsonl': 'jsonl',
      '.ndjson': 'jsonl',
      '.parquet': 'parquet',
      '.pq': 'parquet',
      '.csv': 'csv',
      '.tsv': 'tsv',
      '.tab': 'tsv',
      '.arrow': 'arrow',
      '.arrows': 'arrow',
      '.feather': 'arrow',
    });
  });

  it('a folder source reads its data files and passes over its README.md and SOURCE.md', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'set', 'nested'), { recursive: true });
    for (const name of ['set/a.jsonl', 'set/nested/b.json', 'set/README.md', 'set/SOURCE.md', 'set/LICENSE'])
      writeFileSync(path.join(dir, name), '{}\n');
    const files = await expandPaths(['set'], dir, 'src');
    expect(files.map((f) => f.displayPath)).toEqual(['set/a.jsonl', 'set/nested/b.json']);
  });
});
