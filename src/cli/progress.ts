/**
 * Progress on stderr while compose runs: on a terminal, one line redrawn in place (phase, records,
 * MB/s, ETA); elsewhere, with --progress, a plain line every few seconds. Never on stdout. A
 * terminal that reports zero (or no) columns gets plain lines instead of redraws: redrawing there
 * is how some spinners loop forever. Updates are throttled, so the cost is a few string
 * operations per second, not per record.
 */
import type { ComposeEvent, Phase } from '../compose/events.js';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export type ProgressMode = 'redraw' | 'lines' | 'off';

export function progressMode(
  stream: ProgressStream,
  options: { quiet: boolean; json: boolean; progress: boolean },
): ProgressMode {
  if (options.quiet || options.json) return 'off';
  if (stream.isTTY && (stream.columns ?? 0) > 0) return 'redraw';
  return stream.isTTY || options.progress ? 'lines' : 'off';
}

const REDRAW_MS = 200;
const LINE_MS = 5000;

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** A compose event listener that writes progress to `stream`; `now` is injected for tests. */
export function progressReporter(
  stream: ProgressStream,
  mode: ProgressMode,
  now: () => number = Date.now,
): (event: ComposeEvent) => void {
  if (mode === 'off') return () => {};
  let phase: Phase | undefined;
  let phaseStart = now();
  let lastDraw = 0;
  let totalBytes = 0;
  let drawn = false;
  const bytesByFile = new Map<string, number>();
  const recordsByFile = new Map<string, number>();
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  const status = (): string => {
    const seconds = (now() - phaseStart) / 1000;
    if (phase !== 'scan') return `${phase ?? ''}… ${duration(seconds)}`;
    const bytes = sum(bytesByFile);
    const rate = seconds > 0 ? bytes / seconds : 0;
    const eta = totalBytes > 0 && rate > 0 ? ` ETA ${duration((totalBytes - bytes) / rate)}` : '';
    const share = totalBytes > 0 ? ` ${Math.min(100, (100 * bytes) / totalBytes).toFixed(0)}%` : '';
    return `scan${share}: ${sum(recordsByFile).toLocaleString('en-US')} records, ${mb(bytes)} MB, ${mb(rate)} MB/s${eta}`;
  };
  const draw = (force = false) => {
    const t = now();
    if (!force && t - lastDraw < (mode === 'redraw' ? REDRAW_MS : LINE_MS)) return;
    lastDraw = t;
    if (mode === 'redraw') {
      const columns = stream.columns ?? 80;
      stream.write(`\r${status().slice(0, Math.max(1, columns - 1))}\x1b[K`);
      drawn = true;
    } else stream.write(`${status()}\n`);
  };
  const endLine = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };

  return (event) => {
    switch (event.type) {
      case 'phase':
        phase = event.phase;
        phaseStart = now();
        draw(true);
        break;
      case 'scan-start':
        totalBytes = event.totalBytes;
        break;
      case 'scan-progress':
        bytesByFile.set(event.file, event.bytes);
        recordsByFile.set(event.file, event.records);
        draw();
        break;
      case 'done':
        endLine();
        if (mode === 'lines') stream.write(`${event.phase} done in ${duration(event.durationMs / 1000)}\n`);
        break;
      case 'warning':
        endLine();
        stream.write(`${warningLine(event.message)}\n`);
        break;
    }
  };
}

/** A warning as one line: messages that already say WARNING (loud ones, also kept in the manifest) go out as they are. */
export const warningLine = (message: string): string =>
  message.startsWith('WARNING: ') ? message : `warning: ${message}`;
