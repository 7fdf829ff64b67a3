/**
 * Fuzzed recipes through parse → validate → plan, in-process: whatever the recipe, the outcome is
 * a plan or a MixsmithError with a code other than INTERNAL and a place (`file[:line:col]` or the
 * `--set` it came from) for every diagnostic; never another exception. 1,600 cases in all:
 * structured recipes over the schema with mutations, YAML text mutations of the repository's own
 * recipes, and `--set`/`--sweep` arguments through the real command line (`plan -` in-process).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planSummary } from '../../src/cli/summaries.js';
import { MixsmithError } from '../../src/errors.js';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { assertFuzz, fuzzParams } from './fuzz-run.js';
import {
  editText,
  mutate,
  mutation,
  recipeTexts,
  setPath,
  setValue,
  sweepArg,
  textEdit,
  validRecipe,
} from './recipe-arbitraries.js';

const FILE = '/fuzz/recipe.yaml';
const here = 'test/fuzz/recipes.test.ts';

/** parse → validate → plan (and its summary); returns the error, or undefined on success. */
function planOutcome(text: string, set: readonly string[] = []): MixsmithError | undefined {
  try {
    const loaded = parseRecipe(text, FILE, '/fuzz', { set });
    const plan = planMixture(loaded.recipe);
    planSummary(loaded.recipe.name, loaded.recipe.seed, plan);
    JSON.stringify(plan);
    return undefined;
  } catch (error) {
    if (!(error instanceof MixsmithError))
      throw new Error(`not a MixsmithError: ${error instanceof Error ? error.stack : String(error)}`);
    return error;
  }
}

/** A typed error: a code that is not INTERNAL, a message, and a place for each diagnostic. */
function expectTyped(error: MixsmithError): void {
  expect(error.code).not.toBe('INTERNAL');
  for (const diagnostic of error.diagnostics) {
    expect(diagnostic.code, diagnostic.message).not.toBe('INTERNAL');
    expect(diagnostic.message.length).toBeGreaterThan(0);
    expect(diagnostic.where?.file, `${diagnostic.code}: ${diagnostic.message} has no place`).toBeTruthy();
  }
}

const serialise = (value: unknown, json: boolean) => (json ? JSON.stringify(value, null, 1) : stringify(value));

describe('fuzzed recipes (parse → validate → plan)', () => {
  it('the structured arbitrary makes recipes that plan (the base of the mutations is valid)', async () => {
    let planned = 0;
    await assertFuzz(
      fc.property(validRecipe, (recipe) => {
        const error = planOutcome(stringify(recipe));
        if (error) expectTyped(error);
        else planned++;
      }),
      fuzzParams(24_001, 100),
      here,
    );
    // Without this the mutations below would only ever hit the schema's first check.
    expect(planned).toBeGreaterThan(50);
  });

  it('600 structured recipes with mutations at any path: a plan or a typed error with a place', async () => {
    await assertFuzz(
      fc.property(
        validRecipe,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (recipe, edits, json) => {
          const text = serialise(mutate(recipe, edits), json);
          const error = planOutcome(text);
          if (error) expectTyped(error);
        },
      ),
      fuzzParams(24_002, 600),
      here,
    );
  }, 120_000);

  it('600 YAML text mutations of the repository recipes: a plan or a typed error with a place', async () => {
    const texts = recipeTexts();
    await assertFuzz(
      fc.property(fc.nat(texts.length - 1), fc.array(textEdit, { minLength: 1, maxLength: 5 }), (index, edits) => {
        const error = planOutcome(editText(texts[index]!, edits));
        if (error) expectTyped(error);
      }),
      fuzzParams(24_003, 600),
      here,
    );
  }, 120_000);

  it('300 --set and --sweep arguments through `plan - --json`: never exit 1, a JSON error with a code and place', async () => {
    await assertFuzz(
      fc.asyncProperty(
        validRecipe,
        fc.array(fc.tuple(setPath, setValue), { maxLength: 3 }),
        fc.array(sweepArg, { maxLength: 2 }),
        async (recipe, sets, sweeps) => {
          const argv = ['plan', '-', '--json'];
          for (const [key, value] of sets) argv.push('--set', `${key}=${value}`);
          for (const sweep of sweeps) argv.push('--sweep', sweep);
          const result = await runCli(argv, { stdin: stringify(recipe) });
          expect(result.code, result.stderr).not.toBe(1);
          expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
          const json = JSON.parse(result.stdout) as {
            ok: boolean;
            error?: { code: string; diagnostics: { code: string; message: string; where?: { file?: string } }[] };
          };
          if (result.code === 0) expect(json.ok).toBe(true);
          else {
            expect(json.error?.code).not.toBe('INTERNAL');
            // The argument parser's own USAGE errors (unknown flags) are about argv as a whole.
            if (
              json.error?.code === 'USAGE' &&
              /^Unknown argument|^Not enough|^Missing/.test(json.error.diagnostics[0]!.message)
            )
              return;
            for (const d of json.error!.diagnostics)
              expect(d.where?.file, `${d.code}: ${d.message} has no place`).toBeTruthy();
          }
        },
      ),
      fuzzParams(24_004, 300),
      here,
    );
  }, 180_000);
});

/** Cases the fuzzing found, minimised, kept by name (the recipe ones are also fixtures/invalid-recipes). */
describe('fuzz regressions: recipes', () => {
  const recipe = stringify({
    name: 'mix',
    seed: 1,
    sources: [{ name: 's0', group: 'medical', path: 'a.jsonl' }],
    mixture: { volume: 10, shares: { medical: 1 } },
  });

  it('`--sweep ""` and a --set without "=" are USAGE at the --set they came from (before: no place), exit 2', async () => {
    for (const [flag, value, place] of [
      ['--sweep', '', '--set sweep.'],
      ['--set', 'mixture.volume', '--set mixture.volume'],
      ['--set', 'name=[1, 2', '--set name=[1, 2'],
    ] as const) {
      const result = await runCli(['plan', '-', '--json', flag, value], { stdin: recipe });
      expect(result.code).toBe(2);
      const json = JSON.parse(result.stdout) as {
        error: { code: string; diagnostics: { where?: { file: string } }[] };
      };
      expect(json.error.code).toBe('USAGE');
      expect(json.error.diagnostics[0]!.where?.file).toBe(place);
    }
  });

  it('--set into a value (`name.x=1`) is USAGE at the --set, exit 2 (before: exit 1, yaml "Expected YAML collection")', async () => {
    for (const set of ['name.x=1', 'seed.a.b=1', 'sources.0.name.x=1', 'mixture.volume.x=2']) {
      const result = await runCli(['plan', '-', '--json', '--set', set], { stdin: recipe });
      expect(result.code, result.stderr).toBe(2);
      const json = JSON.parse(result.stdout) as {
        error: { code: string; diagnostics: { where?: { file: string } }[] };
      };
      expect(json.error.code).toBe('USAGE');
      expect(json.error.diagnostics[0]!.where?.file).toBe(`--set ${set}`);
    }
  });

  it('--set under a key written with no value (`split:`) fills it in, exit 0 (before: exit 1)', async () => {
    const result = await runCli(['plan', '-', '--json', '--set', 'split.validation=3'], {
      stdin: `${recipe}split:\n`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { plan: { validation: number } }).plan.validation).toBe(3);
  });
});
