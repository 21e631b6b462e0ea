/**
 * Fuzzing the analysis (issue 13): analyzeText as the CLI calls it, on the hostile shapes and
 * damaged real mail, at sizes scaled down from the issue's (the long run, npm run fuzz, goes
 * to the full sizes).
 */
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, scaled, textInput } from './arbitraries';
import { checkText } from './entries';
import { assertProperty, runs } from './seeded';

describe('fuzz: the analysis', () => {
  before(() => initAnalysis());

  test('analyzeText: no throw, ranges inside, linear output, same answer twice', () => {
    assertProperty(textInput(scaled(ISSUE_SIZES, 20)), (input) => checkText(input, ['analysis']), {
      numRuns: runs(60),
    });
  });
});
