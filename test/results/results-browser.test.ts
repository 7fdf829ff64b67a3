/**
 * The `mixsmith results --html` page in headless Chromium (Debian's `chromium`): no console
 * error, no request beyond the file, a panel per task, and in each panel counted in the DOM:
 * 5 curves (one per nominal share), an error bar per point with a stderr, a saturation ring per
 * curve, and the collapsed points (sameAs) drawn as hollow squares. A screenshot is written to
 * the test's temp folder (MIXSMITH_SCREENSHOTS=DIR keeps a copy). Without Chromium the test
 * skips with a notice; under CI=true its absence fails.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { composeResultsSweep } from '../helpers/results-sweep.js';
import { tempDir } from '../helpers/temp.js';
import { writeLmEval } from './fixtures/synthetic-results.js';

const hasChromium = chromiumAvailable('browser test of the results page');

const dir = tempDir('mixsmith-results-browser-');
let browser: BrowserContext;

interface Panel {
  task: string;
  width: number;
  height: number;
  curves: number;
  errorBars: number;
  saturation: number;
  collapsed: number;
  dots: number;
}

describe.skipIf(!hasChromium)('mixsmith results --html in headless Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const axis of ['log', 'linear'] as const) {
    it(`draws a panel per task with 5 curves, error bars, saturation marks and collapsed points (${axis} axis)`, async () => {
      const sweepDir = path.join(dir, axis);
      mkdirSync(sweepDir);
      const { out, index } = await composeResultsSweep(sweepDir);
      const lm = writeLmEval(path.join(sweepDir, 'lm-eval'), index);
      const html = path.join(sweepDir, 'results.html');
      const run = await runCli([
        'results',
        out,
        lm,
        '--match',
        'ckpt/(?<point>[^/]+)',
        '--metric',
        'acc',
        '--axis',
        axis,
        '--html',
        html,
        '--quiet',
      ]);
      expect(run.code).toBe(0);

      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== `file://${html}`) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      const panels: Panel[] = await page.$$eval('svg[data-chart="results"]', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const drawn = (e: { getBoundingClientRect(): { width: number; height: number } }) =>
            e.getBoundingClientRect().width + e.getBoundingClientRect().height > 0;
          const count = (selector: string) => [...svg.querySelectorAll(selector)].filter(drawn).length;
          return {
            task: svg.getAttribute('data-task') ?? '',
            width: box.width,
            height: box.height,
            curves: count('polyline[data-curve]'),
            errorBars: count('path[data-errbar]'),
            saturation: count('circle[data-saturation]'),
            collapsed: count('[data-collapsed="1"]'),
            dots: count('[data-point]'),
          };
        }),
      );
      const shot = path.join(sweepDir, `results-${axis}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await page.locator('div.results').screenshot({ path: shot.replace(/\.png$/, '-figure.png') });
      const keep = process.env.MIXSMITH_SCREENSHOTS;
      if (keep) {
        mkdirSync(keep, { recursive: true });
        for (const f of [shot, shot.replace(/\.png$/, '-figure.png')])
          copyFileSync(f, path.join(keep, path.basename(f)));
      }
      await page.close();

      expect(problems).toEqual([]);
      const collapsed = (index as SweepIndex).points.filter((p) => p.sameAs !== null).length;
      expect(collapsed).toBe(2);
      expect(panels.map((p) => p.task)).toEqual(['domain_qa', 'long_context']);
      for (const panel of panels) {
        expect(panel.width * panel.height, panel.task).toBeGreaterThan(0);
        expect(panel.curves, panel.task).toBe(5);
        expect(panel.dots, panel.task).toBe(30);
        expect(panel.errorBars, panel.task).toBe(30);
        expect(panel.saturation, panel.task).toBe(5);
        expect(panel.collapsed, panel.task).toBe(collapsed);
      }
      const png = readFileSync(shot);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    }, 120_000);
  }
});
