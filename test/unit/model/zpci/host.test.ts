/**
 * The host layer: the domain doc's §7 rows (s390_pci_mmio_write / read per kernel form) and §5
 * rows (ISM), and how QEMU's accesses reach the device through the host.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ZPCI_DEVICE_KINDS,
  ZPCI_PFT_ISM,
  hostMmio,
  maxIoSize,
  maxWriteSizePowerOfTwo,
  vfioCoreSplit,
  zdevGroupInfo,
} from '../../../../server/src/model/zpci';
import type { MmioRequest } from '../../../../server/src/model/zpci';
import { cat, last, outcome, trace, zpci } from './support';

before(zpci);

const MAPPED = { io: true, pfnmap: true, read: true, write: true };
const req = (r: Partial<MmioRequest>): MmioRequest => ({
  op: 'write',
  mmioAddr: 0x10000,
  length: 8,
  userBuffer: 0x20000,
  haveMio: false,
  vma: MAPPED,
  ...r,
});
const mmio = (host: string, r: Partial<MmioRequest>) => hostMmio(cat().host(host), req(r));
const sizes = (host: string, r: Partial<MmioRequest>) =>
  mmio(host, r).chunks.map((c) => `${c.instruction}:${c.size}`);
const ALL_HOSTS = ['host-v5.7', 'host-v5.8', 'host-v5.10', 'host-v6.0', 'host-v6.8', 'host-v6.15'];
const VMA_VALIDATED = ['host-v6.0', 'host-v6.8', 'host-v6.15'];

describe('§7 s390_pci_mmio_write / s390_pci_mmio_read', () => {
  for (const h of ALL_HOSTS)
    for (const op of ['write', 'read'] as const) {
      test(`§7 zPCI not enabled — ${h} ${op}: -ENODEV`, () =>
        assert.equal(mmio(h, { op, zpciEnabled: false }).ret, '-ENODEV'));
      test(`§7 zero length or page-crossing — ${h} ${op}: -EINVAL`, () => {
        assert.equal(mmio(h, { op, length: 0 }).ret, '-EINVAL');
        assert.equal(mmio(h, { op, mmioAddr: 0x10ff8, length: 16 }).ret, '-EINVAL');
        assert.equal(mmio(h, { op, mmioAddr: 0x10ff8, length: 8 }).ret, '0');
      });
    }
  for (const h of ALL_HOSTS.slice(1))
    test(`§7 MIO machine — ${h}: PCISTB_MIO for chunks above 8, else PCISTG_MIO; reads PCILG_MIO of at most 8`, () => {
      assert.deepEqual(sizes(h, { haveMio: true, length: 64 }), ['PCISTB_MIO:64']);
      assert.deepEqual(sizes(h, { haveMio: true, length: 4 }), ['PCISTG_MIO:4']);
      assert.deepEqual(sizes(h, { op: 'read', haveMio: true, length: 16 }), ['PCILG_MIO:8', 'PCILG_MIO:8']);
    });
  test('§7 MIO path added by f058599e22d5 — host-v5.7 on a MIO machine: the mapping is no iomap address, -EFAULT', () => {
    const r = mmio('host-v5.7', { haveMio: true });
    assert.equal(r.ret, '-EFAULT');
    assert.ok(r.notes.some((n) => /no MIO path/.test(n)));
  });
  for (const h of ['host-v5.8', 'host-v5.10', 'host-v6.0'])
    test(`§7 chunking before 80df7d6af7f6 — ${h}: the largest power of two both addresses are aligned to`, () => {
      assert.deepEqual(sizes(h, { haveMio: true, mmioAddr: 0x1008, userBuffer: 0x2008, length: 24 }), [
        'PCISTG_MIO:8',
        'PCISTB_MIO:16',
      ]);
    });
  for (const h of ['host-v6.8', 'host-v6.15'])
    test(`§7 chunking since 80df7d6af7f6 — ${h}: whole chunk when 8-aligned, capped at 128 and at the 4 KiB boundary of the memory argument`, () => {
      assert.deepEqual(sizes(h, { haveMio: true, mmioAddr: 0x1008, userBuffer: 0x2008, length: 24 }), [
        'PCISTB_MIO:24',
      ]);
      assert.deepEqual(sizes(h, { haveMio: true, mmioAddr: 0x1000, userBuffer: 0x2ff8, length: 64 }), [
        'PCISTG_MIO:8',
        'PCISTB_MIO:56',
      ]);
      assert.deepEqual(sizes(h, { haveMio: true, length: 200 }), ['PCISTB_MIO:128', 'PCISTB_MIO:72']);
      assert.deepEqual(sizes(h, { haveMio: true, mmioAddr: 0x1004, length: 12 }), [
        'PCISTG_MIO:8',
        'PCISTG_MIO:4',
      ]);
    });
  test('§7 chunking rules themselves (zpci_get_max_write_size, zpci_get_max_io_size)', () => {
    assert.equal(maxWriteSizePowerOfTwo(0x1000, 0x2000, 200, 128), 128);
    assert.equal(maxWriteSizePowerOfTwo(0x1004, 0x2000, 200, 128), 4);
    assert.equal(maxIoSize(0x1000, 0x2ff0, 200, 128), 16);
    assert.equal(maxIoSize(0x1001, 0x2000, 6, 128), 4);
  });
  for (const h of ALL_HOSTS)
    test(`§7 non-MIO buffer — ${h}: kmalloc above 64 bytes`, () => {
      assert.ok(mmio(h, { length: 128 }).notes.some((n) => /kmalloc/.test(n)));
      assert.ok(!mmio(h, { length: 64 }).notes.some((n) => /kmalloc/.test(n)));
    });
  for (const h of VMA_VALIDATED) {
    test(`§7 non-MIO VMA — ${h}: none or not VM_IO/VM_PFNMAP -> -EINVAL; write without VM_WRITE -> -EACCES`, () => {
      assert.equal(mmio(h, { vma: undefined }).ret, '-EINVAL');
      assert.equal(mmio(h, { vma: { read: true, write: true } }).ret, '-EINVAL');
      assert.equal(mmio(h, { vma: { io: true, read: true } }).ret, '-EACCES');
    });
    test(`§7 non-MIO VMA read — ${h}: ${h === 'host-v6.15' ? 'VM_READ from aa9f168d55dc' : '!VM_WRITE -> -EACCES'}`, () => {
      const readOnly = mmio(h, { op: 'read', vma: { io: true, read: true } }).ret;
      assert.equal(readOnly, h === 'host-v6.15' ? '0' : '-EACCES');
    });
    test(`§7 io address below ZPCI_IOMAP_ADDR_BASE — ${h}: write returns 0 without writing; read -EFAULT`, () => {
      const w = mmio(h, { ioAddrInIomap: false });
      assert.equal(w.ret, '0');
      assert.deepEqual(w.chunks, []);
      assert.ok(w.notes.some((n) => /without writing/.test(n)));
      assert.equal(mmio(h, { op: 'read', ioAddrInIomap: false }).ret, '-EFAULT');
    });
    test(`§7 pfn lookup fails — ${h}: ${h === 'host-v6.15' ? 'faulted in and retried (aa9f168d55dc)' : 'the error is returned'}`, () => {
      assert.equal(mmio(h, { ptePresent: false }).ret, h === 'host-v6.15' ? '0' : 'the lookup error');
    });
  }
  for (const h of ['host-v5.8', 'host-v5.10'])
    test(`§7 the older get_pfn form (torvalds/linux 05909cd9a0c8) — ${h}: no VM_IO test, read needs VM_READ, a low io address is -EFAULT`, () => {
      assert.equal(mmio(h, { vma: { read: true, write: true } }).ret, '0');
      assert.equal(mmio(h, { op: 'read', vma: { read: true } }).ret, '0');
      assert.equal(mmio(h, { ioAddrInIomap: false }).ret, '-EFAULT');
    });
  for (const h of ALL_HOSTS)
    test(`§7 non-MIO copy — ${h}: zpci_memcpy_toio through the function handle (PCISTB above 8 bytes, else PCISTG)`, () => {
      const s = sizes(h, { length: 64 });
      assert.ok(
        s.every((x) => /^PCIST[BG]:/.test(x)),
        s.join(),
      );
    });
});

describe('§5 ISM specifics', () => {
  const ism = ZPCI_DEVICE_KINDS.find((d) => d.id === 'ism')!;
  test('§5 PCI Function Type 5 (ZPCI_PFT_ISM)', () => assert.equal(ism.pft, ZPCI_PFT_ISM));
  test('§5 no MSI-X capability -> hit by the plug fence', () => {
    assert.equal(ism.hasMsix, false);
    assert.match(outcome(last('v6.0', 'ism', 'plug')), /^refused:MSI-X/);
  });
  test('§5 classic fh instructions, not MIO; writes need PCISTB; stores must not be fragmented', () => {
    assert.equal(ism.mio, false);
    assert.equal(ism.needsBlockStores, true);
    const o = last('v2.3', 'ism', 'plug; enable; pcistb 0 0 64');
    assert.equal(o.delivery?.host?.instruction, 'PCISTG');
    assert.equal(o.delivery?.host?.mio, false);
    assert.match(o.delivery?.host?.problem ?? '', /one non-MIO PCISTB/);
  });
  test('§5 BAR0 is 256 TiB', () => assert.equal(ism.bars[0], 2 ** 48));
  test('§5 max PCISTB payload 4096 bytes', () => assert.equal(ism.firmware.maxstbl, 4096));
  test('§5 reset on QEMU system reset (03451953c79e, v8.0.0): interpreted ISM devices', () => {
    assert.equal(outcome(last('v8.0', 'ism', 'plug; enable; reset')), 'state:reset:ism-device');
    assert.equal(outcome(last('v7.2', 'ism', 'plug; enable; reset')), 'state:reset');
    assert.equal(outcome(last('v8.0', 'zpci-interpreted', 'plug; enable; reset')), 'state:reset');
  });
  test('§5 2026 ism-vfio-pci: a write of N bytes is one non-MIO PCISTB of N bytes', () => {
    const o = last('rfc-msix_fence', 'ism', 'plug; enable; pcistg 0 0 8', 'host-ism_vfio');
    assert.deepEqual(
      [o.delivery?.host?.instruction, o.delivery?.host?.size, o.delivery?.host?.count],
      ['PCISTB', 8, 1],
    );
    assert.equal(o.delivery?.host?.problem, undefined);
  });
  test("§5 2026 ism-vfio-pci: QEMU's 8-byte pieces of a block store stay fragmented", () => {
    const o = last('rfc-ism', 'ism', 'plug; enable; pcistb 0 0 128', 'host-ism_vfio');
    assert.equal(o.delivery?.host?.instruction, 'PCISTB');
    assert.equal(o.delivery?.host?.count, 16);
    assert.match(o.delivery?.host?.problem ?? '', /fragmented: 16 PCISTBs of 8 bytes instead of one of 128/);
  });
  test('§5 2026 ism-vfio-pci: -EINVAL above maxstbl or crossing 4 KiB (the rule as C text)', () => {
    const host = cat().host('host-ism_vfio');
    assert.deepEqual(
      host.ismWrite.map((c) => c.condition),
      ['count > zdev->maxstbl', '(pos & 0xfff) + count > 0x1000'],
    );
  });
  test('§5 the RFC zPCI I/O region re-issues the guest block as one PCISTB', () => {
    const o = last('rfc-ism', 'ism', 'plug; enable; pcistb 0 0 4096', 'host-rfc-zpci_io');
    assert.equal(outcome(o), 'accepted');
    assert.deepEqual(
      [o.delivery?.path, o.delivery?.host?.instruction, o.delivery?.host?.size],
      ['zpci-io-region', 'PCISTB', 4096],
    );
  });
});

describe('host: the CLP values vfio-pci reports, and its split of region accesses', () => {
  const kind = (id: string) => ZPCI_DEVICE_KINDS.find((d) => d.id === id)!;
  test('no zPCI caps before e6b817d4b821 (v5.10)', () => {
    assert.equal(zdevGroupInfo(cat().host('host-v5.8').spec, kind('ism')).present, false);
  });
  test('GROUP.maxstbl is ZPCI_MAX_WRITE_SIZE (128), whatever the firmware says (z16)', () => {
    const g = zdevGroupInfo(cat().host('host-v5.10').spec, kind('ism'));
    assert.deepEqual([g.present, g.maxstbl, g.version, g.imaxstbl], [true, 128, 1, undefined]);
  });
  test('imaxstbl from ba6090ff8ae0 (cap version 2)', () => {
    const g = zdevGroupInfo(cat().host('host-v6.0').spec, kind('zpci-interpreted'));
    assert.deepEqual([g.version, g.imaxstbl], [2, kind('zpci-interpreted').firmware.imaxstbl]);
  });
  test('vfio_pci_core_do_io_rw splits into aligned 8/4/2/1-byte pieces', () => {
    assert.deepEqual(vfioCoreSplit(0, 8), [8]);
    assert.deepEqual(vfioCoreSplit(2, 8), [2, 4, 2]);
    assert.deepEqual(vfioCoreSplit(1, 3), [1, 2]);
  });
  test('an emulated device has no host path', () => {
    assert.equal(trace('v6.0', 'zpci-emulated', 'plug; enable; pcistg 0 0 8')[2].delivery?.host, undefined);
  });
});
