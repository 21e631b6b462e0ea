/**
 * Fuzzing C extraction (issue 13): readCode over every hunk the reader finds, parseCExpression
 * and expandMacros over what it reads, on the hostile shapes and damaged real mail.
 */
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { initAnalysis } from '../../server/src/analysis/index';
import { ISSUE_SIZES, expressionShape, scaled, textInput } from './arbitraries';
import { parseMacro } from '../../server/src/csrc/macros';
import { checkExpansion, checkExpression, noThrow } from './checks';
import { checkText } from './entries';
import { expressionText } from './inputs';
import { assertProperty, runs } from './seeded';

describe('fuzz: C extraction', () => {
  before(() => initAnalysis());

  test('parseCExpression on hostile expressions: no throw, bounded depth, linear size', () => {
    assertProperty(
      expressionShape(ISSUE_SIZES),
      (e) => {
        const text = e.class === 'c-text' ? e.text : expressionText(e);
        checkExpression(text);
        checkExpression(`return ${text};`);
      },
      { numRuns: runs(15) },
    );
  });

  test('parseMacro and expandMacros on any parameter list and body: no throw, bounded output', () => {
    const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const anyText = fc.string({ maxLength: 200 });
    assertProperty(
      fc.record({
        name: ident,
        params: fc.array(fc.oneof(ident, anyText), { maxLength: 6 }),
        body: anyText,
        use: anyText,
      }),
      ({ name, params, body, use }) => {
        const text = `${name}(${use}) || ${use}`;
        // as a patch defines it (parseMacro reads the #define line), and as handed in
        const parsed = noThrow('csrc', () => parseMacro(`#define ${name}(${params.join(', ')}) ${body}`));
        if (parsed) checkExpansion(text, [parsed]);
        checkExpansion(text, [{ name, params, body }]);
      },
      { numRuns: runs(150) },
    );
  });

  test('readCode, readConfigPatch, recogniseZpciChanges over every hunk: no throw, lines inside the image, linear facts, same answer twice', () => {
    assertProperty(
      textInput(scaled(ISSUE_SIZES, 20)),
      (input) => checkText(input, ['csrc', 'config', 'zpci']),
      {
        numRuns: runs(25),
      },
    );
  });
});
