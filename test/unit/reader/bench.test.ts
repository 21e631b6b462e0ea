/**
 * The bench inputs of ../shared/corpus/bench against the README's reference counts (a naive strict
 * walk: count `diff --git` lines and `@@` hunks, consume exactly the lines each `@@` announces).
 * For a and b the reader must match exactly. For c and c2 the reader may differ only where the
 * README says a correct reader must: each such difference is named below (which mail, what) and
 * the totals must equal the reference plus/minus exactly those. One read of each file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readDocument } from '../../../server/src/mail';
import type { ReadResult } from '../../../server/src/mail/types';
import { readShared, sharedMissing, sharedPath } from '../../support/shared';
import * as fs from 'node:fs';
import { benchReference, totals } from './support';

const skip =
  sharedMissing() ?? (fs.existsSync(sharedPath('corpus', 'bench')) ? undefined : 'no corpus/bench');

const A = 'a_qemu_v7.2.0..v8.0.0_hw_format-patch.mbox';
const B = 'b_qemu_v6.0.0..v8.0.0_hw+include.diff';
const C = 'c_2000_small_kernel_patch_emails.mbox';
const C2 = 'c2_2000_small_qemu_hw_commits_format-patch.mbox';

interface Counts {
  files: number;
  hunks: number;
  lines: number;
}

/** The README's naive strict walk over lines [start, end) of the raw text. */
function naiveWalk(lines: string[], start: number, end: number): Counts & { hunkAt: number[] } {
  const out = { files: 0, hunks: 0, lines: 0, hunkAt: [] as number[] };
  for (let i = start; i < end; i++) {
    const l = lines[i];
    if (l.startsWith('diff --git ')) out.files++;
    const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(l);
    if (!m) continue;
    out.hunks++;
    out.hunkAt.push(i);
    let oldLeft = m[1] === undefined ? 1 : Number(m[1]);
    let newLeft = m[2] === undefined ? 1 : Number(m[2]);
    let j = i + 1;
    for (; j < end && (oldLeft > 0 || newLeft > 0); j++) {
      const c = lines[j][0];
      out.lines++;
      if (c === '\\') continue; // "\ No newline at end of file": a body line, no count
      if (c === '-') oldLeft--;
      else if (c === '+') newLeft--;
      else {
        oldLeft--;
        newLeft--;
      }
    }
    i = j - 1;
  }
  return out;
}

/** Per message: the naive walk over its raw lines and what the reader found in it. */
function perMessage(r: ReadResult, lines: string[]) {
  return r.messages.map((m, k) => {
    const end = k + 1 < r.messages.length ? r.messages[k + 1].range.start.line : lines.length;
    const naive = naiveWalk(lines, m.range.start.line, end);
    let hunks = 0;
    let body = 0;
    let gitFiles = 0;
    for (const f of m.files) {
      if (lines[f.range.start.line].startsWith('diff --git ')) gitFiles++;
      for (const h of f.hunks) {
        hunks++;
        body += h.lines.length;
      }
    }
    return { message: m, naive, reader: { files: gitFiles, hunks, lines: body }, allFiles: m.files };
  });
}

test('bench a and b (clean git output): exactly the reference counts', { skip }, () => {
  for (const file of [A, B]) {
    const ref = benchReference(file);
    const got = totals(readDocument(readShared('corpus', 'bench', file)));
    assert.deepEqual(
      got,
      { files: ref.files, hunks: ref.hunks, lines: ref.lines, added: ref.added, removed: ref.removed },
      file,
    );
  }
});

