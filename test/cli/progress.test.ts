import { describe, expect, it } from 'vitest';
import { progressMode, progressReporter } from '../../src/cli/progress.js';

function stream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, isTTY, ...(columns === undefined ? {} : { columns }), write: (t: string) => writes.push(t) };
}

describe('progress', () => {
  it('picks redraw on a sized terminal, plain lines on a zero-column terminal or with --progress, nothing with --json/--quiet', () => {
    const flags = { quiet: false, json: false, progress: false };
    expect(progressMode(stream(true, 120), flags)).toBe('redraw');
    expect(progressMode(stream(true, 0), flags)).toBe('lines');
    expect(progressMode(stream(true), flags)).toBe('lines');
    expect(progressMode(stream(false), flags)).toBe('off');
    expect(progressMode(stream(false), { ...flags, progress: true })).toBe('lines');
    expect(progressMode(stream(true, 120), { ...flags, json: true })).toBe('off');
    expect(progressMode(stream(true, 120), { ...flags, quiet: true })).toBe('off');
  });

  it('redraws one line with rate and ETA, fitted to the terminal width, throttled', () => {
    let t = 0;
    const s = stream(true, 60);
    const report = progressReporter(s, 'redraw', () => t);
    report({ type: 'scan-start', files: 2, totalBytes: 200e6 });
    report({ type: 'phase', phase: 'scan' });
    t = 10_000;
    report({ type: 'scan-progress', source: 'a', file: 'a.jsonl', records: 50_000, bytes: 50e6 });
    report({ type: 'scan-progress', source: 'a', file: 'a.jsonl', records: 50_001, bytes: 50e6 }); // throttled
    const last = s.writes.at(-1)!;
    expect(last).toContain('scan 25%: 50,000 records, 50.0 MB, 5.0 MB/s ETA 30s');
    expect(last.startsWith('\r')).toBe(true);
    expect(last.replace('\x1b[K', '').length).toBeLessThanOrEqual(60);
    expect(s.writes.filter((w) => w.includes('50,001'))).toHaveLength(0);
  });

  it('prints plain lines every few seconds and warnings on their own line', () => {
    let t = 0;
    const s = stream(false);
    const report = progressReporter(s, 'lines', () => t);
    report({ type: 'phase', phase: 'scan' });
    for (let i = 1; i <= 20; i++) {
      t = i * 1000;
      report({ type: 'scan-progress', source: 'a', file: 'a.jsonl', records: i * 1000, bytes: i * 1e6 });
    }
    report({ type: 'warning', message: 'a large cluster' });
    expect(s.writes.filter((w) => w.startsWith('scan')).length).toBe(5); // at 0 s, then every 5 s
    expect(s.writes.every((w) => w.endsWith('\n'))).toBe(true);
    expect(s.writes.at(-1)).toBe('warning: a large cluster\n');
  });
});
