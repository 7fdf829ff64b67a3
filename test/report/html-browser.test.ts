/**
 * The HTML report opens in headless Chromium (Debian's `chromium`, which .ci/run installs) with no
 * console errors and no request beyond the file itself; screenshots are taken and every chart is
 * checked to have rendered (present, non-zero size), for a single mixture (with near duplicates
 * and eval overlap planted, so their tables are laid out too) and for a sweep.
 * Without Chromium the tests skip with a notice; under CI=true its absence fails.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMixture, SWEEP, writeCorpora } from '../audit/mixtures.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { composeShortSweep, writeShortPools } from '../helpers/short-sweep.js';
import { plantNearAndEval } from './planted-output.js';
import { tempDir } from '../helpers/temp.js';

const hasChromium = chromiumAvailable('browser tests of the HTML report');

const dir = tempDir('mixsmith-browser-');
let browser: BrowserContext;

interface PageCheck {
  /** Per chart its laid-out size and drawn marks: rects, polylines, circles, and circles marked short (data-short="1"). */
  readonly charts: {
    chart: string;
    group: string;
    measure: string;
    width: number;
    height: number;
    marks: number;
    lines: number;
    dots: number;
    rings: number;
  }[];
  /** Every data table with its laid-out size and body rows (tables inside closed <details> have none). */
  readonly tables: { table: string; width: number; height: number; rows: number }[];
  readonly problems: string[];
  readonly screenshot: string;
}

