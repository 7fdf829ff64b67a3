/** `--expect` rule syntax and evaluation, table-driven. */
import { describe, expect, it } from 'vitest';
import { evaluateRules, holds, parseRule } from '../../src/audit/rules.js';
import { MixsmithError } from '../../src/errors.js';

describe('parseRule', () => {
  it.each([
    ['share.medical=0.30±0.005', { figure: 'share.medical', op: '=', value: 0.3, tolerance: 0.005 }],
    ['share.medical = 0.30 +- 0.005', { figure: 'share.medical', op: '=', value: 0.3, tolerance: 0.005 }],
    ['share.medical=30%±0.5%', { figure: 'share.medical', op: '=', value: 0.3, tolerance: 0.005 }],
    ['dup.exact=0', { figure: 'dup.exact', op: '=', value: 0, tolerance: 0 }],
    ['dup.exact==0', { figure: 'dup.exact', op: '=', value: 0, tolerance: 0 }],
    ['tokens.p95<=8192', { figure: 'tokens.p95', op: '<=', value: 8192, tolerance: 0 }],
    ['rows.train>=1e3', { figure: 'rows.train', op: '>=', value: 1000, tolerance: 0 }],
    ['leak.validation<1', { figure: 'leak.validation', op: '<', value: 1, tolerance: 0 }],
    ['contamination.mmlu-med!=5', { figure: 'contamination.mmlu-med', op: '!=', value: 5, tolerance: 0 }],
  ])('%s', (text, expected) => {
    expect(parseRule(text)).toMatchObject(expected);
  });

  it.each([
    'share.medical',
    'share.medical=',
    '=0.3',
    'share.medical~0.3',
    'tokens.p95<=8k',
    'share.medical<=0.3±0.01',
    'a b=1',
  ])('rejects %j as USAGE', (text) => {
    let error: unknown;
    try {
      parseRule(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('USAGE');
  });
});

describe('holds', () => {
  it.each([
    ['share.medical=0.30±0.005', 0.3049, true],
    ['share.medical=0.30±0.005', 0.305, true],
    ['share.medical=0.30±0.005', 0.3051, false],
    ['share.medical=0.30±0.005', 0.35, false],
    ['share.x=0.3', 0.1 + 0.2, true],
    ['dup.exact=0', 0, true],
    ['dup.exact=0', 1, false],
    ['tokens.p95<=8192', 8192, true],
    ['tokens.p95<=8192', 8193, false],
    ['tokens.p95<8192', 8192, false],
    ['rows>10', 11, true],
    ['rows>=10', 10, true],
    ['rows!=10', 10, false],
  ])('%s with %d → %s', (text, actual, ok) => {
    expect(holds(parseRule(text), actual)).toBe(ok);
  });
});

describe('evaluateRules', () => {
  const figures = { 'share.medical': 0.35, 'dup.exact': 0, 'share.general': 0.65 };
  it('reports the figure for every rule', () => {
    const results = evaluateRules([parseRule('share.medical=0.3±0.005'), parseRule('dup.exact=0')], figures, 'out/mix');
    expect(results).toEqual([
      { rule: 'share.medical=0.3±0.005', figure: 'share.medical', actual: 0.35, ok: false },
      { rule: 'dup.exact=0', figure: 'dup.exact', actual: 0, ok: true },
    ]);
  });
  it('suggests the closest figure for a typo', () => {
    expect(() => evaluateRules([parseRule('share.medicl=0.3')], figures, 'out/mix')).toThrow(
      /no figure "share\.medicl"/,
    );
    try {
      evaluateRules([parseRule('share.medicl=0.3')], figures, 'out/mix');
    } catch (e) {
      expect((e as MixsmithError).hint).toBe('did you mean "share.medical"?');
    }
  });
});
