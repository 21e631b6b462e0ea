/** Every input that once failed (test/fuzz/regressions/*.json), replayed on its entry points. */
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../../server/src/analysis/index';
import { sharedMissing } from '../support/shared';
import { checkInput, TEXT_ENTRIES } from './entries';
import { describeInput, type TextInput } from './inputs';
import { loadRegressions } from './regressions';

/** Whether an input is built from a file of ../shared (skipped, with the reason, when it is absent). */
function needsShared(input: unknown): boolean {
  const text = JSON.stringify(input);
  return text.includes('"shared":');
}

describe('fuzz: regressions', () => {
  before(() => initAnalysis());

  for (const { file, regression } of loadRegressions()) {
    const name =
      'model' in regression.input ? regression.input.model : describeInput(regression.input as TextInput);
    const skip = needsShared(regression.input) ? sharedMissing() : undefined;
    const known = regression.known?.entries ?? [];
    const entries = (regression.entries ?? TEXT_ENTRIES).filter((e) => !known.includes(e));
    test(`${file}: ${name} (once: ${regression.found.slice(0, 100)})`, { skip }, () => {
      checkInput(regression.input, 'model' in regression.input ? undefined : entries);
    });
    if (known.length) {
      test.todo(`${file} on ${known.join(', ')}: ${regression.known!.why}`, { skip }, () => {
        checkInput(regression.input, known);
      });
    }
  }
});
