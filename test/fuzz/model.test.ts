/**
 * Fuzzing the model (issue 13) through the simulator facade: scripts, comparisons and state
 * diagrams over built-in kernels and kernels whose decision is C of a hostile shape.
 */
import { before, describe, test } from 'node:test';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, expressionShape, scaled } from './arbitraries';
import { checkModel, modelInput } from './model';
import { assertProperty, runs } from './seeded';

describe('fuzz: the model', () => {
  before(() => initAnalysis());

  test('simulate, compare, states: no throw but clear errors, budgets hold, same answer twice', () => {
    assertProperty(modelInput(expressionShape(scaled(ISSUE_SIZES, 10)), 200), checkModel, {
      numRuns: runs(25),
    });
  });
});
