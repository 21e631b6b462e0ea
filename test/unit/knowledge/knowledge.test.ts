import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  entriesInExpression,
  hoverMarkdown,
  knowledgeAt,
  knowledgeEntries,
  lookupSymbol,
  symbolAt,
} from '../../../server/src/knowledge';

const at = (line: string, needle: string, offset = 1) => line.indexOf(needle) + offset;

test('symbolAt finds the member and its qualifier in pdev->is_virtfn', () => {
  const line = '\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);';
  const s = symbolAt(line, at(line, 'is_virtfn'));
  assert.deepEqual(s, {
    word: 'is_virtfn',
    qualifier: 'pdev',
    start: line.indexOf('pdev'),
    end: line.indexOf(' ||'),
  });
});

test('symbolAt accepts the cursor just after a word and refuses numbers and blanks', () => {
  const line = 'x = PCI_COMMAND_IO;';
  assert.equal(symbolAt(line, line.indexOf(';'))?.word, 'PCI_COMMAND_IO');
  assert.equal(symbolAt('a = 12;', 4), null);
  assert.equal(symbolAt('a  =  b', 2), null);
});

test('knowledgeAt resolves identifiers on diff, quoted and C lines', () => {
  const lines = [
    '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
    '> +\tif (pdev->dev_flags & PCI_DEV_FLAGS_FORCE_COMMAND_MEM)',
    '> > -\tif (offset == PCI_COMMAND && vdev->pdev->is_virtfn) {',
  ];
  assert.equal(knowledgeAt(lines[0], at(lines[0], 'is_virtfn'))?.entry.name, 'is_virtfn');
  assert.equal(knowledgeAt(lines[0], at(lines[0], 'PCI_COMMAND_MEMORY'))?.entry.name, 'PCI_COMMAND_MEMORY');
  assert.equal(knowledgeAt(lines[1], at(lines[1], 'dev_flags'))?.entry.name, 'dev_flags');
  const flag = knowledgeAt(lines[1], at(lines[1], 'FORCE_COMMAND'));
  assert.equal(flag?.entry.name, 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM');
  assert.equal(lines[1].slice(flag!.start, flag!.end), 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM');
  const vf = knowledgeAt(lines[2], at(lines[2], 'is_virtfn', 3));
  assert.equal(lines[2].slice(vf!.start, vf!.end), 'is_virtfn');
  assert.equal(knowledgeAt(lines[2], at(lines[2], 'offset')), null);
});

test('zdev->vfn is found from the member and from the qualifier', () => {
  const line = '\tif (zdev->vfn) {';
  for (const needle of ['vfn', 'zdev']) {
    const k = knowledgeAt(line, at(line, needle));
    assert.equal(k?.entry.name, 'zdev->vfn', needle);
    assert.equal(line.slice(k!.start, k!.end), 'zdev->vfn');
  }
});

test('renamed symbols are found by every spelling', () => {
  assert.equal(lookupSymbol('vfio_pci_device')?.name, 'vfio_pci_core_device');
  assert.equal(lookupSymbol('zpci_iov_setup_virtfn')?.name, 'zpci_bus_setup_virtfn');
});

test('the base covers the symbols the reviewers meet', () => {
  const required = [
    'is_virtfn',
    'physfn',
    'dev_flags',
    'no_command_memory',
    'detached_vf',
    'no_vf_scan',
    'PCI_SRIOV_CTRL_MSE',
    '__vfio_pci_memory_enabled',
    'vfio_basic_config_read',
    'vfio_basic_config_write',
    'vfio_bar_restore',
    'vfio_need_bar_restore',
    'vfio_config_init',
    'vfio_pci_bar_rw',
    'vfio_pci_mmap_fault',
    'vfio_pci_core_device',
    'zdev->vfn',
    'zpci_bus_setup_virtfn',
    'pcibios_bus_add_device',
    'pcibios_enable_device',
    'pci_iov_add_virtfn',
    'PCILG',
    'PCISTG',
    'PCISTB',
    'MIO',
    'ISM',
    'PASID',
    'PRI',
    'ATS',
  ];
  for (const name of required) assert.ok(lookupSymbol(name), name);
  const commandBits = knowledgeEntries.filter((e) => e.kind === 'COMMAND bit' && e.name !== 'PCI_COMMAND');
  assert.deepEqual(
    commandBits.map((e) => e.value),
    [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400],
  );
});

test('every v5.9 dev_flags bit is distinct and documented, and the proposed bit 12 is shown to collide later', () => {
  const v59 = knowledgeEntries.flatMap((e) =>
    (e.bits ?? []).filter((b) => b.kernel === 'v5.9').map((b) => [e.name, b.bit]),
  );
  assert.deepEqual(
    v59.map(([, bit]) => bit),
    [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11],
  );
  const force = lookupSymbol('PCI_DEV_FLAGS_FORCE_COMMAND_MEM')!;
  assert.ok(force.bits?.some((b) => b.bit === 12));
  assert.match(force.trap ?? '', /HAS_MSI_MASKING/);
  assert.equal(lookupSymbol('PCI_DEV_FLAGS_HAS_MSI_MASKING')?.bits?.[0].bit, 12);
  const md = hoverMarkdown(force);
  assert.match(md, /\| v4 proposal \(on v5\.9\) \| 12 \(0x1000\) \|/);
  assert.match(md, /\*\*Trap:\*\*/);
});

test('every entry says what it is, and those with a trap say it on one line', () => {
  for (const e of knowledgeEntries) {
    assert.ok(e.summary.length > 10 && !e.summary.includes('\n'), e.name);
    if (e.trap) assert.ok(!e.trap.includes('\n'), e.name);
  }
  assert.match(hoverMarkdown(lookupSymbol('is_virtfn')!), /detached s390 VF/);
});

test('entriesInExpression lists the operands of a decision expression', () => {
  const names = entriesInExpression('pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)').map(
    (e) => e.name,
  );
  assert.deepEqual(names, ['no_command_memory', 'PCI_COMMAND_MEMORY']);
});

test('the locals of the restore trigger explain themselves', () => {
  const names = entriesInExpression('(new_io && virt_io && !phys_io) || vfio_need_bar_restore(vdev)').map(
    (e) => e.name,
  );
  assert.deepEqual(names, ['new_io', 'virt_io', 'phys_io', 'vfio_need_bar_restore']);
  assert.match(lookupSymbol('phys_io')!.trap ?? '', /reset/);
});

test('every entry names its source', () => {
  for (const e of knowledgeEntries) {
    assert.ok(e.commit && e.commit.length > 5, `${e.name} has no source`);
    assert.match(hoverMarkdown(e), /\*Source:\* /);
  }
});
