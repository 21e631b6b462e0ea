/**
 * Transfer decodings and the way back: every decoded hunk line must map to the encoded text it
 * came from. The samples are written here (a small made-up patch), encoded at test time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readDocument } from '../../../server/src/mail';
import type { Position } from '../../../server/src/common/position';

/** vfio-pci's config-space file (the header line is built, not copied from a real patch). */
const CONFIG_C = 'drivers/vfio/pci/vfio_pci_config.c';

const PATCH = [
  'Make the VF check explicit.',
  '',
  'Signed-off-by: A Tester <a@example.org>',
  '---',
  `diff --git a/${CONFIG_C} b/${CONFIG_C}`,
  'index 1111111..2222222 100644',
  '--- a/drivers/vfio/pci/vfio_pci_config.c',
  '+++ b/drivers/vfio/pci/vfio_pci_config.c',
  '@@ -10,3 +10,3 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)',
  ' \tu16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);',
  '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
  '+\treturn pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY); /* café */',
  ' }',
  '-- ',
  '2.40.0',
].join('\n');

function mail(cte: string, body: string, eol = '\n'): string {
  return (
    [
      'From: A Tester <a@example.org>',
      'Subject: [PATCH] vfio/pci: test',
      'Message-ID: <t1@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Transfer-Encoding: ${cte}`,
      '',
    ].join(eol) +
    eol +
    body
  );
}

/** The document characters from `start` for `n` characters, read line by line. */
function docLines(text: string): string[] {
  return text.split(/\r\n|\n/);
}

function charAt(lines: string[], p: Position): string {
  return lines[p.line]?.[p.character] ?? '';
}

test('quoted-printable: a soft break inside "diff --git" and =XX escapes decode, positions map back', () => {
  const encoded = PATCH.replace(/=/g, '=3D')
    .replace('é', '=C3=A9')
    .replace('b/drivers/vfio/pci/vfio_pci_config.c\nindex', 'b/drivers/vfio/pci/vfio_=\npci_config.c\nindex');
  const text = mail('quoted-printable', encoded);
  const r = readDocument(text);
  assert.equal(r.files.length, 1);
  const f = r.files[0];
  assert.equal(f.path, 'drivers/vfio/pci/vfio_pci_config.c');
  assert.equal(f.hunks.length, 1);
  const added = f.hunks[0].lines.find((l) => l.kind === 'added')!;
  assert.ok(added.text.endsWith('/* café */'), added.text);
  const lines = docLines(text);
  // start and end of the decoded line map into the encoded text: "\t" ... "caf=C3=A9 */"
  assert.equal(charAt(lines, added.range.start), '\t');
  assert.ok(lines[added.range.end.line].slice(0, added.range.end.character).endsWith('/* caf=C3=A9 */'));
  // the file header that the soft break cut in two starts on the first encoded line
  assert.ok(lines[f.range.start.line].startsWith('diff --git a/drivers/vfio/pci/vfio_pci_config.c b/'));
  const removed = f.hunks[0].lines.find((l) => l.kind === 'removed')!;
  assert.ok(
    lines[removed.range.start.line]
      .slice(removed.range.start.character)
      .startsWith('\treturn pdev->is_virtfn'),
  );
});

test('quoted-printable: a body joined into one logical line (=0A and soft breaks) maps every line back', () => {
  // every decoded line of the patch is one encoded line ending in "=0A=": one logical line of
  // the whole body; and the same without soft breaks, all on one encoded line
  const plain = PATCH.replace(/=/g, '=3D').replace('é', '=C3=A9');
  for (const join of ['=\n', '']) {
    const text = mail('quoted-printable', plain.split('\n').join('=0A' + join) + '\n');
    const r = readDocument(text);
    const h = r.files[0].hunks[0];
    const lines = docLines(text);
    for (const l of h.lines) {
      const at = lines[l.range.start.line].slice(l.range.start.character);
      // the encoded text at the start of each decoded line is that line, escaped
      const escaped = l.text.replace(/=/g, '=3D').replace('é', '=C3=A9');
      assert.ok(
        at.startsWith(escaped.slice(0, Math.min(12, escaped.length))),
        `${JSON.stringify(l.text)} at ${at.slice(0, 30)}`,
      );
    }
  }
});

test('base64: the decoded patch becomes visible; decoded lines map to the encoded lines they came from', () => {
  const b64 = Buffer.from(PATCH.replace(/\n/g, '\r\n'), 'utf8').toString('base64');
  const wrapped = b64.match(/.{1,76}/g)!.join('\n');
  const text = mail('base64', wrapped + '\n');
  const r = readDocument(text);
  assert.equal(r.files.length, 1);
  const h = r.files[0].hunks[0];
  assert.equal(h.lines.length, 4);
  const lines = docLines(text);
  const bodyStart = lines.indexOf('') + 1;
  const concatenated = lines.slice(bodyStart).join('');
  for (const l of h.lines) {
    // position -> index k in the concatenated base64 text; its 4-character group decodes to
    // 3 bytes, and byte (k mod 4) of them is the first byte of the line's content
    const p = l.range.start;
    assert.ok(p.line >= bodyStart, `line ${p.line} is in the body`);
    const k = lines.slice(bodyStart, p.line).join('').length + p.character;
    const group = Buffer.from(concatenated.slice(k - (k % 4), k - (k % 4) + 4), 'base64');
    assert.ok(k % 4 < 3, 'a byte starts at characters 0-2 of a group');
    assert.equal(group[k % 4], Buffer.from(l.text, 'utf8')[0], `first byte of ${JSON.stringify(l.text)}`);
  }
  assert.equal(r.patches.length, 1);
  assert.equal(r.patches[0].files.length, 1);
});

test('CRLF line ends give the same diff as LF', () => {
  const lf = readDocument(mail('8bit', PATCH));
  const crlf = readDocument(mail('8bit', PATCH.replace(/\n/g, '\r\n'), '\r\n'));
  assert.equal(crlf.files.length, 1);
  assert.deepEqual(
    crlf.files[0].hunks[0].lines.map((l) => [l.kind, l.text]),
    lf.files[0].hunks[0].lines.map((l) => [l.kind, l.text]),
  );
  assert.deepEqual(crlf.files[0].hunks[0].range, lf.files[0].hunks[0].range);
});

test('multipart: the text/x-patch part is read, HTML is skipped with an info problem', () => {
  const text = [
    'From: A Tester <a@example.org>',
    'Subject: [PATCH] vfio/pci: attached',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="XYZ"',
    '',
    'preamble',
    '--XYZ',
    'Content-Type: text/html',
    '',
    '<p>hi</p>',
    '--XYZ',
    'Content-Type: text/x-patch; charset=us-ascii',
    'Content-Disposition: attachment; filename="0001.patch"',
    '',
    PATCH,
    '--XYZ--',
    '',
  ].join('\n');
  const r = readDocument(text);
  assert.equal(r.files.length, 1);
  assert.ok(r.problems.some((p) => p.severity === 'info' && /text\/html/.test(p.message)));
  const lines = docLines(text);
  const h = r.files[0].hunks[0];
  for (const l of h.lines)
    assert.equal(lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.text);
});
