/**
 * The lints about capabilities a VF shares with its PF (analysis/configLints.ts), each on C
 * written for the test (an emulation of PASID and PRI for VFs in vfio_pci_config.c, in the shape
 * such a patch takes), and each silent where it does not apply.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeText, initAnalysis } from '../../../server/src/analysis/index';
import type { Finding } from '../../../server/src/analysis/types';

const CONFIG = 'drivers/vfio/pci/vfio_pci_config.c';

/** A mail with one patch of one hunk in `file`: lines with their ' ', '-', '+'. */
function patchMail(file: string, heading: string, lines: string[]): string {
  const old = lines.filter((l) => !l.startsWith('+')).length;
  const now = lines.filter((l) => !l.startsWith('-')).length;
  return [
    'From: Test Author <test@example.com>',
    'Date: Mon, 3 Aug 2020 10:00:00 +0000',
    'Subject: [PATCH] vfio/pci: a change written for the test',
    '',
    'Written for the vfio-lens tests.',
    '---',
    `diff --git a/${file} b/${file}`,
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -1200,${old} +1200,${now} @@ ${heading}`,
    ...lines,
    '',
  ].join('\n');
}

const lints = (text: string, code: string): Finding[] =>
  analyzeText(text, { file: 't.patch' }).result.findings.filter((f) => f.code === code);

const lineOf = (text: string, f: Finding) => text.split('\n')[f.range.start.line];

before(() => initAnalysis());

describe('synthesised-cap-id', () => {
  test("a PASID header built with LTR's ID 0x18, and a #define of PRI as 0x19", () => {
    const text = patchMail(CONFIG, 'static int vfio_ecap_init(struct vfio_pci_core_device *vdev)', [
      ' {',
      '+#define PCI_EXT_CAP_ID_PRI 0x19',
      '+\tif (pdev->is_virtfn) {',
      "+\t\t/* synthesise the PF's PASID capability for the VF */",
      '+\t\tu32 pasid_hdr = PCI_EXT_CAP(0x18, 1, next);',
      '+\t}',
      ' \treturn 0;',
      ' }',
    ]);
    const found = lints(text, 'synthesised-cap-id');
    assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
    const header = found.find((f) => /PCI_EXT_CAP\(0x18/.test(lineOf(text, f)))!;
    assert.match(header.message, /ID 0x18 \(LTR\) for PASID, whose ID is 0x1b/);
    const define = found.find((f) => /#define/.test(lineOf(text, f)))!;
    assert.match(
      define.message,
      /^defines PCI_EXT_CAP_ID_PRI as 0x19; pci_regs\.h has 0x13 \(0x19 is SECPCI\)/,
    );
    assert.equal(header.severity, 'warning');
  });

  test('silent on the right IDs, on a comment, and outside vfio', () => {
    const right = patchMail(CONFIG, 'static int vfio_ecap_init(struct vfio_pci_core_device *vdev)', [
      ' {',
      '+\tu32 pasid_hdr = PCI_EXT_CAP(PCI_EXT_CAP_ID_PASID, 1, next);',
      '+\tu32 pri_hdr = PCI_EXT_CAP(0x13, 1, 0); /* PRI */',
      '+\t/* not PCI_EXT_CAP(0x18, 1, 0) for pasid */',
      ' \treturn 0;',
      ' }',
    ]);
    assert.deepEqual(lints(right, 'synthesised-cap-id'), []);
    const elsewhere = patchMail(
      'drivers/pci/ats.c',
      'int pci_enable_pasid(struct pci_dev *pdev, int features)',
      [' {', '+\tu32 pasid_hdr = PCI_EXT_CAP(0x18, 1, next);', ' }'],
    );
    assert.deepEqual(lints(elsewhere, 'synthesised-cap-id'), []);
  });
});

describe('pri-reset-stopped-per-vf', () => {
  test('emulating PRI Reset and Stopped in vfio: one finding per line, on the line', () => {
    const text = patchMail(
      CONFIG,
      'static int vfio_pri_config_write(struct vfio_pci_core_device *vdev, int pos,',
      [
        ' {',
        '+\tif (ctrl & PCI_PRI_CTRL_RESET)',
        '+\t\tstatus |= PCI_PRI_STATUS_STOPPED;',
        '+\tctrl &= ~PCI_PRI_CTRL_ENABLE;',
        ' \treturn count;',
        ' }',
      ],
    );
    const found = lints(text, 'pri-reset-stopped-per-vf');
    assert.deepEqual(
      found.map((f) => lineOf(text, f).trim()),
      ['+\tif (ctrl & PCI_PRI_CTRL_RESET)', '+\t\tstatus |= PCI_PRI_STATUS_STOPPED;'].map((l) => l.trim()),
    );
    assert.match(
      found[0].message,
      /^emulates PRI Control Reset \(PCI_PRI_CTRL_RESET\) per device: a VF has no PRI/,
    );
    assert.match(found[1].message, /^emulates PRI Status Stopped/);
  });

  test("silent on PRI Enable, and on the PCI core (its pci_reset_pri is the PF's)", () => {
    const enable = patchMail(
      CONFIG,
      'static int vfio_pri_config_write(struct vfio_pci_core_device *vdev, int pos,',
      [' {', '+\tctrl &= ~PCI_PRI_CTRL_ENABLE;', ' }'],
    );
    assert.deepEqual(lints(enable, 'pri-reset-stopped-per-vf'), []);
    const core = patchMail('drivers/pci/ats.c', 'int pci_reset_pri(struct pci_dev *pdev)', [
      ' {',
      '+\tcontrol = PCI_PRI_CTRL_RESET;',
      ' }',
    ]);
    assert.deepEqual(lints(core, 'pri-reset-stopped-per-vf'), []);
  });
});

describe('shared-cap-writable-per-vf', () => {
  const INIT = 'static int __init init_pci_ext_cap_pasid_perm(struct perm_bits *perm)';

  test('a PASID Control row whose writes reach the hardware, and a PRI Control one', () => {
    const text = patchMail(CONFIG, INIT, [
      ' {',
      '+\tp_setw(perm, PCI_PASID_CTRL, NO_VIRT, (u16)ALL_WRITE);',
      '+\tp_setw(perm, PCI_PRI_CTRL, PCI_PRI_CTRL_RESET, PCI_PRI_CTRL_RESET | PCI_PRI_CTRL_ENABLE);',
      ' \treturn 0;',
      ' }',
    ]);
    const found = lints(text, 'shared-cap-writable-per-vf');
    assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
    assert.match(found[0].message, /PCI_PASID_CTRL reach the hardware \(write 0xffffffff, virtualized 0x0\)/);
    assert.match(found[0].message, /the PASID capability is the PF's, shared by every VF/);
    assert.match(found[1].message, /PCI_PRI_CTRL reach the hardware \(write 0x3, virtualized 0x2\)/);
  });

  test('silent when the writes are virtualized (emulated in vconfig), and on ATS (a VF has its own)', () => {
    const text = patchMail(CONFIG, INIT, [
      ' {',
      '+\tp_setw(perm, PCI_PASID_CTRL, (u16)ALL_VIRT, (u16)ALL_WRITE);',
      '+\tp_setw(perm, PCI_ATS_CTRL, NO_VIRT, (u16)ALL_WRITE);',
      ' \treturn 0;',
      ' }',
    ]);
    assert.deepEqual(lints(text, 'shared-cap-writable-per-vf'), []);
  });
});
