/**
 * The zPCI device kinds (domain doc §5, §6). Their ids share the CLI's --device namespace with the
 * vfio kinds (pf, vf, s390-vf-*), hence the zpci- prefix. Each row says what the function is
 * (backend, PFT, MSI-X, BARs, MIO, block-store needs) and what firmware reports for its group;
 * what QEMU makes of it (fence, interpretation, fh bits, group) belongs to the version.
 */
import type { RegionRule, ZpciDeviceKind, ZpciDeviceKindId } from './types';

const KIB = 1024;
const MIB = 1024 * KIB;

/** A representative emulated device's BAR ops (assumed: aligned accesses of 1 to 8 bytes). */
const EMULATED_BAR: RegionRule = {
  unaligned: false,
  minAccess: 1,
  maxAccess: 8,
  name: "the emulated device's BAR (MemoryRegionOps.valid 1..8, aligned; assumed)",
};

export const ZPCI_DEVICE_KINDS: readonly ZpciDeviceKind[] = [
  {
    id: 'zpci-intercepted',
    label: 'intercepted zPCI function (vfio-pci)',
    description:
      'An ordinary PCI function passed through with vfio-pci whose instructions QEMU intercepts ' +
      '(no KVM zPCI interpretation, or interpret=off): MSI-X, MIO-capable, BAR0 of 1 MiB.',
    backend: 'vfio',
    pft: 0,
    hasMsix: true,
    msixTableBar: 4,
    interpretation: 'unavailable',
    bars: [MIB, 0, 0, 0, 16 * KIB, 0],
    mio: true,
    needsBlockStores: false,
    firmware: {
      maxstbl: 128,
      imaxstbl: 128,
      relaxedAlignment: false,
      note: 'firmware values assumed (not read anywhere)',
    },
  },
  {
    id: 'ism',
    label: 'ISM (PFT 5, vfio-pci)',
    description:
      'Internal Shared Memory: PCI Function Type 5, no MSI-X capability, BAR0 of 256 TiB, no MIO; ' +
      'writes must reach it as one non-MIO PCISTB (never split). Interpretation available.',
    backend: 'vfio',
    pft: 5,
    hasMsix: false,
    interpretation: 'available',
    bars: [2 ** 48, 0, 0, 0, 0, 0],
    mio: false,
    needsBlockStores: true,
    firmware: {
      maxstbl: 4096,
      imaxstbl: 4096,
      relaxedAlignment: true,
      note: 'firmware maxstbl for ISM not read anywhere; 4096 is the PCISTB payload the ism-vfio-pci commit names',
    },
  },
  {
    id: 'zpci-interpreted',
    label: 'interpreted zPCI function (vfio-pci)',
    description:
      'An ordinary vfio-pci function on a host with KVM zPCI interpretation: from QEMU v7.2 ' +
      '(interpret=on, the default) its PCILG/PCISTG/PCISTB are executed by firmware, never by QEMU.',
    backend: 'vfio',
    pft: 0,
    hasMsix: true,
    msixTableBar: 4,
    interpretation: 'available',
    bars: [MIB, 0, 0, 0, 16 * KIB, 0],
    mio: true,
    needsBlockStores: false,
    firmware: {
      maxstbl: 128,
      imaxstbl: 4096,
      relaxedAlignment: false,
      note: 'firmware values assumed (not read anywhere)',
    },
  },
  {
    id: 'zpci-emulated',
    label: 'emulated PCI device (virtio, ...)',
    description:
      'A device QEMU emulates (FH_SHM_EMUL): always intercepted, default PCI group, MSI-X. Its BAR0 ' +
      '(4 KiB) stands for a device model whose MemoryRegionOps accept aligned 1..8-byte accesses.',
    backend: 'emulated',
    pft: 0,
    hasMsix: true,
    msixTableBar: 1,
    interpretation: 'unavailable',
    bars: [4 * KIB, 4 * KIB, 0, 0, 0, 0],
    mio: false,
    needsBlockStores: false,
    firmware: {
      maxstbl: 128,
      imaxstbl: 128,
      relaxedAlignment: false,
      note: 'no firmware: QEMU emulates the function',
    },
    emulatedRegion: EMULATED_BAR,
  },
];

export function zpciDeviceKind(id: string): ZpciDeviceKind | undefined {
  return ZPCI_DEVICE_KINDS.find((d) => d.id === id);
}

export function isZpciDeviceKindId(id: string): id is ZpciDeviceKindId {
  return ZPCI_DEVICE_KINDS.some((d) => d.id === id);
}
