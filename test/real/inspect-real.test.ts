/** `inspect` over every real file: the detected format and schema, the documented record counts and duplicates. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { inspectFile } from '../../src/inspect/inspect-file.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { REAL_FILES, UNREADABLE } from './real-files.js';

describe.runIf(hasRealData)('inspect on every real file', () => {
  it.each(REAL_FILES)('$path', async (file) => {
    const report = await inspectFile(
      { absolutePath: realFile(file.path), displayPath: file.path },
      { format: 'auto', encoding: 'auto', schema: file.schema },
    );
    expect(report.format).toBe(file.format);
    expect(report.encoding.name).toBe('utf-8');
    expect(report.schema.name).toBe(file.detected);
    expect(report.records).toBe(file.records);
    expect(report.invalid).toEqual({ count: 0, byCode: {}, first: [] });
    expect(report.valid).toBe(file.records);
    if (file.duplicates !== undefined) expect(report.duplicates.exact).toBe(file.duplicates);
    expect(report.examples).toHaveLength(3);
    expect(report.lengths.chars!.count).toBe(file.records);
  });

  it('medical_meadow_small: 92 exact duplicates, 95 once white space and case are normalised (SOURCE.md)', async () => {
    const path = 'medalpaca/medical_meadow_small.json';
    const report = await inspectFile(
      { absolutePath: realFile(path), displayPath: path },
      { format: 'auto', encoding: 'auto', schema: 'auto' },
    );
    expect(report.duplicates).toEqual({ exact: 92, normalized: 95 });
    expect(report.lengths.chars!.max).toBeGreaterThan(15000); // the 15,899-character record
  });

  it(`every MedQuAD XML document fails with ${UNREADABLE.code}, naming the file and what it saw`, async () => {
    const names = readdirSync(realFile(UNREADABLE.folder)).sort();
    expect(names).toHaveLength(UNREADABLE.files);
    for (const name of names) {
      const display = `${UNREADABLE.folder}/${name}`;
      const error = await inspectFile(
        { absolutePath: realFile(UNREADABLE.folder, name), displayPath: display },
        { format: 'auto', encoding: 'auto', schema: 'auto' },
      ).then(
        () => undefined,
        (e: unknown) => e as MixsmithError,
      );
      expect(error).toBeInstanceOf(MixsmithError);
      expect(error!.code).toBe(UNREADABLE.code);
      expect(error!.where).toEqual({ file: display, line: 1 });
      expect(error!.message).toContain('it starts with "<?xml');
      expect(error!.hint).toMatch(/^accepted: JSONL/);
    }
  });
});
