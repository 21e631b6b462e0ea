/**
 * The reader over every real input in ../shared: seeds and corpus/real. Each is read without
 * throwing; series files give the right patches; hunk line ranges hold the hunk line's text.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readDocument } from '../../../server/src/mail';
import { corpusRealFiles, readShared, seedFiles, sharedMissing } from '../../support/shared';
import * as libqp from 'libqp';
import type { Range } from '../../../server/src/common/position';
import { documentLines, isReplySubject, manifestSubjects, misplacedLines, textAt } from './support';

/** The document text of a range that may span lines joined by QP soft breaks ("=" at the end). */
function encodedSlice(lines: string[], r: Range): string {
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  const parts = [lines[r.start.line].slice(r.start.character).replace(/=\s*$/, '')];
  for (let l = r.start.line + 1; l < r.end.line; l++) parts.push(lines[l].replace(/=\s*$/, ''));
  parts.push(lines[r.end.line].slice(0, r.end.character));
  return parts.join('');
}

function decodeQp(s: string): string {
  return libqp.decode(s).toString('utf8');
}

const skip = sharedMissing();

test(
  'every seed and every corpus/real file is read without throwing, with problems placed inside the document',
  { skip },
  () => {
    const inputs = [
      ...seedFiles().map((f) => ['seeds', f]),
      ...corpusRealFiles().map((f) => ['corpus/real', f]),
    ];
    assert.ok(inputs.length >= 50, `found ${inputs.length} inputs`);
    for (const [dir, file] of inputs) {
      const text = readShared(...dir.split('/'), file);
      const r = readDocument(text);
      assert.ok(r.messages.length >= 1, `${file}: at least one message`);
      assert.ok(
        !r.problems.some((p) => /internal error|failed here/.test(p.message)),
        `${file}: no internal failure`,
      );
      for (const p of r.problems)
        assert.ok(p.range.start.line < r.lineCount, `${file}: problem inside the document`);
    }
  },
);

test('the series and patch files give the patches the manifest lists, in order', { skip }, () => {
  const subjects = manifestSubjects();
  assert.ok(subjects.size > 20);
  for (const [file, listed] of subjects) {
    if (!corpusRealFiles().includes(file)) continue;
    const r = readDocument(readShared('corpus', 'real', file));
    const expected = listed.filter((s) => !isReplySubject(s));
    const own = r.patches.filter((p) => !isReplySubject(p.subject));
    assert.equal(own.length, expected.length, `${file}: ${own.map((p) => p.subject).join(' | ')}`);
    own.forEach((p, k) =>
      assert.ok(p.subject.startsWith(expected[k]), `${file}: "${p.subject}" is "${expected[k]}"`),
    );
    // a patch under a reply subject is a reply carrying its own diff, never a quoted one
    for (const p of r.patches.filter((q) => isReplySubject(q.subject))) {
      assert.ok(p.files.length > 0 && p.files.every((f) => f.quoteDepth === 0), `${file}: ${p.subject}`);
    }
  }
});

/** version, index, total, cover of each patch: facts of the series files. */
const SERIES: Record<string, [number, number | undefined, number | undefined, boolean][]> = {
  'k05_mse-bit-v4_series.mbox': [
    [4, 0, 3, true],
    [4, 1, 3, false],
    [4, 2, 3, false],
    [4, 3, 3, false],
  ],
  'k10_pf-vf-links_series.mbox': [
    [1, 0, 2, true],
    [1, 1, 2, false],
    [1, 2, 2, false],
  ],
  'k09_pf-vf-links-rfc_thread.mbox': [
    [1, 0, 2, true],
    [1, 1, 2, false],
    [1, 2, 2, false],
  ],
  'q02_s390x-pci-interpretation_series+git-cover-template.mbox': [
    [1, 0, 6, true],
    [1, 1, 6, false],
    [1, 2, 6, false],
    [1, 3, 6, false],
    [1, 4, 6, false],
    [1, 5, 6, false],
    [1, 6, 6, false],
  ],
  'q08_s390x-pci-dma-series.mbox': [
    [1, 1, 2, false],
    [1, 2, 2, false],
  ],
  'k22_qemu-s390x-pull-20190930_cover+pci.mbox': [
    [1, 0, 12, true],
    [1, 2, 12, false],
  ],
  'k18_vf-resizable-bar-v2_patch.eml': [[2, 1, 1, false]],
  'k16_vfio-dmabuf-v9-10of11_patch.eml': [[9, 10, 11, false]],
  'k14_rust-pci-is_virtfn_patch.eml': [[1, 1, 8, false]],
};

