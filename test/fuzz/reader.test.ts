/**
 * Fuzzing the reader (issue 13): readDocument and parseDiffs on the hostile shapes at the
 * issue's sizes and on damaged real mail. Properties: checks.ts.
 */
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, textInput } from './arbitraries';
import { checkText } from './entries';
import { assertProperty, runs } from './seeded';

describe('fuzz: the reader', () => {
  before(() => initAnalysis());

  test('readDocument and parseDiffs: no throw, ranges inside, linear output, same answer twice', () => {
    assertProperty(textInput(ISSUE_SIZES), (input) => checkText(input, ['reader', 'diff']), {
      numRuns: runs(150),
    });
  });
});
