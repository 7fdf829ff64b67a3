/**
 * The HTML report as a string: self-contained (no script, no URL to fetch, a CSP that forbids
 * fetching), record text escaped, and every chart and table the issue asks for present, the
 * near-duplicate and eval-overlap tables included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { auditHtml } from '../../src/report/audit-html.js';
import { composeMixture, EVAL, SWEEP, writeCorpora } from '../audit/mixtures.js';
import { composeShortSweep, writeShortPools } from '../helpers/short-sweep.js';
import { plantNearAndEval } from './planted-output.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-html-');
let single: string;
let sweep: string;

beforeAll(async () => {
  writeCorpora(dir);
  single = await composeMixture(dir, 'single');
  sweep = await composeMixture(dir, 'sweep', { volume: 200, sweep: SWEEP });
});

const external = /(?:src|href)\s*=\s*["']?(?!#)[a-z]+:|url\(|@import|https?:\/\//i;

describe('audit HTML', () => {
  it('is one self-contained page with the composition bar, histograms per group and the tables', async () => {
    const html = auditHtml(
      await audit([single], { cwd: dir, evals: [path.join(dir, 'eval.jsonl')], expect: ['dup.exact=0'] }),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(external);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html.match(/data-chart="composition"/g)).toHaveLength(1);
    // chars and tokens per group, for train and validation
    expect(html.match(/data-chart="histogram"/g)).toHaveLength(8);
    for (const table of ['groups-train', 'groups-validation', 'sources-train', 'contamination', 'files', 'rules'])
      expect(html).toContain(`data-table="${table}"`);
  });

  it('shows near-duplicate pairs with their Jaccard and eval overlap with the item and a matched n-gram', async () => {
    const out = plantNearAndEval(single, path.join(dir, 'planted'));
    const html = auditHtml(await audit([out], { cwd: dir, evals: [path.join(dir, 'eval.jsonl')] }));
    for (const table of [
      'near-duplicates-train',
      'near-leak-validation',
      'contamination',
      'contamination-sources',
      'contamination-examples',
    ])
      expect(html).toContain(`data-table="${table}"`);
    expect(html).toMatch(/<td class="num">0\.868<\/td>/);
    expect(html).toContain('near dup</th>');
    expect(html).toContain('near duplicates: Jaccard ≥ 0.8 on 5-word / 5-character shingles of all turns');
    expect(html).toContain('exam question 7');
  });

  it('says when near duplicates were not looked for', async () => {
    const html = auditHtml(await audit([single], { cwd: dir, near: false }));
    expect(html).toContain('near duplicates: not checked (--no-near)');
    expect(html).not.toContain('near dup</th>');
  });

  it('draws the sweep grid with one cell per point', async () => {
    const html = auditHtml(await audit([sweep], { cwd: dir }));
    expect(html.match(/data-chart="sweep-grid"/g)).toHaveLength(1);
    expect(html.match(/data-point="/g)).toHaveLength(4);
    expect(html).toContain('href="#subject-3"');
    expect(html).toContain('id="subject-3"');
  });

  it('draws the saturation figure beside the grid: a panel per group, a line per share vector, rings where a pool ran out; flags cells', async () => {
    writeShortPools(dir);
    const short = await composeShortSweep(dir, 'short-sweep', 'cap');
    const result = await audit([short], { cwd: dir, near: false });
    const html = auditHtml(result);
    expect(html).not.toMatch(/<script/i);
    const panels = html.match(/<svg data-chart="saturation"[\s\S]*?<\/svg>/g)!;
    // token panels only when tokens were counted (here: the estimate)
    expect(
      panels.map((p) =>
        p
          .match(/data-group="(\w+)" data-measure="(\w+)"/)!
          .slice(1)
          .join(' '),
      ),
    ).toEqual(['general rows', 'medical rows']);
    for (const panel of panels) {
      expect(panel.match(/<polyline /g)).toHaveLength(3);
      expect(panel.match(/<circle /g)).toHaveLength(9);
      expect(panel).toMatch(/class="pool"/);
    }
    expect(panels[1]!.match(/data-short="1"/g)).toHaveLength(6);
    expect(panels[0]!.match(/data-short="1"/g)).toHaveLength(1);
    expect(html).toContain('training pool: 54 records');
    expect(html.indexOf('data-chart="sweep-grid"')).toBeLessThan(html.indexOf('data-chart="saturation"'));
    expect(html.match(/data-flags="/g)).toHaveLength(6);
    expect(html).toContain('data-flags="deviating collapsed"');
    expect(html).toContain('= v200-medical0.5</text>');
    expect(html).toContain('6 of 9 points do not hold what their names say');
  });

  it('escapes record text: a record cannot inject markup', async () => {
    const file = path.join(dir, 'hostile.jsonl');
    const hostile = {
      instruction: '<script>alert(1)</script><img src=x onerror=alert(2)>',
      input: '',
      output: '"quoted" & <b>bold</b>',
    };
    writeFileSync(file, `${[hostile, hostile, EVAL[0]].map((r) => JSON.stringify(r)).join('\n')}\n`);
    const html = auditHtml(await audit([file], { cwd: dir, by: 'instruction' }));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(readFileSync(file, 'utf8')).toContain('<script>'); // the input really was hostile
  });
});