async function open(htmlFile: string, shot: string): Promise<PageCheck> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${htmlFile}`) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
  const charts = await page.$$eval('svg[data-chart]', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const drawn = (e: { getBoundingClientRect(): { width: number; height: number } }) =>
        e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
      const marks = [...svg.querySelectorAll('rect')].filter(drawn).length;
      // A flat line has no height: a line is drawn when it spans either way.
      const lines = [...svg.querySelectorAll('polyline')].filter(
        (l) => l.getBoundingClientRect().width + l.getBoundingClientRect().height > 0,
      ).length;
      const dots = [...svg.querySelectorAll('circle')].filter(drawn);
      const rings = dots.filter((c) => c.getAttribute('data-short') === '1').length;
      return {
        chart: svg.getAttribute('data-chart') ?? '',
        group: svg.getAttribute('data-group') ?? '',
        measure: svg.getAttribute('data-measure') ?? '',
        width: box.width,
        height: box.height,
        marks,
        lines,
        dots: dots.length,
        rings,
      };
    }),
  );
  const tables = await page.$$eval('table[data-table]', (list) =>
    list.map((t) => {
      const box = t.getBoundingClientRect();
      return {
        table: t.getAttribute('data-table') ?? '',
        width: box.width,
        height: box.height,
        rows: t.querySelectorAll('tbody tr').length,
      };
    }),
  );
  const screenshot = path.join(dir, shot);
  await page.screenshot({ path: screenshot, fullPage: true });
  // The sweep's grid and saturation figure on their own, at a size a reader sees them.
  const figure = page.locator('div.saturation');
  if ((await figure.count()) > 0) await figure.screenshot({ path: screenshot.replace(/\.png$/, '-saturation.png') });
  keepScreenshots(screenshot);
  await page.close();
  return { charts, tables, problems, screenshot };
}

/** MIXSMITH_SCREENSHOTS=DIR keeps a copy of every screenshot (the temp folder is removed after the run). */
function keepScreenshots(file: string): void {
  const keep = process.env.MIXSMITH_SCREENSHOTS;
  if (!keep) return;
  mkdirSync(keep, { recursive: true });
  for (const shot of [file, file.replace(/\.png$/, '-saturation.png')])
    if (existsSync(shot)) copyFileSync(shot, path.join(keep, path.basename(shot)));
}

function expectScreenshot(file: string): void {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(statSync(file).size).toBeGreaterThan(20_000);
}

describe.skipIf(!hasChromium)('HTML report in headless Chromium', () => {
  beforeAll(async () => {
    writeCorpora(dir);
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('renders a single mixture: composition bar, a histogram per group, near-duplicate and eval tables, no console errors', async () => {
    const out = plantNearAndEval(await composeMixture(dir, 'single'), path.join(dir, 'planted'));
    const html = path.join(dir, 'single.html');
    const run = await runCli(['audit', out, '--eval', path.join(dir, 'eval.jsonl'), '--html', html, '--quiet']);
    expect(run.code).toBe(0);
    const check = await open(html, 'single.png');
    expect(check.problems).toEqual([]);
    const composition = check.charts.filter((c) => c.chart === 'composition');
    const histograms = check.charts.filter((c) => c.chart === 'histogram');
    expect(composition).toHaveLength(1);
    expect(histograms).toHaveLength(8);
    for (const chart of check.charts) {
      expect(chart.width).toBeGreaterThan(0);
      expect(chart.height).toBeGreaterThan(0);
      expect(chart.marks).toBeGreaterThan(0);
    }
    // two splits × (background + two group segments)
    expect(composition[0]!.marks).toBe(6);
    const shown = (name: string) => check.tables.find((t) => t.table === name);
    for (const name of [
      'near-duplicates-train',
      'near-leak-validation',
      'contamination',
      'contamination-sources',
      'contamination-examples',
    ]) {
      expect(shown(name), name).toMatchObject({ rows: 1 });
      expect(shown(name)!.width * shown(name)!.height, name).toBeGreaterThan(0);
    }
    expectScreenshot(check.screenshot);
  });

  it('renders a sweep: the volume × shares grid with a cell per point', async () => {
    const out = await composeMixture(dir, 'sweep', { volume: 200, sweep: SWEEP });
    const html = path.join(dir, 'sweep.html');
    const run = await runCli(['audit', out, '--html', html, '--quiet']);
    expect(run.code).toBe(0);
    const check = await open(html, 'sweep.png');
    expect(check.problems).toEqual([]);
    const grid = check.charts.filter((c) => c.chart === 'sweep-grid');
    expect(grid).toHaveLength(1);
    expect(grid[0]!.width).toBeGreaterThan(300);
    expect(grid[0]!.marks).toBe(4);
    expect(check.charts.filter((c) => c.chart === 'composition')).toHaveLength(4);
    for (const chart of check.charts) expect(chart.width * chart.height).toBeGreaterThan(0);
    expectScreenshot(check.screenshot);
  });

  it('renders the saturation figure of a sweep whose medical pool ran out: a line per nominal share, a marker per point, rings where a pool ran out', async () => {
    writeShortPools(dir);
    const out = await composeShortSweep(dir, 'short-sweep', 'cap');
    const html = path.join(dir, 'short-sweep.html');
    const run = await runCli(['audit', out, '--no-near', '--tokenizer', 'o200k_base', '--html', html, '--quiet']);
    expect(run.code).toBe(0);
    const check = await open(html, 'short-sweep.png');
    expect(check.problems).toEqual([]);
    const index = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8')) as SweepIndex;
    const groups = ['general', 'medical'];
    const shareVectors = new Set(index.points.map((p) => p.shares.medical)).size;
    const figure = check.charts.filter((c) => c.chart === 'saturation');
    // rows per group, and tokens per group since o200k_base counted them
    expect(figure.map((c) => `${c.measure} ${c.group}`)).toEqual([
      'rows general',
      'rows medical',
      'tokens general',
      'tokens medical',
    ]);
    for (const panel of figure) {
      expect(panel.width * panel.height, panel.group).toBeGreaterThan(0);
      expect(panel.lines, `${panel.measure} ${panel.group}`).toBe(shareVectors);
      expect(panel.dots, `${panel.measure} ${panel.group}`).toBe(index.points.length);
      expect(panel.rings, `${panel.measure} ${panel.group}`).toBe(
        index.points.filter((p) => p.shortfall[panel.group]! > 0).length,
      );
    }
    expect(figure.reduce((n, c) => n + c.lines, 0)).toBe(2 * groups.length * 3);
    expect(figure.find((c) => c.measure === 'rows' && c.group === 'medical')!.rings).toBe(6);
    expect(figure.find((c) => c.measure === 'rows' && c.group === 'general')!.rings).toBe(1);
    expect(check.charts.filter((c) => c.chart === 'sweep-grid')).toHaveLength(1);
    expectScreenshot(check.screenshot);
    expectScreenshot(check.screenshot.replace(/\.png$/, '-saturation.png'));
  });
});
