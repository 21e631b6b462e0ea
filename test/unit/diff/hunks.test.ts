import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Position } from '../../../server/src/common/position';
import { parseDiffs } from '../../../server/src/diff/parse';
import { documentLines } from '../../../server/src/diff/documentLines';
import type { LineSource } from '../../../server/src/diff/types';
import { doc, parse, textAt } from './support';

/** vfio-pci's config-space file (the header line is built, not copied from a real patch). */
const CONFIG_C = 'drivers/vfio/pci/vfio_pci_config.c';

const header = [
  `diff --git a/${CONFIG_C} b/${CONFIG_C}`,
  '--- a/drivers/vfio/pci/vfio_pci_config.c',
  '+++ b/drivers/vfio/pci/vfio_pci_config.c',
];

test('lines, line numbers, images and positions of a hunk', () => {
  const text = doc(
    ...header,
    '@@ -406,4 +406,5 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
    ' \t */',
    '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
    '+\treturn pdev->no_command_memory ||',
    '+\t\t(cmd & PCI_COMMAND_MEMORY);',
    ' }',
    '',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const h = r.files[0].hunks[0];
  assert.deepEqual([h.oldStart, h.oldLines, h.newStart, h.newLines], [406, 4, 406, 5]);
  assert.equal(h.heading, 'bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)');
  assert.equal(h.quoteDepth, 0);
  assert.deepEqual([h.added, h.removed, h.bodyLines], [2, 1, 6]);
  assert.deepEqual(
    h.lines.map((l) => [l.kind, l.oldLine, l.newLine]),
    [
      ['context', 406, 406],
      ['removed', 407, undefined],
      ['added', undefined, 407],
      ['added', undefined, 408],
      ['context', 408, 409],
      ['context', 409, 410],
    ],
  );
  assert.equal(h.lines[1].text, '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);');
  assert.equal(h.lines[5].text, '', 'an empty line inside the counts is a blank context line');
  for (const l of h.lines) assert.equal(textAt(text, l.range), l.text, `line at ${l.range.start.line}`);
  assert.equal(h.lines[1].range.start.character, 1, 'the range starts after the marker');
  assert.equal(
    h.preImage,
    ['\t */', '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);', '}', ''].join('\n'),
  );
  assert.equal(
    h.postImage,
    ['\t */', '\treturn pdev->no_command_memory ||', '\t\t(cmd & PCI_COMMAND_MEMORY);', '}', ''].join('\n'),
  );
  assert.deepEqual(h.range, { start: { line: 3, character: 0 }, end: { line: 9, character: 0 } });
  // The lazy fields survive JSON.
  const json = JSON.parse(JSON.stringify(h));
  assert.equal(json.lines.length, 6);
  assert.equal(json.preImage, h.preImage);
});

test('the "-- " signature after the last hunk is not a removed line', () => {
  const text = doc(
    'Subject: [PATCH] x',
    '',
    ...header,
    '@@ -1,2 +1,2 @@',
    ' a',
    '-b',
    '+c',
    '-- ',
    '2.39.0',
    '',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const h = r.files[0].hunks[0];
  assert.deepEqual([h.added, h.removed, h.bodyLines], [1, 1, 3]);
  assert.equal(r.files[0].range.end.line, 8);
});

test('a @@ line in a commit message before any file header is not a hunk', () => {
  const text = doc(
    'The lstopo output difference is:',
    '@@ -1,3 +1,3 @@',
    ' Machine',
    '+  NUMANode P#2',
    '   Group0',
    '-  NUMANode P#2',
    '---',
    ' hw/core/machine.c | 2 +-',
    ...header,
    '@@ -1 +1 @@',
    '-x',
    '+y',
  );
  const r = parse(text);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0].hunks.length, 1);
  assert.equal(r.files[0].hunks[0].headerRange.start.line, 11);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'info');
  assert.equal(r.problems[0].range.start.line, 1);
  assert.match(r.problems[0].message, /outside any file diff/);
});

