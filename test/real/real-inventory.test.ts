/**
 * The list in real-files.ts is the real-data folder: every data file on disk is in it, and every
 * count in it is the count SOURCE.md and README.md state. So the inspect and compose tests that
 * loop over the list test every file, at the documented counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasRealData, REAL_DATA_DIR, realFile } from '../helpers/real-data.js';
import { REAL_FILES, UNREADABLE } from './real-files.js';

function dataFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return dataFiles(dir, relative);
    return entry.name === 'SOURCE.md' || entry.name === 'README.md' ? [] : [relative];
  });
}

/** `file → records` from the Files table of one SOURCE.md (records is the 9th column). */
function sourceCounts(folder: string): Map<string, string> {
  const counts = new Map<string, string>();
  for (const line of readFileSync(realFile(folder, 'SOURCE.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name && cells.length >= 11) counts.set(name, cells[8]!);
  }
  return counts;
}

/** README.md's records cell per folder, numbers expanded ("80 × 3" is three 80s). */
function readmeNumbers(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync(realFile('README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7 || !/^[a-z0-9-]+$/.test(cells[1] ?? '')) continue;
    const text = cells[5]!.replaceAll(',', '');
    const times = /^(\d+) × (\d+)$/.exec(text);
    out.set(
      cells[1]!,
      times
        ? Array.from({ length: Number(times[1]) }, () => Number(times[2]))
        : (text.match(/\b\d+\b/g) ?? []).map(Number),
    );
  }
  return out;
}

const PROSE_COUNTS = ['frenchmedmcqa', 'toolbench'];

describe.runIf(hasRealData)('the real-data inventory', () => {
  it('lists every data file on disk, and only those', () => {
    const onDisk = dataFiles(REAL_DATA_DIR).filter((f) => !f.startsWith(`${UNREADABLE.folder}/`));
    expect(REAL_FILES.map((f) => f.path).sort()).toEqual(onDisk.sort());
    expect(dataFiles(REAL_DATA_DIR).filter((f) => f.startsWith(`${UNREADABLE.folder}/`))).toHaveLength(
      UNREADABLE.files,
    );
  });

  it('states the record count SOURCE.md states, for every file', () => {
    for (const file of REAL_FILES) {
      const [folder] = file.path.split('/');
      // These SOURCE.md files state counts in prose, not in a Files table: README.md's sum per folder (below) checks them.
      if (PROSE_COUNTS.includes(folder!)) {
        expect(sourceCounts(folder!).size, folder).toBe(0);
        continue;
      }
      const name = file.path.slice(folder!.length + 1);
      expect({ file: file.path, records: sourceCounts(folder!).get(name)?.replaceAll(',', '') }).toEqual({
        file: file.path,
        records: String(file.records),
      });
    }
  });

  it('adds up to the record counts README.md states per folder', () => {
    const readme = readmeNumbers();
    const byFolder = new Map<string, number[]>();
    for (const file of REAL_FILES) {
      const folder = file.path.split('/')[0]!;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), file.records]);
    }
    for (const [folder, counts] of byFolder) {
      const stated = readme.get(folder);
      expect(stated, folder).toBeDefined();
      const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
      if (folder === 'apollo-xmedbench') {
        // README counts the dev questions once, though they ship twice (eight JSONL files and medbase_dev_exam.json).
        expect(sum(counts) - 852).toBe(sum(stated!));
      } else {
        expect(sum(counts), folder).toBe(sum(stated!));
      }
    }
    // MedQuAD: 88 XML documents, read by no reader (see the inspect test).
    expect(readme.get('medquad-nhlbi')).toEqual([88, 559]);
  });
});
