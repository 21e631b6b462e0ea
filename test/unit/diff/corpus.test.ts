/**
 * The bench inputs of ../shared/corpus/bench against the reference counts of its README
 * (file diffs / hunks / hunk-body lines / added / removed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentLines } from '../../../server/src/diff/documentLines';
import { parseDiffs } from '../../../server/src/diff/parse';
import { readDocument } from '../../../server/src/mail/index';
import { listShared, readShared, sharedMissing } from '../../support/shared';
import type { FileDiff } from '../../../server/src/diff/types';
import { countsOf } from './support';

/** Every 50th hunk: its @@ line and each body line's range hold exactly its text in the raw document. */
function checkSampledPositions(text: string, files: FileDiff[]): number {
  const raw = text.split(/\r?\n/);
  let k = 0;
  let checked = 0;
  for (const f of files) {
    for (const h of f.hunks) {
      if (k++ % 50 !== 0) continue;
      const at = h.headerRange;
      assert.match(raw[at.start.line].slice(at.start.character, at.end.character), /^@@ -\d+/);
      for (const l of h.lines) {
        const got = raw[l.range.start.line].slice(l.range.start.character, l.range.end.character);
        assert.equal(got, l.text, `line ${l.range.start.line + 1}`);
      }
      checked++;
    }
  }
  return checked;
}

function benchFile(prefix: string): string {
  const name = listShared('corpus', 'bench').find((f) => f.startsWith(prefix) && !f.endsWith('.sources.txt'));
  if (!name) throw new Error(`no ${prefix}* file in corpus/bench`);
  return readShared('corpus', 'bench', name);
}

/**
 * The README's naive strict walk, written independently of the parser: count `diff --git` lines
 * and `@@` hunks, consume exactly the lines each `@@` announces. Returns the hunks it took, by line.
 */
function naiveWalk(text: string): {
  files: number;
  gitLines: Set<number>;
  hunks: Map<number, number>;
  lines: number;
} {
  const lines = text.split('\n');
  let files = 0;
  const gitLines = new Set<number>();
  let body = 0;
  const hunks = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('diff --git ')) {
      files++;
      gitLines.add(i);
    }
    const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[i]);
    if (!m) continue;
    const at = i;
    let o = m[1] === undefined ? 1 : Number(m[1]);
    let n = m[2] === undefined ? 1 : Number(m[2]);
    let taken = 0;
    while ((o > 0 || n > 0) && i + 1 < lines.length) {
      const c = lines[++i][0];
      if (c === '\\') continue;
      taken++;
      if (c === '+') n--;
      else if (c === '-') o--;
      else {
        o--;
        n--;
      }
    }
    hunks.set(at, taken);
    body += taken;
  }
  return { files, gitLines, hunks, lines: body };
}

test('b (one git diff): exactly the reference counts', { skip: sharedMissing() }, () => {
  const text = benchFile('b_');
  const r = parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: -1 });
  assert.deepEqual(countsOf(r), { files: 2067, hunks: 9742, lines: 310457, added: 171241, removed: 59974 });
  assert.deepEqual(r.problems, []);
  assert.ok(checkSampledPositions(text, r.files) > 100);
});

test(
  'a (format-patch mbox) through the whole reader: exactly the reference counts',
  { skip: sharedMissing() },
  () => {
    const r = readDocument(benchFile('a_'));
    assert.equal(r.kind, 'mbox');
    assert.equal(r.messages.length, 873);
    assert.deepEqual(countsOf(r), { files: 1805, hunks: 4334, lines: 80965, added: 36640, removed: 13699 });
    assert.deepEqual(
      r.problems.filter((p) => p.severity !== 'info'),
      [],
    );
    // each file diff belongs to the message that holds it
    for (const f of r.files) assert.ok(f.messageIndex >= 0 && f.messageIndex < r.messages.length);
  },
);

test(
  'c2: differs from the naive walk exactly by the @@ lines quoted in a commit message',
  { skip: sharedMissing() },
  () => {
    const text = benchFile('c2_');
    const naive = naiveWalk(text);
    assert.deepEqual(
      [naive.files, naive.hunks.size, naive.lines],
      [4329, 7108, 76949],
      'the naive walk reproduces the README',
    );
    const src = documentLines(text);
    const r = parseDiffs(src, { quoteDepth: 0, messageIndex: -1 });
    const notHunks = r.problems.filter((p) => /outside any file diff/.test(p.message));
    assert.deepEqual(
      r.problems.filter((p) => !notHunks.includes(p)),
      [],
    );
    // Each of them is a "@@ -" line the naive walk took for a hunk, in prose (a commit message).
    let droppedLines = 0;
    for (const p of notHunks) {
      const line = p.range.start.line;
      assert.ok(naive.hunks.has(line), `line ${line + 1} is a naive hunk`);
      assert.match(src.text(line), /^@@ -\d/);
      droppedLines += naive.hunks.get(line)!;
    }
    assert.ok(notHunks.length > 0);
    const ours = countsOf(r);
    assert.equal(ours.files, naive.files);
    assert.equal(ours.hunks, naive.hunks.size - notHunks.length);
    assert.equal(ours.lines, naive.lines - droppedLines);
    // every hunk we read is one of the naive walk's, at the same line
    for (const f of r.files) for (const h of f.hunks) assert.ok(naive.hunks.has(h.headerRange.start.line));
  },
);

test(
  'c (raw kernel mails): every difference from the naive walk is one the reader can name',
  { skip: sharedMissing() },
  () => {
    const text = benchFile('c_');
    const naive = naiveWalk(text);
    const src = documentLines(text);
    const r = readDocument(text);
    const files = r.files.filter((f) => f.quoteDepth === 0);
    // 1. Hunks: exactly the naive walk's, at the same lines (QP decoding keeps them in place).
    const ours = new Map<number, number>();
    for (const f of files) for (const h of f.hunks) ours.set(h.headerRange.start.line, h.bodyLines);
    assert.deepEqual(
      [...ours.keys()].sort((a, b) => a - b),
      [...naive.hunks.keys()].sort((a, b) => a - b),
    );
    // 2. Where a hunk has fewer body lines than the naive walk took, the mailer wrapped lines inside
    //    it: the reader stops at the first line that cannot belong and says so at the hunk's line.
    const shortHunks = [...ours].filter(([line, n]) => n !== naive.hunks.get(line));
    assert.ok(shortHunks.length > 0);
    for (const [line, n] of shortHunks) {
      assert.ok(n < naive.hunks.get(line)!, `hunk at line ${line + 1}: fewer lines than the naive walk`);
      const said = r.problems.find(
        (p) => p.severity === 'error' && p.message.startsWith(`hunk at line ${line + 1} announces`),
      );
      assert.ok(said, `a problem names the hunk at line ${line + 1}`);
    }
    // 3. Files: the naive walk counts diff --git lines; the reader also reads patches written
    //    without one ("--- a/X" + "+++ b/X", as quilt and some mailers send them).
    const plain = files.filter((f) => !naive.gitLines.has(f.range.start.line));
    assert.equal(files.length, naive.files + plain.length);
    for (const f of plain) {
      const first = src.text(f.range.start.line);
      assert.match(first, /^(--- |Index: |diff )/, `file diff at line ${f.range.start.line + 1}`);
      assert.ok(f.hunks.length > 0);
    }
    assert.ok(plain.length > 0);
  },
);
