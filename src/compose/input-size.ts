/** How many files and bytes the scan will read: the denominator of progress and ETA. */
import { stat } from 'node:fs/promises';
import type { SourceFiles } from '../records/read/source-files.js';

export async function inputSize(sourceFiles: SourceFiles): Promise<{ files: number; totalBytes: number }> {
  let files = 0;
  let totalBytes = 0;
  for (const expanded of sourceFiles.values()) {
    for (const file of expanded) {
      files++;
      totalBytes += (await stat(file.absolutePath)).size;
    }
  }
  return { files, totalBytes };
}
