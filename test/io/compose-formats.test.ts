/**
 * compose end to end over the new readers: a GB18030 CSV of medical dialogues (title + ask joined
 * into the user turn), a Parquet export and a zstd JSONL in one mixture. Every selected record is
 * re-read by position and must come out with its text and its origin intact.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';
import { chatParquet, jsonlBytes, wrapBytes, writeBytes } from './helpers/write-formats.js';

const dir = tempDir('mixsmith-compose-formats-');

// department,title,ask,answer; two rows, one with a quoted comma, one with a quoted line break (GB18030, CRLF).
const GB18030_CSV =
  '6465706172746d656e742c7469746c652c61736b2c616e737765720d0ac4dabfc62cb8dfd1aad1b9d4f5c3b4b0ec2c22cdb7d4ce2c20d1aad1b93135302f313030222c22b5cdd1ced2fbcab3a3acb0b4cab1b7fed2a9220d0ab6f9bfc62cb7a2c9d52c22baa2d7d3b7a2c9d533382e35b6c80ad4f5c3b4b0ec222cb6e0bac8cbae0d0a';

describe('compose over CSV (GB18030), Parquet and zstd JSONL', () => {
  it('selects, re-reads and writes records from each, with their origins', async () => {
    writeBytes(path.join(dir, 'dialogues.csv'), Buffer.from(GB18030_CSV, 'hex'));
    writeBytes(
      path.join(dir, 'chat.parquet'),
      chatParquet(
        Array.from({ length: 6 }, (_, i) => ({
          id: i,
          messages: [
            { role: 'user', content: `parquet question ${i}` },
            { role: 'assistant', content: `parquet answer ${i}` },
          ],
        })),
        { codec: 'ZSTD', rowGroupSize: 4 },
      ),
    );
    writeBytes(
      path.join(dir, 'general.jsonl.zst'),
      wrapBytes(
        jsonlBytes(Array.from({ length: 6 }, (_, i) => ({ prompt: `prompt ${i}`, completion: `completion ${i}` }))),
        'zstd',
      ),
    );
    const recipe = {
      name: 'formats',
      seed: 5,
      sources: [
        {
          name: 'dialogues',
          group: 'medical',
          path: 'dialogues.csv',
          encoding: 'gb18030',
          schema: {
            system: '你是一名医生。',
            turns: [
              { role: 'user', template: '{title}\n{ask}' },
              { role: 'assistant', from: 'answer' },
            ],
            meta: ['department'],
          },
        },
        { name: 'chat', group: 'medical', path: 'chat.parquet' },
        { name: 'general', group: 'general', path: 'general.jsonl.zst' },
      ],
      mixture: { volume: 14, shares: { medical: 8 / 14, general: 6 / 14 } },
    };
    const file = path.join(dir, 'recipe.json');
    writeFileSync(file, JSON.stringify(recipe));
    const out = path.join(dir, 'out');
    const { manifest } = await compose(await loadRecipe(file), { out });
    expect(manifest.sources.dialogues!.files.map((f) => [f.format, f.schema, f.records])).toEqual([
      ['csv', 'mapping', 2],
    ]);
    expect(manifest.sources.chat!.files.map((f) => [f.format, f.schema, f.records])).toEqual([
      ['parquet', 'openai', 6],
    ]);
    expect(manifest.sources.general!.files.map((f) => [f.format, f.schema, f.records])).toEqual([
      ['jsonl', 'prompt-completion', 6],
    ]);

    const rows = readSplit(out, 'train');
    expect(rows).toHaveLength(14);
    const byOrigin = new Map(rows.map((r) => [r.origin, r]));
    expect(byOrigin.get('dialogues.csv:2')!.messages).toEqual([
      { role: 'system', content: '你是一名医生。' },
      { role: 'user', content: '高血压怎么办\n头晕, 血压150/100' },
      { role: 'assistant', content: '低盐饮食，按时服药' },
    ]);
    expect(byOrigin.get('dialogues.csv:3')!.messages![1]).toEqual({
      role: 'user',
      content: '发烧\n孩子发烧38.5度\n怎么办',
    });
    for (let i = 0; i < 6; i++) {
      expect(byOrigin.get(`chat.parquet#row=${i + 1}`)!.messages![0]!.content).toBe(`parquet question ${i}`);
      expect(byOrigin.get(`general.jsonl.zst:${i + 1}`)!.messages![1]!.content).toBe(`completion ${i}`);
    }
  });
});
