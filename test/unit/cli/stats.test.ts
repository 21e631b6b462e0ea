/** vfio-lens stats: counts per document, the JSON keys, and the usage errors. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { statsCommand } from '../../../server/src/cli/stats';
import { UsageError } from '../../../server/src/cli/args';

const PATCH = [
  'From: A Tester <a@example.org>',
  'Subject: [PATCH v3 2/5] PCI/IOV: mark VFs',
  '',
  'Text.',
  '---',
  'diff --git a/drivers/pci/iov.c b/drivers/pci/iov.c',
  '--- a/drivers/pci/iov.c',
  '+++ b/drivers/pci/iov.c',
  '@@ -1,3 +1,3 @@',
  ' \tvirtfn->is_virtfn = 1;',
  '-\told();',
  '+\tnew();',
  '\\ No newline at end of file',
  '-- ',
  '2.40.0',
  '',
].join('\n');

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await statsCommand(argv);
    return { code, out };
  } finally {
    process.stdout.write = write;
  }
}

test('stats --format json: one object per file, or { documents } for several, with the documented keys', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-stats-'));
  const file = path.join(dir, 'one.patch');
  fs.writeFileSync(file, PATCH);
  const one = await run([file, '--format', 'json', '--repeat', '3']);
  assert.equal(one.code, 0);
  const doc = JSON.parse(one.out);
  assert.deepEqual(Object.keys(doc).sort(), [
    'added',
    'file',
    'files',
    'hunkLines',
    'hunks',
    'kind',
    'messages',
    'parseMs',
    'patches',
    'problems',
    'removed',
  ]);
  assert.equal(doc.messages, 1);
  assert.equal(doc.files, 1);
  assert.equal(doc.hunks, 1);
  assert.equal(doc.hunkLines, 4, 'the "\\ No newline" marker is a hunk-body line');
  assert.equal(doc.added, 1);
  assert.equal(doc.removed, 1);
  assert.equal(typeof doc.parseMs, 'number');
  assert.deepEqual(doc.patches, [
    { subject: '[PATCH v3 2/5] PCI/IOV: mark VFs', version: 3, index: 2, total: 5, cover: false, files: 1 },
  ]);
  const two = JSON.parse((await run([file, file, '--format=json'])).out);
  assert.equal(two.documents.length, 2);
  const text = await run([file]);
  assert.match(text.out, /v3 2\/5: \[PATCH v3 2\/5\] PCI\/IOV: mark VFs/);
  assert.match(text.out, /hunkLines\s+4 \(\+1 -1\)/);
  fs.rmSync(dir, { recursive: true });
});

test('stats: usage errors name the option; --help documents the JSON shape', async () => {
  await assert.rejects(
    () => run(['x', '--format', 'xml']),
    (e: Error) => e instanceof UsageError && /xml/.test(e.message),
  );
  await assert.rejects(
    () => run(['x', '--repeat', '0']),
    (e: Error) => e instanceof UsageError && /--repeat/.test(e.message),
  );
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /"documents"/);
  assert.match(help.out, /parseMs/);
});
