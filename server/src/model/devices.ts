/**
 * The device kinds (domain doc §5: K1 pf, K1n pf-no-io, K2 vf, K3 s390-vf-linked,
 * K4 s390-vf-detached, K5 guest-vf, K6 s390-vf-noiov), one row each: its id and label, which
 * creation paths the device goes through, the facts of its environment, and what its hardware
 * implements. What a kernel does on those paths (which marker it sets) belongs to the kernel
 * variant. Adding a device kind is adding a row here (and its id to package.json's
 * vfioLens.devices enum and default, which a test compares).
 */
import { RowTable } from './ids';
import type { DeviceKind } from './types';

function kind<const Id extends string>(row: DeviceKind<Id>): DeviceKind<Id> {
  return row;
}

const pfHardware = {
  commandMemory: 'implemented',
  memoryDecode: 'when-command-memory',
  bars: 'header',
} as const;

/** A VF: MEMORY hard-wired 0, decode controlled by the PF's VF MSE (on), header BARs read 0. */
const vfHardware = {
  commandMemory: 'hardwired-0',
  commandIo: 'hardwired-0',
  memoryDecode: 'always',
  ioBar: false,
  bars: 'read-zero',
} as const;

/** An s390 VF whose config space firmware emulates: MEMORY reads 0, BARs emulated and kept. */
const s390UnlinkedHardware = { ...vfHardware, bars: 'firmware-emulated' } as const;

/** The creation paths of an s390 VF whose PF zPCI can find (linking needs the PF in the LPAR). */
const S390_LINKING_PATHS = [
  's390-zpci_bus_add_device',
  's390-pcibios_bus_add_device',
  's390-link-virtfn',
  's390-pcibios_enable_device',
];

/** What every s390 VF's zdev says: not a PF, a VF number. */
const S390_VF = { 'zdev->is_physfn': 0, 'zdev->vfn': 1 };

export const DEVICE_KINDS = [
  kind({
    id: 'pf',
    label: 'PF (physical function)',
    description:
      'A physical function on the host with memory and I/O BARs; MEMORY and IO are real enable bits.',
    paths: [],
    environment: {},
    hardware: { ...pfHardware, commandIo: 'implemented', ioBar: true },
  }),
  kind({
    id: 'pf-no-io',
    label: 'PF without I/O space',
    description:
      "A physical function with memory BARs only; COMMAND.IO is hard-wired 0 (Alex's setpci case).",
    paths: [],
    environment: {},
    hardware: { ...pfHardware, commandIo: 'hardwired-0', ioBar: false },
  }),
  kind({
    id: 'vf',
    label: 'VF created by pci_iov_add_virtfn',
    description: 'A VF created by pci_iov_add_virtfn on the host: MEMORY hard-wired 0, header BARs read 0.',
    paths: ['pci_iov_add_virtfn'],
    environment: {},
    hardware: vfHardware,
  }),
  kind({
    id: 's390-vf-linked',
    label: 's390 VF linked to its PF',
    description:
      's390 VF whose PF is configured in the same LPAR on a multifunction zbus, CONFIG_PCI_IOV=y: the zPCI code can link it.',
    paths: S390_LINKING_PATHS,
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 1, CONFIG_PCI_IOV: 1, pf_visible: 1 },
    hardware: vfHardware,
  }),
  kind({
    id: 's390-vf-detached',
    label: 's390 VF without its PF (detached)',
    description:
      's390 VF without its PF in the LPAR (zbus not multifunction): never linked, firmware emulates IDs and BARs, MEMORY reads 0.',
    paths: ['s390-zpci_bus_add_device', 's390-pcibios_bus_add_device', 's390-pcibios_enable_device'],
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 0, CONFIG_PCI_IOV: 1, pf_visible: 0 },
    hardware: s390UnlinkedHardware,
  }),
  kind({
    id: 's390-vf-noiov',
    label: 's390 VF, CONFIG_PCI_IOV=n',
    description:
      's390 VF on a kernel built without CONFIG_PCI_IOV: its PF is present (multifunction zbus) but linking is compiled out.',
    paths: S390_LINKING_PATHS,
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 1, CONFIG_PCI_IOV: 0, pf_visible: 1 },
    hardware: s390UnlinkedHardware,
  }),
  kind({
    id: 'guest-vf',
    label: 'VF seen inside a KVM guest',
    description:
      'A VF assigned to a guest that runs vfio-pci on it again: no markers in the guest; the host emulates MEMORY (read OR-in) but not IO, and emulates the BARs.',
    paths: [],
    environment: {},
    hardware: {
      commandMemory: 'implemented',
      commandIo: 'hardwired-0',
      memoryDecode: 'always',
      ioBar: false,
      bars: 'host-emulated',
    },
  }),
];

export type DeviceKindId = (typeof DEVICE_KINDS)[number]['id'];

/** The device kinds by id: the one membership check and the one "unknown device kind" message. */
export const DEVICE_KIND_TABLE = new RowTable<DeviceKind>('device kind', 'device kinds', DEVICE_KINDS);

export const DEVICE_KIND_IDS: readonly DeviceKindId[] = DEVICE_KIND_TABLE.ids;

export function deviceKind(id: string): DeviceKind {
  return DEVICE_KIND_TABLE.get(id);
}
