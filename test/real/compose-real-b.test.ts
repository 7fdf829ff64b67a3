/** compose over every real file (half b of the list; two files so both cores work), with the settings docs/real-data.md lists. */
import { describe, it } from 'vitest';
import { hasRealData } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';
import { composeRealFile } from './compose-real.js';
import { REAL_FILES } from './real-files.js';

const dir = tempDir('mixsmith-real-b-');
const half = REAL_FILES.map((file, index) => ({ ...file, index })).filter((_, i) => i % 2 === 1);

describe.runIf(hasRealData)('compose on every real file (b)', () => {
  it.each(half)('$path', async (file) => {
    await composeRealFile(file, dir, file.index);
  });
});
