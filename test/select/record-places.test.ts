import { describe, expect, it } from 'vitest';
import { RecordPlaces } from '../../src/select/record-places.js';

describe('RecordPlaces', () => {
  it('maps each (file, line) to one number and back, files one after another', () => {
    const places = new RecordPlaces();
    const seen: [number, number, number][] = [];
    // file 3: lines 1–5 with gaps; file 0: none at all; file 7: rows from 0; file 1: one line far out
    const files: [number, number[]][] = [
      [3, [1, 2, 4, 5]],
      [0, []],
      [7, [0, 1, 2]],
      [1, [1_000_000]],
      [2, [0]],
    ];
    for (const [fileIndex, lines] of files) {
      const base = places.beginFile(fileIndex);
      for (const line of lines) seen.push([places.place(base, line), fileIndex, line]);
    }
    const numbers = seen.map(([place]) => place);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    for (const [place, fileIndex, line] of seen) expect(places.locate(place)).toEqual({ fileIndex, line });
  });
});