test('"\\ No newline at end of file" belongs to the hunk without using its counts', () => {
  const text = doc(
    ...header,
    '@@ -1,2 +1,2 @@',
    ' a',
    '-b',
    '\\ No newline at end of file',
    '+c',
    '\\ No newline at end of file',
    'trailing prose',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const h = r.files[0].hunks[0];
  assert.deepEqual(
    h.lines.map((l) => l.kind),
    ['context', 'removed', 'no-newline', 'added', 'no-newline'],
  );
  assert.equal(h.lines[2].text, 'No newline at end of file');
  assert.equal(h.bodyLines, 3);
  assert.equal(h.range.end.line, 8);
  assert.equal(h.preImage, 'a\nb');
  assert.equal(h.postImage, 'a\nc');
});

test('CRLF: the \\r is not part of any text and positions stay on the raw lines', () => {
  const lf = doc(...header, '@@ -1,2 +1,2 @@ heading', ' a', '-b', '+c', '-- ', '');
  const text = lf.replace(/\n/g, '\r\n');
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const h = r.files[0].hunks[0];
  assert.equal(h.heading, 'heading');
  assert.equal(r.files[0].path, 'drivers/vfio/pci/vfio_pci_config.c');
  assert.deepEqual(
    h.lines.map((l) => l.text),
    ['a', 'b', 'c'],
  );
  for (const l of h.lines) assert.equal(textAt(text, l.range), l.text);
  assert.equal(h.lines[2].range.end.character, 2);
});

test('web-archive text: context lines without their leading space, blank context lines empty', () => {
  const text = doc(
    ...header,
    '@@ -10,4 +10,4 @@ static int f(void)',
    '* comment that lost its space',
    '- return a;',
    '+ return b;',
    '',
    '}',
    '@@ -30 +30 @@',
    '-x',
    '+y',
    'Next paragraph of the page.',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const hs = r.files[0].hunks;
  assert.equal(hs.length, 2);
  assert.deepEqual(
    hs[0].lines.map((l) => [l.kind, l.text]),
    [
      ['context', '* comment that lost its space'],
      ['removed', ' return a;'],
      ['added', ' return b;'],
      ['context', ''],
      ['context', '}'],
    ],
  );
  assert.equal(hs[0].lines[0].range.start.character, 0, 'an unmarked line has no marker to skip');
  for (const l of hs[0].lines) assert.equal(textAt(text, l.range), l.text);
  assert.equal(hs[1].bodyLines, 2);
  assert.equal(hs[1].range.end.line, 11, 'the prose after the counts is not part of the hunk');
});

test('a hunk cut short by the next header: problem at the header, with the counts', () => {
  const text = doc(
    ...header,
    '@@ -1,7 +1,7 @@',
    ' one',
    ' two',
    '-three',
    '+THREE',
    ' four',
    ' five',
    'diff --git a/y.c b/y.c',
    '--- a/y.c',
    '+++ b/y.c',
    '@@ -1 +1 @@',
    '-p',
    '+q',
  );
  const r = parse(text);
  assert.equal(r.files.length, 2);
  assert.equal(r.files[1].hunks.length, 1, 'the next file is still read');
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p.severity, 'error');
  assert.equal(
    p.message,
    'hunk at line 4 announces 7 old and 7 new lines, found 5 and 5 before the next header',
  );
  assert.equal(p.range.start.line, 10);
  assert.equal(textAt(text, p.range), 'diff --git a/y.c b/y.c');
  assert.equal(r.files[0].hunks[0].bodyLines, 6);
});

test('a hunk cut short by a line that cannot belong, and one cut by the end of the input', () => {
  const text = doc(...header, '@@ -1,3 +1,2 @@', ' a', '-b', '+c', '+d');
  const r = parse(text);
  assert.equal(r.problems.length, 2);
  assert.equal(
    r.problems[0].message,
    'hunk at line 4 announces 3 old lines, found 2 before line 8, which cannot belong to it',
  );
  assert.equal(r.problems[0].range.start.line, 7);
  assert.match(r.problems[1].message, /reads like a hunk line/);

  const cut = doc(...header, '@@ -1,4 +1,4 @@', ' a', ' b');
  const r2 = parse(cut);
  assert.equal(r2.problems.length, 1);
  assert.equal(
    r2.problems[0].message,
    'hunk at line 4 announces 4 old and 4 new lines, found 2 and 2 before the end of the input',
  );
  assert.equal(r2.problems[0].range.start.line, 5);
});

test('a mailer-wrapped @@ line: the continuation is read as the rest of the heading', () => {
  const text = doc(
    ...header,
    '@@ -5,3 +5,3 @@ static int vfio_basic_config_read(struct vfio_pci_device *vdev, ',
    'int pos,',
    ' a',
    '-b',
    '+c',
    ' d',
    '-- ',
  );
  const r = parse(text);
  const h = r.files[0].hunks[0];
  assert.equal(h.heading, 'static int vfio_basic_config_read(struct vfio_pci_device *vdev, int pos,');
  assert.deepEqual(
    h.lines.map((l) => l.text),
    ['a', 'b', 'c', 'd'],
  );
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'warning');
  assert.equal(r.problems[0].range.start.line, 4);
});

