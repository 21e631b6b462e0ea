/**
 * The reader of one hunk side, on C written for these tests: what each statement is read as
 * (checks with their outcomes, switch groups, branch cases, guards, loops, accesses, labels,
 * definitions, fields), fragments cut at either end, GNU case ranges, and the promise that every
 * changed line lands in some item.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readImage, type ItemOf, type ReadItem } from '../../../../server/src/csrc/zpci/reader';
import type { ImageLine } from '../../../../server/src/csrc/zpci/types';
import { exprForm, negate, nameOverlap } from '../../../../server/src/csrc/zpci/cForm';
import { writingCall } from '../../../../server/src/csrc/zpci/roles';
import { ready } from './support';

before(ready);

/** Lines of C; a leading '+' marks a changed line. */
const image = (...lines: string[]): ImageLine[] =>
  lines.map((l) => (l.startsWith('+') ? { text: l.slice(1), changed: true } : { text: l, changed: false }));

const read = (fn: string | undefined, ...lines: string[]) =>
  readImage(image(...lines), 'hw/s390x/s390-pci-inst.c', fn).items;

function only<K extends ReadItem['kind']>(items: ReadItem[], kind: K): ItemOf<K>[] {
  return items.filter((i): i is ItemOf<K> => i.kind === kind);
}

describe('checks and their outcomes', () => {
  test('setcc + status + return: cc 1 with the status', () => {
    const [c] = only(
      read(
        'f',
        'if (pcias > 5) {',
        '    DPRINTF("x\\n");',
        '    setcc(cpu, ZPCI_PCI_LS_ERR);',
        '    s390_set_status_code(env, r1, ZPCI_PCI_ST_INVAL_AS);',
        '    return 0;',
        '}',
      ),
      'check',
    );
    assert.deepEqual([c.condition, c.outcome], ['pcias > 5', { cc: 1, status: 20 }]);
  });
  test('a program interrupt (either spelling), a single-statement body, a CLP response, a plug error', () => {
    const items = read(
      'f',
      'if (r2 & 0x1) {',
      '    program_interrupt(env, PGM_SPECIFICATION, 4);',
      '    return 0;',
      '}',
      'if (!pbdev) {',
      '    stw_p(&ressetpci->hdr.rsp, CLP_RC_SETPCIFN_FH);',
      '    goto out;',
      '}',
      'if (s390_pci_msix_init(pbdev)) {',
      '    error_setg(errp, "MSI-X support is mandatory "',
      '               "in the S390 architecture");',
      '    return;',
      '}',
      'if (!zpci_is_enabled())',
      '    return -ENODEV;',
    );
    assert.deepEqual(
      only(items, 'check').map((c) => c.outcome),
      [
        { pgm: 'PGM_SPECIFICATION' },
        { clp: 'CLP_RC_SETPCIFN_FH' },
        { message: 'MSI-X support is mandatory in the S390 architecture' },
        { ret: '-ENODEV' },
      ],
    );
  });
  test("goto LABEL takes the label's outcome, whether the label comes before or after", () => {
    const items = read(
      'f',
      'if (offset % 8) {',
      '    goto specification_error;',
      '}',
      'return 0;',
      'specification_error:',
      '    s390_program_interrupt(env, PGM_SPECIFICATION, 6, ra);',
      '    return 0;',
    );
    assert.deepEqual(only(items, 'check')[0].outcome, { pgm: 'PGM_SPECIFICATION' });
    assert.deepEqual(only(items, 'label')[0].outcome, { pgm: 'PGM_SPECIFICATION' });
  });
  test("a goto to a label not in the hunk: QEMU's specification_error is known, another stays unresolved", () => {
    const [a, b] = only(
      read(
        'f',
        'if (gaddr & 0x07UL) {',
        '    goto specification_error;',
        '}',
        'if (x) {',
        '    goto elsewhere;',
        '}',
      ),
      'check',
    );
    assert.deepEqual(a.outcome, { pgm: 'PGM_SPECIFICATION' });
    assert.deepEqual(b.outcome, { unresolved: 'elsewhere' });
  });
  test('an if that does more than decide is a guard around what it holds', () => {
    const items = read(
      'f',
      'if (pbdev->interp) {',
      '    if (!ok) {',
      '        setcc(cpu, ZPCI_PCI_LS_INVAL_HANDLE);',
      '        return 0;',
      '    }',
      '}',
    );
    const [g] = only(items, 'guard');
    const [c] = only(items, 'check');
    assert.equal(g.condition, 'pbdev->interp');
    assert.equal(items[c.parent], g);
  });
  test("an if cut at the hunk's end, with no effect yet: a partial check", () => {
    const [c] = only(
      read('f', 'pbdev = s390_pci_find_dev_by_fh(fh);', 'if (!pbdev) {', '    DPRINTF("no dev\\n");'),
      'check',
    );
    assert.deepEqual([c.condition, c.partial], ['!pbdev', true]);
  });
});

