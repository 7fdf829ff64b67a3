import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordSpill } from '../../src/io/record-spill.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-spill-');

describe('RecordSpill', () => {
  it('gives each record its offset, across flushes and for records larger than its buffer', () => {
    const spill = new RecordSpill(path.join(dir, 'a.tmp'));
    const records = [
      Buffer.from('{"a":1}'),
      Buffer.alloc(3 << 20, 0x61),
      Buffer.from('é'),
      ...Array.from({ length: 5000 }, (_, i) => Buffer.from(`{"i":${i},"pad":"${'x'.repeat(400)}"}`)),
    ];
    const offsets = records.map((r) => spill.append(r));
    spill.flush();
    const file = readFileSync(spill.path);
    expect(file.length).toBe(records.reduce((sum, r) => sum + r.length, 0));
    for (const [i, r] of records.entries())
      expect(file.subarray(offsets[i]!, offsets[i]! + r.length).equals(r)).toBe(true);
  });

  it('starts empty again on reset, and is gone after dispose', async () => {
    const spill = new RecordSpill(path.join(dir, 'b.tmp'));
    spill.append(Buffer.from('first scan'));
    spill.reset();
    expect(spill.append(Buffer.from('second'))).toBe(0);
    spill.flush();
    expect(readFileSync(spill.path, 'utf8')).toBe('second');
    await spill.dispose();
    expect(existsSync(spill.path)).toBe(false);
  });
});