test('malformed and combined (@@@) hunk headers are not hunks', () => {
  const text = doc(...header, '@@ -1,x +1 @@', ' a');
  const r = parse(text);
  assert.equal(r.files[0].hunks.length, 0);
  assert.equal(r.problems[0].severity, 'error');
  assert.match(r.problems[0].message, /malformed hunk header/);
  const merge = doc(
    'diff --cc hw/a.c',
    'index 1,2..3',
    '--- a/hw/a.c',
    '+++ b/hw/a.c',
    '@@@ -1,1 -1,1 +1,1 @@@',
    '- a',
    ' -b',
    '++c',
  );
  assert.equal(parse(merge).files.length, 0);
});

test('a LineSource without the flat view: a quote with its "> " prefix removed', () => {
  const quoted = [
    'On Tue, X wrote:',
    ...doc(...header, '@@ -1 +1 @@', '-a', '+b')
      .trimEnd()
      .split('\n')
      .map((l) => '> ' + l),
  ];
  const src: LineSource = {
    count: quoted.length - 1,
    text: (i) => quoted[i + 1].slice(2),
    position: (i, ch): Position => ({ line: i + 1, character: ch + 2 }),
  };
  const r = parseDiffs(src, { quoteDepth: 1, messageIndex: 3 });
  assert.deepEqual(r.problems, []);
  const f = r.files[0];
  assert.equal(f.quoteDepth, 1);
  assert.equal(f.messageIndex, 3);
  assert.equal(f.hunks[0].quoteDepth, 1);
  const text = quoted.join('\n');
  for (const l of f.hunks[0].lines) assert.equal(textAt(text, l.range), l.text);
  assert.deepEqual(f.hunks[0].lines[0].range.start, { line: 5, character: 3 });
  // start/end restrict the lines read
  assert.equal(parseDiffs(src, { start: 4, quoteDepth: 1, messageIndex: 3 }).files.length, 0);
});

test('never throws: random cuts and splices of a valid diff, and a LineSource that throws', () => {
  const base = doc(
    ...header,
    '@@ -1,3 +1,3 @@ f',
    ' a',
    '-b',
    '+c',
    ' d',
    '\\ No newline at end of file',
    'GIT binary patch',
    'literal 3',
    'abc',
  );
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 2000; k++) {
    const a = rand(base.length);
    const b = rand(base.length);
    const text = base.slice(0, Math.min(a, b)) + base.slice(rand(base.length)) + base.slice(Math.max(a, b));
    const r = parse(text);
    for (const f of r.files) for (const h of f.hunks) void [h.lines.length, h.preImage, h.postImage];
  }
  const evil: LineSource = {
    count: 3,
    text: () => {
      throw new Error('decoder broke');
    },
    position: () => ({ line: 0, character: 0 }),
  };
  const r = parseDiffs(evil, { quoteDepth: 0, messageIndex: 0 });
  assert.equal(r.files.length, 0);
  assert.match(r.problems[0].message, /decoder broke/);
});

test('a hunk cut short by the mail signature: "-- " + version line is not a removed line', () => {
  const text = doc(...header, '@@ -1,3 +1,3 @@', 'a', '-b', '+c', '--', '1.8.3.1');
  const r = parse(text);
  const h = r.files[0].hunks[0];
  assert.deepEqual([h.removed, h.bodyLines], [1, 3]);
  assert.equal(r.problems.length, 1);
  assert.equal(
    r.problems[0].message,
    'hunk at line 4 announces 3 old and 3 new lines, found 2 and 2 before the mail signature',
  );
  assert.equal(r.problems[0].range.start.line, 7);
});