describe('switches', () => {
  test('cases that only decide: one check per group, the default as "no case matched"', () => {
    const checks = only(
      read(
        'f',
        'switch (pbdev->state) {',
        'case ZPCI_FS_RESERVED:',
        'case ZPCI_FS_STANDBY:',
        '    setcc(cpu, ZPCI_PCI_LS_INVAL_HANDLE);',
        '    return 0;',
        'case ZPCI_FS_ERROR:',
        '    setcc(cpu, ZPCI_PCI_LS_ERR);',
        '    s390_set_status_code(env, r2, ZPCI_PCI_ST_BLOCKED);',
        '    return 0;',
        'default:',
        '    break;',
        '}',
        'switch (len) {',
        'case 16:',
        'case 32:',
        '    break;',
        'default:',
        '    s390_program_interrupt(env, PGM_SPECIFICATION, 6, ra);',
        '    return 0;',
        '}',
      ),
      'check',
    );
    assert.deepEqual(
      checks.map((c) => [c.condition, c.outcome]),
      [
        ['pbdev->state == ZPCI_FS_RESERVED || pbdev->state == ZPCI_FS_STANDBY', { cc: 3 }],
        ['pbdev->state == ZPCI_FS_ERROR', { cc: 1, status: 12 }],
        ['len != 16 && len != 32', { pgm: 'PGM_SPECIFICATION' }],
      ],
    );
  });
  test('a switch whose cases hold checks is a branch; a GNU case range reads as >= && <=', () => {
    const items = read(
      'f',
      'switch (pcias) {',
      'case ZPCI_IO_BAR_MIN...ZPCI_IO_BAR_MAX:',
      '    if (!len) {',
      '        s390_program_interrupt(env, PGM_OPERAND, ra);',
      '        return 0;',
      '    }',
      '    break;',
      'case ZPCI_CONFIG_BAR:',
      '    break;',
      'default:',
      '    setcc(cpu, ZPCI_PCI_LS_ERR);',
      '    s390_set_status_code(env, r2, ZPCI_PCI_ST_INVAL_AS);',
      '    return 0;',
      '}',
    );
    assert.deepEqual(
      only(items, 'case').map((c) => c.when),
      ['pcias >= ZPCI_IO_BAR_MIN && pcias <= ZPCI_IO_BAR_MAX', 'pcias == ZPCI_CONFIG_BAR', null],
    );
    const checks = only(items, 'check');
    assert.deepEqual(
      checks.map((c) => c.condition),
      ['!len', 'true'],
    );
    assert.equal((items[checks[1].parent] as ItemOf<'case'>).when, null);
  });
  test("a switch cut at the hunk's end: its last group is partial, and the next hunk's cases get its subject", () => {
    const first = readImage(
      image('switch (pbdev->state) {', 'case ZPCI_FS_ERROR:', '    setcc(cpu, ZPCI_PCI_LS_ERR);'),
      'x.c',
      'f',
    );
    const [c] = only(first.items, 'check');
    assert.deepEqual([c.condition, c.partial, c.outcome], ['pbdev->state == ZPCI_FS_ERROR', true, { cc: 1 }]);
    assert.equal(first.openSwitch, 'pbdev->state');
    const next = readImage(
      image(
        'case ZPCI_FS_PERMANENT_ERROR:',
        '    setcc(cpu, ZPCI_PCI_LS_INVAL_HANDLE);',
        '    return 0;',
        '}',
      ),
      'x.c',
      'f',
      first.openSwitch,
    );
    assert.equal(only(next.items, 'check')[0].condition, 'pbdev->state == ZPCI_FS_PERMANENT_ERROR');
  });
});

describe('fragments', () => {
  test('`} else if (...) {` after a block the hunk does not open: the if is read, not garbage', () => {
    const items = read(
      'f',
      '        return 0;',
      '    }',
      '} else if (pcias == 15) {',
      '    if ((4 - (offset & 0x3)) < len) {',
      '        program_interrupt(env, PGM_OPERAND, 4);',
      '        return 0;',
      '    }',
      '} else {',
      '    setcc(cpu, ZPCI_PCI_LS_ERR);',
      '    s390_set_status_code(env, r2, ZPCI_PCI_ST_INVAL_AS);',
      '    return 0;',
      '}',
    );
    assert.deepEqual(
      only(items, 'case').map((c) => c.when),
      ['pcias == 15', null],
    );
    assert.deepEqual(
      only(items, 'check').map((c) => c.condition),
      ['(4 - (offset & 0x3)) < len', 'true'],
    );
  });
  test('a hunk holding the end of one function and a whole new one: each item names its function', () => {
    const items = read(
      'pcilg_service_call',
      '    return 0;',
      '}',
      '',
      'static int helper(int x)',
      '{',
      '+    if (x) {',
      '+        return -EINVAL;',
      '+    }',
      '    return 0;',
      '}',
    );
    assert.deepEqual(
      only(items, 'function').map((f) => f.name),
      ['helper'],
    );
    assert.equal(only(items, 'check')[0].fn, 'helper');
    assert.equal(items.find((i) => i.kind === 'neutral')?.fn, 'pcilg_service_call');
  });
  test('every changed line is in some item; what the reader cannot read is an "other" item', () => {
    const img = image('+    /* a comment */', '+int x = ;;;', '+@@@ not C at all');
    const items = readImage(img, 'x.c', 'f').items;
    const covered = new Set(items.flatMap((i) => i.lines));
    img.forEach((l, i) => assert.ok(!l.changed || covered.has(i), `line ${i} "${l.text}" in no item`));
    assert.ok(items.some((i) => i.kind === 'other'));
    assert.ok(items.some((i) => i.kind === 'neutral' && i.why === 'comment'));
  });
  test('nesting deeper than the reader follows is one "other" item, not a crash', () => {
    const depth = 60;
    const lines = [
      ...Array.from({ length: depth }, () => 'if (a) {'),
      '    x = 1;',
      ...Array.from({ length: depth }, () => '}'),
    ];
    const items = read('f', ...lines.map((l) => `+${l}`));
    assert.ok(items.some((i) => i.kind === 'other' && /deeper/.test(i.why)));
  });
});