test('series files: version, index/total and cover letter of each patch', { skip }, () => {
  for (const [file, want] of Object.entries(SERIES)) {
    const r = readDocument(readShared('corpus', 'real', file));
    assert.deepEqual(
      r.patches.map((p) => [p.version, p.index, p.total, p.isCover]),
      want,
      file,
    );
  }
  const q02 = readDocument(
    readShared('corpus', 'real', 'q02_s390x-pci-interpretation_series+git-cover-template.mbox'),
  );
  assert.equal(q02.patches[0].template, true, "git's *** SUBJECT HERE *** template is the cover letter");
  assert.ok((q02.patches[0].diffstat?.length ?? 0) >= 8, 'with its diffstat');
  const k05 = readDocument(readShared('corpus', 'real', 'k05_mse-bit-v4_series.mbox'));
  assert.deepEqual(
    k05.patches[0].diffstat?.map((d) => d.path),
    [
      'arch/s390/pci/pci_bus.c',
      'drivers/pci/iov.c',
      'drivers/vfio/pci/vfio_pci_config.c',
      'include/linux/pci.h',
    ],
  );
});

test('seed 002: a cover letter, then patches 3/3, 2/3, 1/3 without headers, then replies', { skip }, () => {
  const r = readDocument(readShared('seeds', '002_4b73f9f607840218.txt'));
  // the same v4 series, as k05 lists it: the titles after the tag
  const listed = manifestSubjects().get('k05_mse-bit-v4_series.mbox')!;
  const titles = listed.map((s) => s.replace(/^\[[^\]]*\]\s*/, ''));
  assert.equal(r.kind, 'web-archive');
  assert.deepEqual(
    r.patches.map((p) => [p.isCover, p.version, p.index, p.total]),
    [
      [true, 4, 0, 3],
      [false, 4, 3, 3],
      [false, 4, 2, 3],
      [false, 4, 1, 3],
    ],
  );
  assert.deepEqual(
    r.patches.slice(1).map((p) => p.subject),
    [titles[3], titles[2], titles[1]],
  );
  for (const p of r.patches.slice(1))
    assert.match(p.inferred ?? '', /shortlog/, 'says the subject is inferred');
  assert.equal(r.patches[0].diffstat?.length, 4);
  // replies: Bjorn's review of 1/3, Matthew's answer, then Bjorn and Alex answering Matthew
  const replies = r.messages.filter((m) => m.isReply);
  assert.equal(replies.length, 4);
  assert.deepEqual(
    replies.map((m) => m.replyTo),
    [r.patches[3].messageIndex, replies[0].index, replies[1].index, replies[1].index],
  );
  assert.equal(replies[0].quotes[0].author, 'Matthew Rosato');
  assert.equal(replies[0].author, 'Bjorn Helgaas', 'named by the attribution of the answer that quotes it');
  assert.ok(replies[0].files.some((f) => f.quoteDepth === 1 && f.path === 'drivers/pci/iov.c'));
  assert.ok(replies[1].files.some((f) => f.quoteDepth === 2 && f.path === 'include/linux/pci.h'));
  // every file diff names the message holding it, the quoted ones of the replies too
  for (const m of r.messages) for (const f of m.files) assert.equal(f.messageIndex, m.index, f.path);
  assert.deepEqual(
    r.files.filter((f) => f.quoteDepth > 0).map((f) => [f.range.start.line + 1, f.messageIndex]),
    [
      [207, 4],
      [219, 4],
      [289, 5],
      [301, 5],
      [421, 7],
      [433, 7],
    ],
  );
  // the archive dropped blank context lines: short hunks are warnings that say so, not errors
  const short = r.problems.filter((p) => /announces/.test(p.message));
  assert.ok(short.length > 0);
  for (const p of short) {
    assert.equal(p.severity, 'warning', p.message);
    assert.match(p.message, /a web-archive copy drops blank lines/);
  }
});

