/**
 * Line ends other than LF (issue 13): the MSE lint read the patch's words from the document split
 * on `\n` only, so with lone CR line ends its finding landed past the end of line 0, and with
 * mixed ends on a wrong line. It now reads the reader's line index (CRLF, LF and lone CR each end
 * a line, as LSP counts them): the same finding at the same place whatever the line ends, and
 * every finding inside the document.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import { documentLines } from '../../../server/src/diff/documentLines';
import type { Finding } from '../../../server/src/analysis/types';
import { sharedMissing } from '../../support/shared';
import { corpus } from './support';

const ENDS: Record<string, (i: number) => string> = {
  'lone CR': () => '\r',
  CRLF: () => '\r\n',
  // in this order no CR is followed by an LF that would join the two into one CRLF
  'mixed (LF, CR, CRLF in turn)': (i) => ['\n', '\r', '\r\n'][i % 3],
};

function withLineEnds(text: string, end: (i: number) => string): string {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  return lines.map((l, i) => l + end(i)).join('') + last;
}

/** Every range lies inside the document, by the line index LSP clients use. */
function assertInside(text: string, findings: Finding[], what: string): void {
  const lines = documentLines(text);
  for (const f of findings)
    for (const p of [f.range.start, f.range.end, ...f.related.flatMap((r) => [r.range.start, r.range.end])]) {
      assert.ok(p.line < lines.count, `${what}: ${f.code} at line ${p.line} of ${lines.count}`);
      const length = lines.text(p.line).length;
      assert.ok(p.character <= length, `${what}: ${f.code} at ${p.line}:${p.character}, line of ${length}`);
    }
}

const mse = (findings: Finding[]) => findings.filter((f) => f.code === 'mse-means-vf-mse');

describe('the MSE lint and other findings with any line ends', { skip: sharedMissing() }, () => {
  test('k05 (MSE in its words): the same findings at the same places with CR, CRLF, mixed ends', async () => {
    await initAnalysis();
    const lf = fs.readFileSync(corpus('k05_'), 'utf8').replace(/\r\n?/g, '\n');
    const base = analyzeText(lf, { file: 'k05.mbox' }).result.findings;
    assert.ok(mse(base).length > 0, 'the LF document has an MSE finding');
    assertInside(lf, base, 'LF');
    for (const [name, end] of Object.entries(ENDS)) {
      const text = withLineEnds(lf, end);
      const findings = analyzeText(text, { file: 'k05.mbox' }).result.findings;
      assertInside(text, findings, name);
      assert.deepEqual(
        mse(findings).map((f) => f.range),
        mse(base).map((f) => f.range),
        name,
      );
      assert.deepEqual(
        findings.map((f) => `${f.code} ${f.range.start.line}`),
        base.map((f) => `${f.code} ${f.range.start.line}`),
        name,
      );
    }
  });
});
