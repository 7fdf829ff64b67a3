/**
 * Shared settings of the fuzz suite: every property runs from a fixed seed (so CI replays the same
 * cases), and `MIXSMITH_FUZZ_SEED` / `MIXSMITH_FUZZ_PATH` replay or vary a run. fast-check prints
 * `{ seed, path }` with every counterexample; pass them back here to replay exactly that case:
 *
 *   MIXSMITH_FUZZ_SEED=123 MIXSMITH_FUZZ_PATH=4:1:0 npx vitest run test/fuzz/recipes.test.ts -t 'YAML text'
 *
 * `MIXSMITH_FUZZ_RUNS` scales every run count (e.g. 10 for a long local soak).
 */
import fc from 'fast-check';

const envSeed = process.env.MIXSMITH_FUZZ_SEED;
const envPath = process.env.MIXSMITH_FUZZ_PATH;
const scale = Number(process.env.MIXSMITH_FUZZ_RUNS ?? '1');

/** fast-check parameters for one property: its own fixed seed unless the environment names one. */
export function fuzzParams<T>(seed: number, numRuns: number): fc.Parameters<T> {
  return {
    seed: envSeed === undefined ? seed : Number(envSeed),
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(envPath ? { path: envPath } : {}),
    // A counterexample is shrunk before it is reported: the message then names a small case.
    endOnFailure: false,
    verbose: 0,
  };
}

/**
 * `fc.assert` that adds to fast-check's report (counterexample, `{ seed, path }`) the command that
 * replays exactly the failing case.
 */
export async function assertFuzz<T>(
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  params: fc.Parameters<T>,
  testFile: string,
): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<T>, params);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const found = /seed: (-?\d+), path: "([^"]*)"/.exec(message);
    const replay = found
      ? `MIXSMITH_FUZZ_SEED=${found[1]} MIXSMITH_FUZZ_PATH=${found[2]} npx vitest run ${testFile}`
      : `MIXSMITH_FUZZ_SEED=${String(params.seed)} npx vitest run ${testFile}`;
    throw new Error(`${message}\nreplay: ${replay}`, { cause: error });
  }
}

/** A seeded xorshift stream for choices made outside fast-check (delays in the signal rounds). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
