/**
 * Fuzzing the reader (issue 13): readDocument and parseDiffs on the hostile shapes and on damaged
 * real mail, at a fifth of the issue's sizes (the regression files hold the full ones; npm run
 * fuzz goes there at random). Properties: checks.ts.
 */
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, scaled, textInput } from './arbitraries';
import { checkText } from './entries';
import { assertProperty, runs } from './seeded';

describe('fuzz: the reader', () => {
  before(() => initAnalysis());

  test('readDocument and parseDiffs: no throw, ranges inside, linear output, same answer twice', () => {
    assertProperty(textInput(scaled(ISSUE_SIZES, 5)), (input) => checkText(input, ['reader', 'diff']), {
      numRuns: runs(80),
    });
  });
});
