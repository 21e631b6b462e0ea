import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDocument } from '../../../server/src/mail/index';

const mail = [
  'From: Ann Example <ann@example.org>',
  'Subject: [PATCH] vfio/pci: keep Command MEMORY for VFs',
  '',
  'Body text: not a trailer.',
  'Signed-off-by: Ann Example <ann@example.org>  ',
  'Reviewed-and-tested-by: Bob <bob@example.org>',
  'Fixes: 0123456789ab ("vfio/pci: an older change")',
  'Message-ID: <1@example.org>',
  'Message-Id: <2@example.org>',
  'Acked-by:',
  'Acked-by:    ',
  'Reviewed--by: Two Dashes',
  'Tested-By: Capital By',
  'Cc: stable@vger.kernel.org',
  'CC: shouting',
  'Link2: digits are no trailer name',
  'Suggested-by:\tTab Separated',
  'Reviewed-by: Zoë Ünïcode <z@example.org>\u00a0',
  'Tested-by: cut\u2028here',
  '---',
  'Signed-off-by: after the cut is no trailer',
  '',
].join('\n');

test('trailers: names as the kernel writes them, values trimmed, ranges on their lines', () => {
  const r = readDocument(mail);
  const got = r.messages[0].trailers.map((t) => [t.name, t.value, t.range.start.line, t.range.end.character]);
  assert.deepEqual(got, [
    ['Signed-off-by', 'Ann Example <ann@example.org>', 4, 46],
    ['Reviewed-and-tested-by', 'Bob <bob@example.org>', 5, 45],
    ['Fixes', '0123456789ab ("vfio/pci: an older change")', 6, 49],
    ['Message-ID', '<1@example.org>', 7, 27],
    ['Message-Id', '<2@example.org>', 8, 27],
    ['Cc', 'stable@vger.kernel.org', 13, 26],
    ['Suggested-by', 'Tab Separated', 16, 27],
    // non-ASCII: trimmed as trim() does (U+00A0 too); a U+2028 inside the value is no trailer
    ['Reviewed-by', 'Zoë Ünïcode <z@example.org>', 17, 41],
  ]);
  // JSON (what the language server sends) carries the lazily placed range
  const json = JSON.parse(JSON.stringify(r.messages[0].trailers[0]));
  assert.deepEqual(json.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 46 } });
});
