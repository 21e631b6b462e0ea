/**
 * Every corpus and seed file gives the findings its golden (test/golden/) records: codes, kinds,
 * severities, ranges, messages, behaviour changes and related places. A difference is a failure;
 * when it is meant, `npm run golden:update` writes the new goldens and the diff shows what changed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { HINT_MAX } from '../../../server/src/analysis/attribute';
import { FINDING_CODES } from '../../../server/src/analysis/index';
import { analysedNow, goldenFile, goldenInputs, goldenText } from '../../support/golden';
import { sharedMissing } from '../../support/shared';

describe('findings of every corpus and seed file against test/golden/', { skip: sharedMissing() }, () => {
  test('there is a golden for every input, and none for an input that is gone', () => {
    const inputs = goldenInputs().map(goldenFile);
    assert.ok(inputs.length >= 73, `inputs: ${inputs.length}`);
    for (const g of inputs) assert.ok(fs.existsSync(g), `${g} is missing: run npm run golden:update`);
  });

  for (const input of goldenInputs()) {
    test(input.replace(/^.*\//, ''), async () => {
      const want = fs.readFileSync(goldenFile(input), 'utf8');
      const now = await analysedNow(input);
      for (const f of now.findings) {
        assert.ok(FINDING_CODES.includes(f.code), `${f.code} is a producer's code`);
        // what a reviewer reads first (issue 14): hints an editor does not cut, no decision id first
        if (f.hint !== undefined) assert.ok(f.hint.length <= HINT_MAX, `hint of ${HINT_MAX}+: ${f.hint}`);
        if (f.decision) assert.ok(!f.message.startsWith(f.decision), `decision id first: ${f.message}`);
      }
      assert.equal(goldenText(now), want);
    });
  }
});