describe('other statements', () => {
  test('accesses (with the MemTxResult kept or not), loops, decode, assignments, calls', () => {
    const items = read(
      'f',
      'len = env->regs[r1] & 0x1fff;',
      'result = zpci_write_bar(pbdev, pcias, offset, data, len);',
      'if (s390_cpu_virt_mem_read(cpu, gaddr, ar, buffer, len)) {',
      '    s390_cpu_virt_mem_handle_exc(cpu, ra);',
      '    return 0;',
      '}',
      'for (i = 0; i < len; i += 8) {',
      '    memory_region_dispatch_write(mr, offset + i, 0, 8, MEMTXATTRS_UNSPECIFIED);',
      '}',
      'pbdev->fh |= FH_SHM_VFIO;',
      'qemu_register_reset(s390_pci_reset_cb, pbdev);',
    );
    assert.deepEqual(
      only(items, 'access').map((a) => [a.callee, a.assign ?? '-']),
      [
        ['zpci_write_bar', 'result'],
        ['s390_cpu_virt_mem_read', '-'],
        ['memory_region_dispatch_write', '-'],
      ],
    );
    assert.deepEqual(
      only(items, 'loop').map((l) => [l.variable, l.test, l.step]),
      [['i', 'i < len', 8]],
    );
    assert.deepEqual(
      only(items, 'assign').map((a) => [a.target, a.op, a.value]),
      [
        ['len', '=', 'env->regs[r1] & 0x1fff'],
        ['pbdev->fh', '|=', 'FH_SHM_VFIO'],
      ],
    );
    assert.equal(only(items, 'call')[0].callee, 'qemu_register_reset');
  });
  test('headers: #defines and struct fields (the heading names the struct)', () => {
    const items = readImage(
      image('    uint16_t noi;', '+    uint16_t maxstbl;', '#define ZPCI_IO_BAR_MAX 5'),
      'include/hw/s390x/s390-pci-bus.h',
      'struct S390PCIBusDevice',
    ).items;
    assert.deepEqual(
      only(items, 'field').map((f) => [f.container, f.name, f.touched]),
      [
        ['S390PCIBusDevice', 'noi', false],
        ['S390PCIBusDevice', 'maxstbl', true],
      ],
    );
    assert.deepEqual(only(items, 'define')[0].value, '5');
  });
  test('a kernel struct initialiser: one assignment per designated field', () => {
    const items = readImage(
      image(
        'struct vfio_device_info_cap_zpci_group cap = {',
        '    .header.version = 1,',
        '    .maxstbl = ZPCI_MAX_WRITE_SIZE,',
        '};',
      ),
      'drivers/vfio/pci/vfio_pci_zdev.c',
      'zpci_group_cap',
    ).items;
    assert.deepEqual(
      only(items, 'assign').map((a) => [a.target, a.value]),
      [
        ['vfio_device_info_cap_zpci_group.header.version', '1'],
        ['vfio_device_info_cap_zpci_group.maxstbl', 'ZPCI_MAX_WRITE_SIZE'],
      ],
    );
  });
});

describe('expression forms', () => {
  test('whitespace and parentheses do not change the form; operand order does', () => {
    assert.equal(exprForm('!len || (len > (8 - (offset & 0x7)))'), exprForm('!len||len>8-(offset&7)'));
    assert.notEqual(exprForm('a && b'), exprForm('b && a'));
    assert.equal(exprForm('(len <= 8) || (len % 8)'), exprForm('len <= 8 || len % 8'));
  });
  test('negation without double negation; names read; calls that write through &x', () => {
    assert.equal(negate('!(s390_pci_kvm_interp_allowed())'), 's390_pci_kvm_interp_allowed()');
    assert.equal(negate('a && b'), '!(a && b)');
    assert.equal(nameOverlap('len > pbdev->maxstbl', 'len > 128'), 0.5);
    assert.equal(
      writingCall('!s390_pci_get_host_fh(pbdev, &pbdev->fh) || x'),
      's390_pci_get_host_fh(pbdev, &pbdev->fh)',
    );
    assert.equal(writingCall('zpci_endian_swap(&data, len)'), null);
  });
});
