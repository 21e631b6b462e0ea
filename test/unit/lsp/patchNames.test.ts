/**
 * Patch sides named as a reviewer names them (issue 14 point 4): "[PATCH v5 3/3] subject", the
 * tag as the mail writes it or built from the series position; a commit by its subject; a loose
 * diff by its file name; never the mbox message index or the server's own policy id.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { PATCH_NAME_MAX, fileNameOf, patchName, patchSides } from '../../../server/src/lsp/patchNames';
import { outlineAnalysis } from '../../../server/src/lsp/serverAnalysis';
import { sharedMissing } from '../../support/shared';
import { analyse, corpus, seed } from '../analysis/support';

describe('a patch by its name', () => {
  test('the subject tag as the mail says it, else built from index/total and version', () => {
    const p = { version: 5, index: 3, total: 3, subject: '[PATCH v5 3/3] vfio/pci: use the bit' };
    assert.equal(patchName(p, 'x.mbox'), '[PATCH v5 3/3] vfio/pci: use the bit');
    assert.equal(
      patchName({ ...p, subject: '[RFC PATCH net-next 3/3] vfio/pci: x' }, 'x'),
      '[RFC PATCH net-next 3/3] vfio/pci: x',
    );
    assert.equal(
      patchName({ ...p, subject: 'vfio/pci: use the bit' }, 'x'),
      '[PATCH v5 3/3] vfio/pci: use the bit',
    );
    assert.equal(patchName({ version: 1, index: 2, total: 4, subject: 's' }, 'x'), '[PATCH 2/4] s');
    assert.equal(patchName({ version: 2, subject: 's' }, 'x'), '[PATCH v2] s');
  });

  test('a commit without a tag by its subject; a loose diff by its file name; long ones cut', () => {
    assert.equal(patchName({ version: 1, subject: 's390x/pci: fix it' }, 'log.txt'), 's390x/pci: fix it');
    assert.equal(patchName({ version: 1, subject: '' }, 'q06.diff'), 'q06.diff');
    const long = patchName({ version: 1, subject: `[PATCH] ${'x'.repeat(300)}` }, 'f');
    assert.equal(long.length, PATCH_NAME_MAX);
    assert.ok(long.endsWith('…'));
    assert.equal(fileNameOf('file:///work/My%20Patch.diff'), 'My Patch.diff');
    assert.equal(fileNameOf('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
});

describe('the sides of real documents', { skip: sharedMissing() }, () => {
  const sidesOf = async (file: string, uri: string) => patchSides(outlineAnalysis(await analyse(file)), uri);

  test('seed 002 (a web archive holding 3/3 first): the series, then 1/3, 2/3, 3/3 in series order', async () => {
    const sides = await sidesOf(seed('002'), 'file:///s/002.txt');
    assert.equal(sides.length, 4);
    assert.match(sides[0].before, /^before \[PATCH v4 1\/3\] PCI\/IOV: /);
    assert.match(sides[0].after, /^after \[PATCH v4 3\/3\] vfio\/pci: /);
    assert.deepEqual(
      sides.slice(1).map((s) => /\[PATCH v4 (\d)\/3\]/.exec(s.before)?.[1]),
      ['1', '2', '3'],
    );
  });

  test('a loose diff is named by its file; cover letters alone have no side', async () => {
    const diff = await sidesOf(corpus('q06_'), 'file:///c/q06_vfio-pci-static-rebar.diff');
    assert.deepEqual(diff, [
      { before: 'before q06_vfio-pci-static-rebar.diff', after: 'after q06_vfio-pci-static-rebar.diff' },
    ]);
    assert.deepEqual(await sidesOf(seed('000'), 'file:///s/000.txt'), []);
  });
});
