/**
 * Debian's Chromium (which .ci/run installs) for the tests that open mixsmith's HTML pages, with
 * the flags that keep it off the network. Without it those tests skip with a notice naming
 * `what`; under CI=true its absence fails, so a missing browser never passes silently.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MIXSMITH_CHROMIUM ?? '/usr/bin/chromium';

/** True when the browser is there; otherwise announces (or, under CI, fails) once per test file. */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing under CI; .ci/run installs Debian's chromium package`);
  process.stderr.write(
    `\nNOTICE: ${what} skipped: ${CHROMIUM} not found (apt-get install chromium, or set MIXSMITH_CHROMIUM)\n`,
  );
  return false;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless browser with a fresh profile and a 1200 × 900 viewport. */
export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'mixsmith-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
  });
}
