/** Comparing C values as the model reads them: same text, same value once names are values, probed, or different with a witness. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sameValue } from '../../../../server/src/csrc/config';
import { ready } from './support';

describe('sameValue', () => {
  before(ready);

  test('the same text, and the same text in other whitespace', () => {
    assert.deepEqual(sameValue('a && b', 'a && b'), {
      same: true,
      how: 'identical',
      detail: 'the same text',
    });
    assert.equal(sameValue('a &&\n\tb', 'a && b').same, true);
  });

  test('a renamed macro of the same value (v27: PCI_VSEC_HDR is PCI_VNDR_HEADER, 4)', () => {
    const s = sameValue('epos + PCI_VSEC_HDR', 'epos + PCI_VNDR_HEADER');
    assert.equal(s.same && s.how, 'same-value-form');
  });

  test('a shift and a macro that masks after it agree on every 32-bit value (v27: PCI_VNDR_HEADER_LEN)', () => {
    const s = sameValue('dword >> PCI_VSEC_HDR_LEN_SHIFT', 'PCI_VNDR_HEADER_LEN(dword)');
    assert.equal(s.same && s.how, 'probed');
  });

  test('is_msi() open-coded (the v6.1 change) is the same decision', () => {
    assert.equal(sameValue('!is_msi(vdev)', 'vdev->irq_type != VFIO_PCI_MSI_IRQ_INDEX').same, true);
  });

  test('cap zero hidden (v06) differs, with the value that shows it', () => {
    const s = sameValue('cap <= PCI_CAP_ID_MAX', 'cap && cap <= PCI_CAP_ID_MAX');
    assert.equal(s.same, false);
    assert.match(s.detail, /cap = 0x0/);
  });

  test('a third condition met by one value of three names is found (v28: pdev->irq == IRQ_NOTCONNECTED)', () => {
    const s = sameValue(
      '!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx',
      '!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx || vdev->pdev->irq == IRQ_NOTCONNECTED',
    );
    assert.equal(s.same, false);
    assert.match(s.detail, /pdev->irq = 0x80000000/);
  });

  test('unsigned arithmetic: a logical shift of the top bit, an all-ones complement', () => {
    assert.equal(sameValue('x >> 31', '(x & 0x80000000) != 0').same, true);
    assert.equal(sameValue('~x & 0xffff', '0xffff ^ (x & 0xffff)').same, true);
  });

  test('past the full product names are sampled, and the sample meets each value of a name with the others', () => {
    // the sample once took each value from an LCG's low bits: offset = 4 never came with
    // no_command_memory = 0, and these two were called the same value after 20,000 probes
    const s = sameValue(
      'offset == PCI_COMMAND && (vdev->pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM)',
      'offset == PCI_COMMAND && vdev->pdev->no_command_memory',
    );
    assert.equal(s.same, false, s.detail);
    assert.match(s.detail, /offset = 0x4/);
    const same = sameValue('(a && b) || (c && d) || e', 'e || (d && c) || (b && a)');
    assert.equal(same.same, true, same.detail);
    assert.match(same.detail, /agree for 20000 probed values/);
  });

  test('a part that cannot be read is never called the same value', () => {
    assert.equal(sameValue('a = 1', 'a = 2').same, false);
  });
});
