/**
 * Giving memory back at once: `releaseMemory` detaches a buffer (its memory freed with the
 * channel), `collectGarbage` runs a full collection, so a huge record's garbage is gone before the
 * next copy of it is made (materialize.ts).
 */
import { describe, expect, it } from 'vitest';
import { collectGarbage, releaseMemory } from '../../src/workers/release-memory.js';

describe('release-memory', () => {
  it('detaches a buffer it is given', async () => {
    const buffer = new ArrayBuffer(1 << 20);
    const view = new Uint8Array(buffer);
    await releaseMemory(buffer);
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
  });

  it('collects a large string that nothing refers to any more', () => {
    let text: string | undefined = 'y'.repeat(120_000_000);
    // Searching it flattens it: one 120 MB string in the heap, as a decoded record is.
    expect(text.indexOf('z')).toBe(-1);
    const held = process.memoryUsage().heapUsed;
    text = undefined;
    collectGarbage();
    // Gone from the heap at once (the collector would not have run yet: nothing was allocated since).
    expect(held - process.memoryUsage().heapUsed).toBeGreaterThan(80_000_000);
  });
});
