/**
 * The rows of ../shared/domain/vfio-config-space.md sections 1–8 (and section 8 of
 * zpci-and-shared-capabilities.md), each for every variant it dates, as expectations written
 * here. Where the kernel source and the doc differ, the row follows the source and says why.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CfgObservation } from '../../../../server/src/model/vfio/config';
import { branches, last, ready, trace } from './support';

const ALL = [
  'v3.6',
  'v4.19',
  'v5.7',
  'v5.8-rc1',
  'v5.8',
  'v5.10',
  'v5.19',
  'v6.4',
  'v6.13',
  'v6.14',
  'v6.15-rc1',
  'v6.15',
  'mainline',
];
const from = (v: string) => ALL.slice(ALL.indexOf(v));
const until = (v: string) => ALL.slice(0, ALL.indexOf(v));

interface Row {
  name: string;
  kind: string;
  variants: string[];
  script: string;
  check: (o: CfgObservation, t: CfgObservation[]) => void;
}

const hwTo = (o: CfgObservation, offset: number) => o.hardware.filter((h) => h.offset === offset);
const has = (o: CfgObservation, kind: string) => o.effects.some((e) => e.kind === kind);

const ROWS: Row[] = [
  // §1 the permission-bit mechanism and the primitives
  {
    name: '§1 alloc_perm_bits zero state: a field without a row reads hardware, is not writable (PCIe DEVCAP)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_EXP_DEVCAP 4 0; cfg-read PCI_EXP_DEVCAP 4',
    check: (o, t) => {
      assert.equal(o.value, 0x10008002);
      assert.deepEqual(t[1].hardware, []);
      assert.equal(t[1].dropped.length, 1);
    },
  },
  {
    name: '§1 shared tables: a capability without an init has no writefn, writes dropped (ATS Control)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_ATS_CTRL 2 0x8000',
    check: (o) => {
      assert.deepEqual(o.hardware, []);
      assert.equal(o.dropped.length, 1);
    },
  },
  {
    name: '§1 unassigned bytes raw (be2net) since 3.7; S3.6 reads 0 (hidden PASID bytes)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-read PCI_PASID_CAP 2',
    check: () => undefined,
  },
  {
    name: '§1.1 default write is read-modify-write of the whole width: a 4-byte Command write writes Status back',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_COMMAND 4 0x00000006',
    check: (o) => {
      const h = hwTo(o, 0x04)[0];
      assert.equal(h.width, 4);
      assert.equal(h.value >>> 16, 0x0010);
    },
  },
  {
    name: '§1.1 direct read: a std capability NEXT comes from vconfig (ID 0 capability unlinked)',
    kind: 'cap-id-zero',
    variants: from('v5.8-rc1'),
    script: 'open; cfg-read 0x41 1',
    check: (o) => assert.equal(o.value, 0x50),
  },
  {
    name: '§1.2 bounds: an access past cfg_size is -EFAULT',
    kind: 'conventional',
    variants: ALL,
    script: 'open; cfg-read 0xfe 4',
    check: (o) => assert.equal(o.outcome, 'EFAULT'),
  },
  {
    name: '§1.2 chopping at the capability boundary: a dword read across MSI (10 bytes) and a gap is two chunks',
    kind: 'conventional',
    variants: from('v4.19'),
    script: 'open; cfg-read 0x50 4',
    check: (o) =>
      assert.deepEqual(
        o.chunks.map((c) => c.width),
        [2, 2],
      ),
  },
  {
    name: '§1.2 S3.6: map per dword, chop by alignment only: the MSI data dword is unassigned and reads 0',
    kind: 'conventional',
    variants: ['v3.6'],
    script: 'open; cfg-read 0x50 4',
    check: (o) => {
      assert.deepEqual(
        o.chunks.map((c) => c.width),
        [4],
      );
      assert.equal(o.value, 0);
    },
  },
  // §2 standard header
  {
    name: '§2 Vendor/Device virtualized read-only: a VF reads the IDs from pdev',
    kind: 'vf-pcie',
    variants: ALL,
    script: 'open; cfg-read PCI_VENDOR_ID 4',
    check: (o) => assert.equal(o.value, (0x154c << 16) | 0x8086),
  },
  {
    name: '§2 Command INTX_DISABLE virtual: masks INTx, never reaches the hardware',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_COMMAND 2 0x0406',
    check: (o) => {
      assert.ok(has(o, 'intx-masked'));
      assert.equal(hwTo(o, 0x04)[0].value & 0x400, 0);
    },
  },
  {
    name: '§2 BARs fully virtual, sized by vfio_bar_fixup from the resource (1 MiB, 64-bit, prefetchable)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_BASE_ADDRESS_0 4 0xffffffff; cfg-read PCI_BASE_ADDRESS_0 4',
    check: (o, t) => {
      assert.equal(o.value, 0xfff0000c);
      assert.deepEqual(t[1].hardware, []);
    },
  },
  {
    name: '§2 Interrupt Line virtual scratch',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_INTERRUPT_LINE 1 0x55; cfg-read PCI_INTERRUPT_LINE 1',
    check: (o, t) => {
      assert.equal(o.value, 0x55);
      assert.deepEqual(t[1].hardware, []);
    },
  },
  {
    name: '§2 Interrupt Pin: hardware in S3.6 (not virtualized), read-only always',
    kind: 'vf-pcie',
    variants: ['v3.6'],
    script: 'open; cfg-write PCI_INTERRUPT_PIN 1 0; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o, t) => {
      assert.equal(o.value, 1);
      assert.equal(t[1].dropped.length, 1);
    },
  },
  // §3 capabilities and their write functions
  {
    name: '§3.1 S3.6 PMCSR NO_VIRT ALL_WRITE: PowerState written straight to the device',
    kind: 'pf-pcie',
    variants: ['v3.6'],
    script: 'open; set-power D3hot',
    check: (o) => assert.ok(o.effects.some((e) => e.kind === 'power' && e.by === 'hardware')),
  },
  {
    name: '§3.1 vfio_pm_config_write traps PowerState and sets it through vfio',
    kind: 'pf-pcie',
    variants: from('v4.19'),
    script: 'open; set-power D3hot',
    check: (o) => assert.ok(o.effects.some((e) => e.kind === 'power' && e.by === 'vfio' && e.to === 3)),
  },
  {
    name: '§3.1 entering D3hot through PM_CTRL zaps the mmaps (vfio_lock_and_set_power_state, v5.19)',
    kind: 'pf-pcie',
    variants: from('v5.19'),
    script: 'open; set-power D3hot',
    check: (o) => assert.ok(has(o, 'mmaps-zapped')),
  },
  {
    name: '§3 PM PMC PME_Support virtualized and 0 (v5.19)',
    kind: 'pf-pcie',
    variants: from('v5.19'),
    script: 'open; cfg-read PCI_PM_PMC 2',
    check: (o) => assert.equal(o.value, 0x0003),
  },
  {
    name: '§3 PM PMC PME_Support from hardware before v5.19',
    kind: 'pf-pcie',
    variants: until('v5.19'),
    script: 'open; cfg-read PCI_PM_PMC 2',
    check: (o) => assert.equal(o.value, 0xc803),
  },
  {
    name: '§3 PMCSR PME_Status virtual and 0 at open (v5.19); hardware before',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-read PCI_PM_CTRL 2',
    check: () => undefined,
  },
  {
    name: '§3.1 S3.6 VPD raw: writes reach the hardware',
    kind: 'pf-pcie',
    variants: ['v3.6'],
    script: 'open; cfg-write PCI_VPD_ADDR 2 0',
    check: (o) => assert.equal(hwTo(o, 0xae).length, 1),
  },
  {
    name: '§3.1 vfio_vpd_config_write: F=0 reads VPD into virtual DATA and toggles F',
    kind: 'pf-pcie',
    variants: from('v4.19'),
    script: 'open; cfg-write PCI_VPD_ADDR 2 0; cfg-read PCI_VPD_ADDR 4',
    check: (o, t) => {
      assert.ok(t[1].effects.some((e) => e.kind === 'vpd' && e.op === 'read'));
      assert.deepEqual(t[1].hardware, []);
      assert.equal(o.value, 0x10828000);
    },
  },
  {
    name: '§3.1 MSI flags: ENABLE forced 0 unless vfio enabled MSI, QSIZE clamped to msi_qmax, written to hardware',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_MSI_FLAGS 2 0x0071',
    check: (o) => {
      const h = hwTo(o, 0x52)[0];
      assert.equal(h.value & 0x71, 0);
    },
  },
  {
    name: '§3.1 MSI flags keep ENABLE once VFIO_DEVICE_SET_IRQS enabled MSI',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; enable-msi; cfg-write PCI_MSI_FLAGS 2 0x0071',
    check: (o) => assert.equal(hwTo(o, 0x52)[0].value & 1, 1),
  },
  {
    name: '§3.1 vfio_msi_config_read: Multiple Message Capable from msi_qmax',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-read PCI_MSI_FLAGS 2',
    check: (o) => assert.equal(o.value, 0x0180),
  },
  {
    name: '§3 MSI-X: default perms, Message Control writes dropped',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_MSIX_FLAGS 2 0x8000',
    check: (o) => {
      assert.deepEqual(o.hardware, []);
      assert.equal(o.dropped.length, 1);
    },
  },
  {
    name: '§3.1 S3.6 DEVCTL NO_VIRT: FLR written to the device, which resets itself',
    kind: 'pf-pcie',
    variants: ['v3.6'],
    script: 'open; cfg-write PCI_EXP_DEVCTL 2 0xa930',
    check: (o) => assert.ok(o.effects.some((e) => e.kind === 'function-reset' && e.by === 'hardware')),
  },
  {
    name: '§3.1 vfio_exp_config_write: virtual BCR_FLR cleared, reset by vfio (DEVCAP FLR), reads back 0',
    kind: 'pf-pcie',
    variants: from('v4.19'),
    script: 'open; cfg-write PCI_EXP_DEVCTL 2 0xa930; cfg-read PCI_EXP_DEVCTL 2',
    check: (o, t) => {
      assert.ok(t[1].effects.some((e) => e.kind === 'function-reset' && e.by === 'vfio'));
      assert.equal((o.value ?? -1) & 0x8000, 0);
    },
  },
  {
    name: '§3.1 MRRS virtual: a changed READRQ sets the hardware through pcie_set_readrq',
    kind: 'pf-pcie',
    variants: from('v4.19'),
    script: 'open; cfg-write PCI_EXP_DEVCTL 2 0x5930',
    check: (o) => assert.ok(o.effects.some((e) => e.kind === 'readrq-set' && e.bytes === 4096)),
  },
  {
    name: '§3.1 MPS virtual only: the hardware keeps its payload size',
    kind: 'pf-pcie',
    variants: from('v4.19'),
    script: 'open; cfg-write PCI_EXP_DEVCTL 2 0x2950; cfg-read PCI_EXP_DEVCTL 2',
    check: (o, t) => {
      assert.equal(o.value, 0x2950);
      assert.equal(hwTo(t[1], 0x88)[0].value & 0xe0, 0x20);
    },
  },
  {
    // The doc: S3.6 AF_CTRL NO_VIRT, FLR written to hardware. The source: the v3.6 map is per dword
    // (memset(map + pos / 4, cap, len / 4)), so a 6-byte AF capability maps one dword and AF_CTRL at
    // +4 is unassigned, where v3.6 drops writes. The row follows the source.
    name: '§3.1 S3.6 AF_CTRL: unassigned under the per-dword map of a 6-byte AF, the write is dropped',
    kind: 'conventional',
    variants: ['v3.6'],
    script: 'open; cfg-write PCI_AF_CTRL 1 1',
    check: (o) => {
      assert.deepEqual(o.hardware, []);
      assert.equal(o.dropped.length, 1);
    },
  },
  {
    name: '§3.1 vfio_af_config_write: reset by vfio when AF_CAP has FLR and TP',
    kind: 'conventional',
    variants: from('v4.19'),
    script: 'open; cfg-write PCI_AF_CTRL 1 1',
    check: (o) => assert.ok(o.effects.some((e) => e.kind === 'function-reset' && e.by === 'vfio')),
  },
  {
    name: '§3 Vendor capability: vfio_raw_config_write, any byte to the hardware',
    kind: 'dvsec',
    variants: ALL,
    script: 'open; cfg-write 0x4c 4 1',
    check: (o) => assert.equal(hwTo(o, 0x4c).length, 1),
  },
  {
    name: '§3 capability ID 0 treated as the 64-byte header before bc138db1b962: reads beyond the basic table are undefined',
    kind: 'cap-id-zero',
    variants: until('v5.8-rc1'),
    script: 'open; cfg-read 0x48 1',
    check: (o) => assert.equal(o.outcome, 'undefined'),
  },
  {
    name: '§3/§5 capability ID 0 hidden (bc138db1b962): unlinked, its bytes raw',
    kind: 'cap-id-zero',
    variants: from('v5.8-rc1'),
    script: 'open; cfg-walk; cfg-read 0x48 1',
    check: (o, t) => {
      assert.deepEqual(
        t[1].chain?.filter((c) => c.space === 'std').map((c) => c.id),
        [1, 5, 0x11, 0x10],
      );
      assert.equal(o.value, 0);
    },
  },
  // §4 extended capabilities
  {
    name: '§4 AER: header virtual RO, UNCOR_STATUS writable to hardware (W1C)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_ERR_UNCOR_STATUS 4 0xffffffff; cfg-read PCI_ERR_UNCOR_STATUS 4',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§4 PASID length 0 ("not yet"): hidden from the chain',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-walk',
    check: (o) => assert.ok(!o.chain?.some((c) => c.space === 'ext' && c.id === 0x1b)),
  },
  {
    name: '§4 DVSEC visible with raw writes since v6.4',
    kind: 'dvsec',
    variants: from('v6.4'),
    script: 'open; cfg-walk; cfg-write 0x16c 4 1',
    check: (o, t) => {
      assert.ok(t[1].chain?.some((c) => c.id === 0x23));
      assert.equal(hwTo(o, 0x16c).length, 1);
    },
  },
  {
    name: '§4 DVSEC hidden before v6.4',
    kind: 'dvsec',
    variants: until('v6.4'),
    script: 'open; cfg-walk',
    check: (o) => assert.ok(!o.chain?.some((c) => c.id === 0x23)),
  },
  // §5 walking and hiding
  {
    name: '§5 ecap hide, first: placeholder with ID 0, version 0, NEXT kept; direct_ro_perms since fe4bf8d0b671',
    kind: 'ecap-unknown-first',
    variants: from('v6.13'),
    script: 'open; cfg-read 0x100 4; cfg-write 0x100 4 0',
    check: (o, t) => {
      assert.equal(t[1].value, 0x110 << 20);
      assert.equal(o.dropped.length, 1);
    },
  },
  {
    name: '§5 ecap hide, first, unknown ID before v6.13: ecap_perms[] out of bounds (undefined)',
    kind: 'ecap-unknown-first',
    variants: from('v4.19').filter((v) => until('v6.13').includes(v)),
    script: 'open; cfg-read 0x100 4',
    check: (o) => assert.equal(o.outcome, 'undefined'),
  },
  {
    name: '§5 ecap hide, not first: the previous NEXT skips it (PRI -> end)',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; cfg-read 0x190 4',
    check: (o) => assert.equal((o.value ?? -1) >>> 20, 0),
  },
  // §6 BAR and ROM sizing
  {
    name: '§6 ROM with resource: size mask, enable bit as written',
    kind: 'conventional',
    variants: ALL,
    script: 'open; cfg-write PCI_ROM_ADDRESS 4 0xfffff801; cfg-read PCI_ROM_ADDRESS 4',
    check: (o) => assert.equal(o.value, 0xffff0001),
  },
  {
    name: '§6 platform ROM sized at the ROM BAR since v6.14 (36 KiB -> 64 KiB)',
    kind: 'platform-rom',
    variants: from('v6.14'),
    script: 'open; cfg-write PCI_ROM_ADDRESS 4 0xfffff800; cfg-read PCI_ROM_ADDRESS 4',
    check: (o) => assert.equal(o.value, 0xffff0000),
  },
  {
    name: '§6 no ROM resource before v6.14: ROM BAR reads 0',
    kind: 'platform-rom',
    variants: until('v6.14'),
    script: 'open; cfg-write PCI_ROM_ADDRESS 4 0xfffff800; cfg-read PCI_ROM_ADDRESS 4',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§6 VFs: BAR sizes from the VF resources, not the header (16 KiB)',
    kind: 'vf-pcie',
    variants: ALL,
    script: 'open; cfg-write PCI_BASE_ADDRESS_0 4 0xffffffff; cfg-read PCI_BASE_ADDRESS_0 4',
    check: (o) => assert.equal(o.value, 0xffffc00c),
  },
  // §7 vconfig initialisation
  {
    name: '§7 VF Interrupt Pin forced 0 (db04264fe9bc)',
    kind: 'vf-pcie',
    variants: from('v5.7'),
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§7 VF Interrupt Pin as the VF reports it before db04264fe9bc',
    kind: 'vf-pcie',
    variants: ['v3.6', 'v4.19'],
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 1),
  },
  {
    name: '§7 Interrupt Pin 0 without CONFIG_VFIO_PCI_INTX (s390)',
    kind: 's390-vf-detached',
    variants: from('v4.19'),
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§7 Interrupt Pin 0 for IRQ_NOTCONNECTED (860be250fc32)',
    kind: 'irq-notconnected',
    variants: from('v6.15-rc1'),
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§7 Interrupt Pin kept for IRQ_NOTCONNECTED before v6.15-rc1',
    kind: 'irq-notconnected',
    variants: from('v4.19').filter((v) => until('v6.15-rc1').includes(v)),
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 1),
  },
  {
    name: '§7 Interrupt Pin 0 when pdev->irq is 0 (2bd42b03ab6b)',
    kind: 'no-irq',
    variants: from('v6.15'),
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    check: (o) => assert.equal(o.value, 0),
  },
  {
    name: '§7 virtual MEMORY set at init for VFs (ebfa440ce38b) / no_command_memory (515ecd5368f1)',
    kind: 'vf-pcie',
    variants: from('v5.8'),
    script: 'open; cfg-read PCI_COMMAND 2',
    check: (o) => assert.equal((o.value ?? 0) & 2, 2),
  },
  {
    name: '§7 virtual MEMORY is the hardware copy (0) for VFs before ebfa440ce38b',
    kind: 'vf-pcie',
    variants: until('v5.8'),
    script: 'open; cfg-read PCI_COMMAND 2',
    check: (o) => assert.equal((o.value ?? 2) & 2, 0),
  },
  // §8 of the shared-capabilities doc: PCI core's VF rules
  {
    name: 'shared §8.2 pci_enable_pasid on a VF before v5.5: -EINVAL (no PASID capability of its own)',
    kind: 'vf-pcie',
    variants: ['v3.6', 'v4.19'],
    script: 'open; pci_enable_pasid',
    check: (o) => assert.equal(o.returned, -22),
  },
  {
    name: 'shared §8.2 pci_enable_pasid on a PF: enables its PASID capability',
    kind: 'pf-pcie',
    variants: ALL,
    script: 'open; pci_enable_pasid',
    check: (o) => {
      assert.equal(o.returned, 0);
      assert.equal(hwTo(o, 0x1a6)[0].value, 1);
    },
  },
  {
    name: 'shared §8.2 pci_enable_ats on a VF: writes only Enable, no STU',
    kind: 'vf-pcie',
    variants: ALL,
    script: 'open; pci_enable_ats 12',
    check: (o) => assert.ok(o.returned === -22 || hwTo(o, 0x156)[0].value === 0x8000),
  },
];

before(ready);

describe('config-space facts (vfio-config-space.md §1–§8)', () => {
  for (const row of ROWS) {
    test(row.name, () => {
      for (const v of row.variants) {
        const t = trace(row.kind, v, row.script);
        try {
          row.check(t[t.length - 1], t);
        } catch (e) {
          throw new Error(`${v}: ${(e as Error).message}`);
        }
      }
    });
  }

  test('§1 hidden PASID bytes: 0 in S3.6 (unassigned read 0), the hardware value since (raw)', () => {
    assert.equal(last('pf-pcie', 'v3.6', 'open; cfg-read PCI_PASID_CAP 2').value, 0);
    for (const v of from('v4.19'))
      assert.equal(last('pf-pcie', v, 'open; cfg-read PCI_PASID_CAP 2').value, 0x1400, v);
  });

  test('§3 PMCSR PME_Status: the hardware value before v5.19, virtual 0 since', () => {
    for (const v of until('v5.19'))
      assert.equal(last('pf-pcie', v, 'open; cfg-read PCI_PM_CTRL 2').value, 0x8008, v);
    for (const v of from('v5.19'))
      assert.equal(last('pf-pcie', v, 'open; cfg-read PCI_PM_CTRL 2').value, 0x0008, v);
  });

  test('shared §8.2 pci_enable_pasid / pci_enable_pri on a VF since v5.5: 0 iff the PF has it enabled', () => {
    for (const step of ['pci_enable_pasid', 'pci_enable_pri']) {
      const k = 'vf-pcie';
      const runs = branches(k, 'v5.7', `open; ${step}`).map((r) => r.trace[1].returned);
      assert.deepEqual(runs, [-22, 0], `${step}: PF not enabled, PF enabled`);
    }
  });
});
