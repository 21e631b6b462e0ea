/**
 * Hovers for the zPCI names the patches use: each resolves, names its commit, and carries the
 * value the zPCI model's tables have (so a hover and the model cannot disagree).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverMarkdown, lookupSymbol } from '../../../server/src/knowledge/index';
import {
  FH_MASK_ENABLE,
  FH_SHM_EMUL,
  FH_SHM_VFIO,
  PROGRAM_INTERRUPTS,
  ZPCI_PFT_ISM,
  ZPCI_STATUS,
} from '../../../server/src/model/zpci';

const NAMES = [
  'PCILG',
  'PCISTG',
  'PCISTB',
  'pcistb_service_call',
  'fh',
  'FH_MASK_ENABLE',
  'FH_ENABLED',
  'FH_SHM_VFIO',
  'FH_SHM_EMUL',
  'PCIAS',
  'ZPCI_IO_BAR_MAX',
  'maxstbl',
  'imaxstbl',
  'ZPCI_MAX_WRITE_SIZE',
  'CLP_RSP_QPCIG_MASK_RELAXED',
  'relaxed_align',
  'MIO',
  'ISM',
  'ZPCI_PFT_ISM',
  'PFT',
  'interp',
  's390_pci_kvm_interp_allowed',
  's390_pci_msix_init',
  ...Object.keys(ZPCI_STATUS),
  ...Object.keys(PROGRAM_INTERRUPTS),
];

test('every zPCI name the patches use has a hover with its commit', () => {
  for (const name of NAMES) {
    const e = lookupSymbol(name);
    assert.ok(e, `${name} has an entry`);
    // a commit id, or the unmerged RFC the name comes from
    assert.ok(e.commit && /[0-9a-f]{10,}|unmerged: .*RFC/.test(e.commit), `${name}: commit ${e.commit}`);
    assert.ok(hoverMarkdown(e).includes(`*Source:* ${e.commit}`), `${name}: the hover names the commit`);
  }
});

test('the values in the hovers are the zPCI model tables\u2019 values', () => {
  assert.equal(lookupSymbol('FH_MASK_ENABLE')?.value, FH_MASK_ENABLE);
  assert.equal(lookupSymbol('FH_SHM_VFIO')?.value, FH_SHM_VFIO);
  assert.equal(lookupSymbol('FH_SHM_EMUL')?.value, FH_SHM_EMUL);
  assert.equal(lookupSymbol('ISM')?.value, ZPCI_PFT_ISM);
  for (const [name, value] of Object.entries(ZPCI_STATUS))
    assert.equal(lookupSymbol(name)?.value, value, name);
  for (const [name, value] of Object.entries(PROGRAM_INTERRUPTS))
    assert.equal(lookupSymbol(name)?.value, value, name);
  assert.equal(lookupSymbol('ZPCI_PCI_ST_BLOCKED')?.value, 12);
});
