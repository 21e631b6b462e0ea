/**
 * The seeded pass npm test runs: fixed seeds (VFIO_LENS_FUZZ_SEED changes them), a number of
 * inputs per property kept small (VFIO_LENS_FUZZ_RUNS=K runs K times as many; `npm run fuzz` is the long pass).
 */
import fc from 'fast-check';

export const SEED = Number(process.env.VFIO_LENS_FUZZ_SEED ?? 13);

/** Inputs per property in the seeded pass (VFIO_LENS_FUZZ_RUNS=N multiplies them by N). */
const SCALE = Number(process.env.VFIO_LENS_FUZZ_RUNS ?? 1);

export function runs(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

/**
 * Asserts `check` (which throws on a violation) over `numRuns` inputs of `arbitrary`. A failure
 * names the input as JSON: write it to test/fuzz/regressions/ to keep it (see README there).
 * `shrink: false` reports the first failing input as found (for known failures, kept cheap).
 */
export function assertProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => void,
  options: { numRuns: number; seed?: number; shrink?: boolean },
): void {
  fc.assert(
    fc.property(arbitrary, (input) => {
      check(input);
    }),
    { seed: options.seed ?? SEED, numRuns: options.numRuns, endOnFailure: options.shrink === false },
  );
}