test('bench c: the reference plus/minus exactly the named differences', { skip }, () => {
  const text = readShared('corpus', 'bench', C);
  const lines = text.split(/\r?\n/);
  const r = readDocument(text);
  const ref = benchReference(C);
  const rows = perMessage(r, lines);
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((s, x) => s + f(x), 0);
  // the walk in this test is the README's walk: it gives the reference over the whole file
  assert.deepEqual(
    { files: sum((x) => x.naive.files), hunks: sum((x) => x.naive.hunks), lines: sum((x) => x.naive.lines) },
    { files: ref.files, hunks: ref.hunks, lines: ref.lines },
  );

  // Difference 1 (both hunks below): mailer-wrapped lines. The naive walk consumes the wrapped
  // pieces as hunk lines; the reader stops the hunk where a line cannot belong and says so.
  const named: { subject: string; why: string; lines: number }[] = [
    {
      subject: 'PCI: Override PCIe bridge supported speeds',
      why: 'the mailer wrapped the @@ header (format=flowed)',
      lines: -2,
    },
    {
      subject: 'watchdog/diag288: Fix module comment typos',
      why: 'the mailer wrapped two hunk lines',
      lines: -2,
    },
  ];
  const differing = rows.filter((x) => x.naive.hunks !== x.reader.hunks || x.naive.lines !== x.reader.lines);
  assert.equal(differing.length, named.length, differing.map((x) => x.message.headers.subject).join(' | '));
  differing.forEach((x, k) => assert.ok(x.message.title.startsWith(named[k].subject), x.message.title));
  for (const n of named) {
    const row = differing.find((x) => x.message.headers.subject?.includes(n.subject))!;
    assert.equal(row.reader.hunks, row.naive.hunks, `${n.subject}: same hunks`);
    assert.equal(row.reader.lines - row.naive.lines, n.lines, `${n.subject}: ${n.why}`);
    const end = row.message.range.end.line;
    assert.ok(
      r.problems.some(
        (p) =>
          p.severity === 'error' &&
          p.range.start.line >= row.message.range.start.line &&
          p.range.start.line <= end,
      ),
      `${n.subject}: a problem says where (${n.why})`,
    );
  }

  // Difference 2: file diffs without a `diff --git` line (quilt / `diff -u` style ---/+++ pairs).
  // The walk counts only `diff --git` lines; the reader reads these file diffs too.
  const plain = rows.flatMap((x) =>
    x.allFiles.filter((f) => !lines[f.range.start.line].startsWith('diff --git ')),
  );
  for (const f of plain) {
    const first = lines[f.range.start.line];
    assert.ok(
      /^(?:--- |Index: )/.test(first),
      `plain file diff at line ${f.range.start.line + 1} starts "${first.slice(0, 20)}"`,
    );
  }
  const mailsWithPlain = new Set(plain.map((f) => f.messageIndex));
  assert.equal(
    sum((x) => x.reader.files),
    ref.files,
    'every `diff --git` file diff is read',
  );

  // Difference 3: the quoted-printable soft break inside a `diff --git` line: the reader joins the
  // line before reading it, so the path is whole.
  const softBroken = r.files.filter((f) => /^diff --git .*=$/.test(lines[f.range.start.line]));
  assert.ok(softBroken.length >= 1, 'the QP soft-broken diff --git lines are read as file diffs');
  for (const f of softBroken) assert.match(f.path, /^drivers\/pci\/[\w/-]+\.c$/, 'with the whole path');

  const got = totals(r);
  assert.deepEqual(
    { files: got.files, hunks: got.hunks, lines: got.lines },
    {
      files: ref.files + plain.length,
      hunks: ref.hunks,
      lines: ref.lines + named.reduce((s, n) => s + n.lines, 0),
    },
    `${plain.length} plain file diffs in ${mailsWithPlain.size} mails`,
  );
});

test('bench c2: the reference minus the @@ hunks quoted inside one commit message', { skip }, () => {
  const text = readShared('corpus', 'bench', C2);
  const lines = text.split(/\r?\n/);
  const r = readDocument(text);
  const ref = benchReference(C2);
  const rows = perMessage(r, lines);
  const differing = rows.filter(
    (x) =>
      x.naive.files !== x.reader.files ||
      x.naive.hunks !== x.reader.hunks ||
      x.naive.lines !== x.reader.lines,
  );
  assert.equal(differing.length, 1, differing.map((x) => x.message.headers.subject).join(' | '));
  const [row] = differing;
  assert.match(row.message.headers.subject ?? '', /hmat acpi: Don't require initiator value/);
  // the hunks the walk counts and the reader does not: all in the commit message, before the
  // first file header, each named by an info problem at its line
  const firstFile = Math.min(...row.allFiles.map((f) => f.range.start.line));
  const readerHunkLines = new Set(row.allFiles.flatMap((f) => f.hunks.map((h) => h.headerRange.start.line)));
  const quoted = row.naive.hunkAt.filter((l) => !readerHunkLines.has(l));
  assert.equal(quoted.length, row.naive.hunks - row.reader.hunks);
  for (const l of quoted) {
    assert.ok(l < firstFile, `line ${l + 1} is in the commit message`);
    assert.ok(
      r.problems.some((p) => p.range.start.line === l && p.severity === 'info'),
      `line ${l + 1} is named`,
    );
  }
  const quotedBody = row.naive.lines - row.reader.lines;
  const got = totals(r);
  assert.deepEqual(
    { files: got.files, hunks: got.hunks, lines: got.lines },
    { files: ref.files, hunks: ref.hunks - quoted.length, lines: ref.lines - quotedBody },
  );
  assert.equal(quoted.length, 2);
});
