/** The kernel line a mail targets: the subject's stable/AUTOSEL tag decides, then an upstream commit, then base-commit. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelLineFromMail } from '../../../../server/src/csrc/config';
import { sharedMissing } from '../../../support/shared';
import { corpusPatches } from './support';

describe('kernelLineFromMail', () => {
  test('stable and AUTOSEL subjects name the line', () => {
    assert.equal(kernelLineFromMail('[PATCH 4.9 58/71] vfio-pci: Mask cap zero', '').line, '4.9');
    assert.equal(kernelLineFromMail('[PATCH AUTOSEL 5.6 184/606] vfio/pci: x', '').line, '5.6');
    assert.equal(kernelLineFromMail('Re: [PATCH 5.15 271/565] vfio/pci: x', '').decidedBy, 'subject');
    assert.equal(kernelLineFromMail('[PATCH 6.1.y] vfio/pci: x', '').line, '6.1');
  });

  test('a revision tag is not a kernel line', () => {
    const r = kernelLineFromMail('[PATCH v5 3/4] vfio/pci: Virtualize PME related registers', '');
    assert.deepEqual([r.line, r.decidedBy], [undefined, 'none']);
  });

  test('an upstream commit the model dates: the tree is older than the variant it makes', () => {
    const r = kernelLineFromMail(
      '[PATCH] vfio-pci: Mask cap zero',
      '\n[ Upstream commit bc138db1b96264b9c1779cf18d5a3b186aa90066 ]\n',
    );
    assert.deepEqual([r.before, r.decidedBy], ['v5.8-rc1', 'upstream-commit']);
    assert.equal(
      kernelLineFromMail('', 'commit fe4bf8d0b6716a423b16495d55b35d3fe515905d upstream.').before,
      'v6.13',
    );
  });

  test('base-commit: the tree has that commit when the model dates it; an unknown one is only evidence', () => {
    const known = kernelLineFromMail('[PATCH] x', 'base-commit: 860be250fc32de9cb24154bf21b4e36f40925707');
    assert.deepEqual([known.atLeast, known.decidedBy], ['v6.15-rc1', 'base-commit']);
    const unknown = kernelLineFromMail('[PATCH] x', 'base-commit: 0123456789abcdef0123456789abcdef01234567');
    assert.equal(unknown.decidedBy, 'none');
    assert.match(unknown.evidence[0], /does not date/);
  });

  test('the subject wins over an upstream commit line', () => {
    const r = kernelLineFromMail(
      '[PATCH 5.4 152/314] x',
      '[ Upstream commit bc138db1b96264b9c1779cf18d5a3b186aa90066 ]',
    );
    assert.deepEqual([r.line, r.before, r.decidedBy], ['5.4', 'v5.8-rc1', 'subject']);
  });

  test('the corpus mails', { skip: sharedMissing() }, () => {
    const line = (f: string) => {
      const p = corpusPatches(f)[0];
      return kernelLineFromMail(p.subject, p.body);
    };
    assert.equal(line('v03').line, '4.19');
    assert.equal(line('v06').line, '5.4');
    assert.equal(line('v23').line, '5.15');
    assert.equal(line('v23').before, 'v6.13');
    assert.equal(line('v19').decidedBy, 'none');
    assert.equal(line('s04').decidedBy, 'none');
  });
});