test('a quoted hunk the reply trimmed is an info, not an error', () => {
  const lines = [...header, '@@ -1,7 +1,7 @@', ' a', '-b', '+c'];
  const src: LineSource = {
    count: lines.length,
    text: (i) => lines[i],
    position: (i, ch): Position => ({ line: i, character: ch + 2 }),
  };
  const r = parseDiffs(src, { quoteDepth: 1, messageIndex: 0 });
  assert.equal(r.files[0].hunks.length, 1);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'info');
  assert.match(
    r.problems[0].message,
    /^quoted hunk at line 4 announces 7 old and 7 new lines, found 2 and 2 before the end/,
  );
});

test('a stray line does not close the file diff: the next "@@" still belongs to the file', () => {
  // the short heading's rest, wrapped by the mailer, is taken as a context line; " d" then fits no count
  const text = doc(
    'diff --git a/f.c b/f.c',
    '--- a/f.c',
    '+++ b/f.c',
    '@@ -1,3 +1,3 @@ int f(int a,',
    'wrapped);',
    ' a',
    '-b',
    '+c',
    ' d',
    '@@ -10,2 +10,2 @@',
    ' x',
    '-y',
    '+z',
  );
  const r = parse(text);
  assert.equal(r.files.length, 1);
  const f = r.files[0];
  assert.equal(f.path, 'f.c');
  assert.deepEqual(
    f.hunks.map((h) => [h.oldStart, h.headerRange.start.line, h.added, h.removed]),
    [
      [1, 3, 1, 1],
      [10, 9, 1, 1],
    ],
  );
  assert.equal(f.range.end.line, 12, 'the file diff runs to the last hunk line');
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'warning');
  assert.equal(r.problems[0].range.start.line, 8, 'at the stray line');
  assert.equal(
    r.problems[0].message,
    'line 9 does not fit the hunk at line 4 (a line wrapped by the mailer, or miscounted?): ' +
      'skipped; the "@@" at line 10 still belongs to f.c',
  );
  assert.ok(!r.problems.some((p) => /outside any file diff/.test(p.message)));
});

test('stray lines continue a file only up to what ends a file diff', () => {
  const hunk = ['@@ -1,1 +1,1 @@', '-a', '+b'];
  const after = (...between: string[]) =>
    parse(doc('--- a/f.c', '+++ b/f.c', ...hunk, ...between, '@@ -9,1 +9,1 @@', '-y', '+z'));
  // the mail signature, an mbox separator, a commit line or a file header ends the file diff
  for (const stop of [
    ['-- ', '2.40.0'],
    ['From 1234 Mon Sep 17 00:00:00 2001'],
    ['commit 1234567'],
    ['---'],
  ]) {
    const r = after('stray', ...stop);
    assert.equal(r.files[0].hunks.length, 1, stop.join(' / '));
    assert.ok(
      r.problems.some((p) => /outside any file diff/.test(p.message)),
      stop.join(' / '),
    );
  }
  // so do more stray lines than a wrapped hunk leaves
  const many = after(...Array.from({ length: 20 }, (_, k) => `prose ${k}`));
  assert.equal(many.files[0].hunks.length, 1);
  // a few stray lines do not
  assert.equal(after('stray', ' more').files[0].hunks.length, 2);
  // and without stray lines the next @@ is simply the next hunk (no problem)
  const plain = after();
  assert.deepEqual([plain.files[0].hunks.length, plain.problems.length], [2, 0]);
});

test('a web-archive copy: a hunk one line short is a warning that names the dropped blank lines', () => {
  const text = doc(...header, '@@ -1,4 +1,4 @@', ' a', '-b', '+c', ' d', '@@ -9,1 +9,1 @@', '-y', '+z');
  const archive = parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: 0, webArchive: true });
  assert.equal(archive.problems.length, 1);
  assert.equal(archive.problems[0].severity, 'warning');
  assert.match(
    archive.problems[0].message,
    /found 3 and 3 before the next header \(a web-archive copy drops blank lines\)$/,
  );
  // the same text elsewhere is an error
  const plain = parse(text);
  assert.deepEqual(
    plain.problems.map((p) => p.severity),
    ['error'],
  );
  assert.doesNotMatch(plain.problems[0].message, /web-archive/);
  // quoted, it is an info (a trimmed quote), web archive or not
  const quoted = parseDiffs(documentLines(text), { quoteDepth: 1, messageIndex: 0, webArchive: true });
  assert.deepEqual(
    quoted.problems.map((p) => p.severity),
    ['info'],
  );
});