test('x02: a quoted @@ line wrapped by the mailer does not end the file diff', { skip }, () => {
  const r = readDocument(
    readShared('corpus', 'real', 'x02_vfio-sriov-configure-reply_base64-body-decoded_CRLF.txt'),
  );
  const pci = r.files.filter((f) => f.path === 'drivers/vfio/pci/vfio_pci.c');
  assert.equal(pci.length, 1);
  assert.deepEqual(
    pci[0].hunks.map((h) => h.headerRange.start.line + 1),
    [47, 63, 102, 122, 142, 151, 161],
  );
  assert.ok(!r.problems.some((p) => /outside any file diff/.test(p.message)));
  // the lines that fit no hunk are named where they are
  const stray = r.problems.filter((p) => /does not fit|do not fit/.test(p.message));
  assert.deepEqual(
    stray.map((p) => p.range.start.line + 1),
    [60, 99],
  );
  for (const f of r.files) assert.equal(f.messageIndex, 0);
});

test(
  'seeds 000 and 004: a cover letter flattened onto one line is still a cover letter with a diffstat',
  { skip },
  () => {
    for (const [file, paths, total] of [
      ['000_fc0ce5d6808c5767.txt', 4, 3],
      ['004_671ec7ac65cd6e97.txt', 13, 8],
    ] as const) {
      const text = readShared('seeds', file);
      const r = readDocument(text);
      assert.equal(r.kind, 'web-archive', file);
      assert.equal(r.patches.length, 1, file);
      assert.equal(r.patches[0].isCover, true, file);
      assert.equal(r.patches[0].total, total, file);
      const stat = r.patches[0].diffstat ?? [];
      assert.equal(stat.length, paths, file);
      const lines = documentLines(text);
      for (const d of stat) assert.ok(textAt(lines, d.range)?.startsWith(d.path), `${file}: ${d.path}`);
    }
  },
);

test(
  'hunk line ranges hold the line text in every seed and corpus file, except where a body was decoded',
  { skip },
  () => {
    const decodedIn = new Set<string>();
    let checked = 0;
    let qpChecked = 0;
    for (const [dir, file] of [
      ...seedFiles().map((f) => ['seeds', f]),
      ...corpusRealFiles().map((f) => ['corpus/real', f]),
    ]) {
      const text = readShared(...dir.split('/'), file);
      const r = readDocument(text);
      const lines = documentLines(text);
      for (const f of r.files) for (const h of f.hunks) checked += h.lines.length;
      for (const bad of misplacedLines(r, lines)) {
        // allowed only in a message whose body is quoted-printable or base64
        const m = r.messages[bad.message];
        const cte = m ? lines.slice(m.range.start.line, m.bodyRange.start.line).join('\n') : '';
        assert.match(
          cte,
          /content-transfer-encoding:\s*(quoted-printable|base64)/i,
          `${file}:${bad.line + 1}: ${JSON.stringify(bad.text)}`,
        );
        decodedIn.add(file);
        if (/quoted-printable/i.test(cte)) {
          // through the decoding: the encoded text at the range decodes to the line's text
          const encoded = encodedSlice(lines, bad.range).replace(/=$/, '');
          assert.equal(decodeQp(encoded), bad.text, `${file}:${bad.line + 1}`);
          qpChecked++;
        }
      }
      for (const f of r.files) {
        for (const h of f.hunks) {
          const at = lines[h.headerRange.start.line].slice(h.headerRange.start.character);
          if (!decodedIn.has(file))
            assert.ok(at.startsWith('@@'), `${file}:${h.headerRange.start.line + 1} starts a hunk`);
        }
      }
    }
    assert.ok(checked > 5000, `${checked} hunk lines checked`);
    assert.ok(qpChecked > 20, `${qpChecked} quoted-printable lines checked through the decoding`);
  },
);

