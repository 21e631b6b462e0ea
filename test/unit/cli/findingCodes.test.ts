/** The SARIF rules' words (cli/findingCodes.ts) are there for exactly the codes the analysis gives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINDING_CODES as PRODUCED } from '../../../server/src/analysis/index';
import { FINDING_CODES as DOCUMENTED } from '../../../server/src/cli/findingCodes';

test('every finding code a producer or lint gives has its SARIF rule text, and no other code does', () => {
  assert.deepEqual(Object.keys(DOCUMENTED).sort(), [...PRODUCED].sort());
});
