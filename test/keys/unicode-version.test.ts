/**
 * The Unicode version is part of the content key (docs/determinism.md). fixtures/unicode-keys/
 * holds texts with characters newer than Unicode 14 and their keys pinned per Unicode version:
 * 14.0.0 computed by Python 3.11's unicodedata (fixtures/unicode-keys/pin-keys.py), 17.0 by Node
 * 20.20.2. This runtime's keys must equal its version's pinned keys, by both normalisation paths;
 * a runtime whose version is not pinned fails here until someone pins it (PIN_UNICODE_KEYS=1
 * writes them) and reads the diff. Every post-14 text keys differently under 14.0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentKey } from '../../src/keys/hashing.js';
import { normalizeForKey, normalizeForKeyPlain } from '../../src/keys/normalize.js';
import { UNICODE_VERSION } from '../../src/keys/unicode-version.js';

const file = path.resolve(import.meta.dirname, '../../fixtures/unicode-keys/post-14.json');
const fixture = JSON.parse(readFileSync(file, 'utf8')) as {
  texts: { text: string; why: string }[];
  keys: Record<string, string[]>;
};
const keysHere = fixture.texts.map((t) => contentKey(normalizeForKey(t.text)));

describe('content keys of post-Unicode-14 texts', () => {
  it('records the runtime version', () => {
    expect(UNICODE_VERSION).toBe(process.versions.unicode);
  });

  it(`equal the keys pinned for this runtime's Unicode ${UNICODE_VERSION}`, () => {
    if (process.env.PIN_UNICODE_KEYS === '1') {
      fixture.keys[UNICODE_VERSION] = keysHere;
      writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    }
    const pinned = fixture.keys[UNICODE_VERSION];
    expect(
      pinned,
      `no keys pinned for Unicode ${UNICODE_VERSION}: pin them (PIN_UNICODE_KEYS=1) and review`,
    ).toBeDefined();
    expect(keysHere).toEqual(pinned);
    expect(fixture.texts.map((t) => contentKey(normalizeForKeyPlain(t.text)))).toEqual(pinned);
  });

  it('differ from Unicode 14 keys for every text with a newer character, and only for those', () => {
    const old = fixture.keys['14.0.0']!;
    expect(old).toHaveLength(fixture.texts.length);
    fixture.texts.forEach((t, i) => {
      const newer = [...t.text].some((c) => c.codePointAt(0)! > 0x7f);
      if (newer) expect(keysHere[i], t.why).not.toBe(old[i]);
      else expect(keysHere[i], t.why).toBe(old[i]);
    });
  });
});