test('encoding traps: CRLF, base64, quoted-printable', { skip }, () => {
  const x02 = readDocument(
    readShared('corpus', 'real', 'x02_vfio-sriov-configure-reply_base64-body-decoded_CRLF.txt'),
  );
  const x03 = readDocument(
    readShared('corpus', 'real', 'x03_vfio-sriov-configure-reply_base64-multipart.eml'),
  );
  const x01 = readDocument(
    readShared('corpus', 'real', 'x01_exttag-vfs-v2-reply_base64-body-decoded_CRLF.txt'),
  );
  const lineTexts = (r: ReturnType<typeof readDocument>) =>
    r.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => [l.kind, l.text])));
  for (const r of [x01, x02]) {
    assert.ok(r.files.length >= 1);
    assert.ok(
      lineTexts(r).every(([, t]) => !t.endsWith('\r')),
      'no CR left in hunk lines',
    );
  }
  assert.equal(x01.files[0].path, 'drivers/pci/probe.c');
  // x03 is x02 as sent (base64): after decoding, the same quoted patch is found
  assert.ok(x03.files.length >= 2, 'the quoted patch is visible after decoding');
  assert.ok(x03.files.every((f) => f.quoteDepth === 1 && f.path.startsWith('drivers/vfio/pci/')));
  assert.deepEqual(
    x03.files.map((f) => [f.path, f.quoteDepth]),
    x02.files.map((f) => [f.path, f.quoteDepth]),
  );
  assert.deepEqual(lineTexts(x03), lineTexts(x02));
  const x03Text = readShared('corpus', 'real', 'x03_vfio-sriov-configure-reply_base64-multipart.eml');
  assert.ok(!x03Text.includes('vfio_pci_sriov_configure'), 'invisible before decoding');
  for (const file of [
    'k17_vf-resizable-bar_outlook-qp-reply.eml',
    'k19_vfio-pci-mmap-s390-v6_qp-reply.eml',
  ]) {
    const r = readDocument(readShared('corpus', 'real', file));
    assert.ok(r.files.length >= 1, file);
    for (const [, t] of lineTexts(r)) {
      assert.ok(!/=3D|=20$|=09/.test(t), `${file}: QP escape left in ${JSON.stringify(t)}`);
    }
  }
  const k17 = readDocument(readShared('corpus', 'real', 'k17_vf-resizable-bar_outlook-qp-reply.eml'));
  assert.ok(
    k17.files.every((f) => f.quoteDepth === 1),
    'the Outlook-quoted patch counts as quoted',
  );
  assert.ok(
    k17.messages[0].quotes.some((q) => q.outlook && q.author),
    'Outlook original message block',
  );
});

test(
  'k06: the Bjorn Helgaas and Alex Williamson replies quote the patch, linked and attributed',
  { skip },
  () => {
    const r = readDocument(readShared('corpus', 'real', 'k06_mse-bit-v4-1of3_review.mbox'));
    assert.equal(r.messages.length, 5);
    const bjorn = r.messages.find((m) => m.author === 'Bjorn Helgaas' && m.files.length > 0)!;
    const alex = r.messages.find((m) => m.author === 'Alex Williamson')!;
    assert.ok(bjorn && alex);
    assert.equal(bjorn.replyTo, 0, 'Bjorn answers the patch');
    assert.equal(r.messages[alex.replyTo!].author, 'Matthew Rosato', 'Alex answers Matthew');
    for (const m of [bjorn, alex]) {
      assert.ok(m.isReply);
      const quoted = m.files.filter((f) => f.quoteDepth > 0);
      assert.ok(
        quoted.some((f) => f.path === 'drivers/pci/iov.c'),
        `${m.author} quotes iov.c`,
      );
      assert.ok(
        m.quotes.some((q) => (q.replyText ?? '').length > 40),
        `${m.author} says something after a quote`,
      );
    }
    assert.equal(bjorn.quotes[0].author, 'Matthew Rosato');
    assert.ok(
      alex.files.some((f) => f.quoteDepth === 3),
      'Alex quotes Matthew quoting Bjorn quoting the patch',
    );
    // the quoted hunk's added line is the patch's own added line
    const own = r.messages[0].files[0].hunks[0].lines.filter((l) => l.kind === 'added').map((l) => l.text);
    const quoted = bjorn.files.find((f) => f.path === r.messages[0].files[0].path)!;
    assert.deepEqual(
      quoted.hunks[0].lines.filter((l) => l.kind === 'added').map((l) => l.text),
      own,
    );
  },
);

test(
  'cut, re-quoted and damaged pieces of every corpus file never throw and keep positions in range',
  { skip },
  () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const file of corpusRealFiles()) {
      const text = readShared('corpus', 'real', file);
      for (let k = 0; k < 8; k++) {
        const a = Math.floor(rnd() * text.length);
        let piece = text.slice(a, a + Math.floor(rnd() * (text.length - a)));
        if (k % 2 === 0)
          piece = piece.replace(/\n/g, () => (rnd() < 0.05 ? '\n> ' : rnd() < 0.02 ? '\r' : '\n'));
        if (k % 3 === 0) piece = piece.replace(/[\s\S]/g, (c) => (rnd() < 0.001 ? '' : c));
        const r = readDocument(piece);
        const where = `${file} piece ${k}`;
        assert.ok(!r.problems.some((p) => /internal error|failed here/.test(p.message)), where);
        for (const f of r.files) {
          for (const h of f.hunks) {
            for (const l of h.lines)
              assert.ok(l.range.start.line >= 0 && l.range.end.line < r.lineCount, where);
          }
        }
      }
    }
  },
);
