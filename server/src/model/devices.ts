/**
 * The device kinds of the one vfio-pci model, one row each. The seven of the Command-register
 * story come first (domain doc vfio-command-register.md §5: K1 pf, K1n pf-no-io, K2 vf,
 * K3 s390-vf-linked, K4 s390-vf-detached, K5 guest-vf, K6 s390-vf-noiov), then the config-space
 * kinds that each exercise one capability rule (vfio-config-space.md). A row says which creation
 * paths the device goes through, the facts of its environment, what its hardware implements for
 * the Command register, and its config space as bytes and tables (vfio/config/spaces.ts). What a
 * kernel does on those paths (which marker it sets) belongs to the kernel variant. Adding a device
 * kind is adding a row here (and its config space to spaces.ts, its id to package.json's
 * vfioLens.devices enum and default, which a test compares, and to README's Ids).
 */
import { RowTable } from './ids';
import type { DeviceHardware, DeviceKind, Story } from './types';
import { CONFIG_SPACES } from './vfio/config/spaces';

type Row<Id extends string> = Omit<DeviceKind<Id>, keyof (typeof CONFIG_SPACES)[string]>;

function kind<const Id extends string>(row: Row<Id>): DeviceKind<Id> {
  const space = CONFIG_SPACES[row.id];
  if (!space) throw new Error(`device kind ${row.id}: no config space in vfio/config/spaces.ts`);
  return { ...row, ...space };
}

/** The stories of the seven Command-register kinds, and of the config-space kinds. */
const BOTH: readonly Story[] = ['command-register', 'config-space'];
const CONFIG: readonly Story[] = ['config-space'];

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

/** A PF with memory BARs only (the config-space kinds' PFs): MEMORY implemented, IO hard-wired 0. */
const configPfHardware: DeviceHardware = { ...pfHardware, commandIo: 'hardwired-0', ioBar: false };

/**
 * The config-space kinds: PCIe and conventional devices, each with one capability rule to show.
 * Their Command-register behaviour is that of pf-no-io (the PFs), pf (conventional) or vf
 * (vf-pcie), which the Command-register story already explores.
 */
function configKinds() {
  const pf = (id: string, label: string, description: string) =>
    kind({ id, label, description, paths: [], environment: {}, hardware: configPfHardware, stories: CONFIG });
  return [
    pf(
      'pf-pcie',
      'PCIe PF (PM, MSI, MSI-X, PCIe v2, VPD, AER, ATS, SR-IOV, PRI, PASID)',
      'A PCIe physical function with every capability vfio treats: FLR-capable, a PME pending, VFs enabled.',
    ),
    kind({
      id: 'vf-pcie',
      label: 'VF of pf-pcie',
      description:
        'A VF created by pci_iov_add_virtfn: IDs read FFFF, a bogus INTx pin 1, header BARs read 0 (sizes from the VF resources), no PM/PASID/PRI of its own, its own ATS.',
      paths: ['pci_iov_add_virtfn'],
      environment: {},
      hardware: vfHardware,
      stories: CONFIG,
    }),
    pf(
      'cap-id-zero',
      'PCIe device with a capability of ID 0',
      'A NULL capability (ID 0) between PM and MSI.',
    ),
    pf(
      'dvsec',
      'PCIe device with vendor capabilities and a DVSEC',
      'A vendor capability, a VSEC and a DVSEC.',
    ),
    pf(
      'ecap-unknown-first',
      'PCIe device whose first extended capability has an unknown ID',
      'Extended capability ID 0x40 (beyond any PCI_EXT_CAP_ID_MAX) at 0x100, then AER and ATS.',
    ),
    pf(
      'no-irq',
      'PCIe device without an IRQ (pdev->irq 0)',
      'Reports INTx pin 1, but the platform gave no IRQ.',
    ),
    pf(
      'irq-notconnected',
      'PCIe device with IRQ_NOTCONNECTED',
      'Reports INTx pin 1; the platform says its INTx is not connected (pdev->irq == IRQ_NOTCONNECTED).',
    ),
    pf(
      'platform-rom',
      'PCIe device with a platform ROM',
      'No ROM BAR resource; the platform provides a 36 KiB ROM image (pdev->rom, pdev->romlen).',
    ),
    kind({
      id: 'conventional',
      label: 'Conventional PCI device (no extended space)',
      description:
        'cfg_size 256: PM, 32-bit MSI, Advanced Features (FLR); a memory and an I/O BAR, a ROM BAR.',
      paths: [],
      environment: {},
      hardware: { ...pfHardware, commandIo: 'implemented', ioBar: true },
      stories: CONFIG,
    }),
  ];
}

export const DEVICE_KINDS: readonly DeviceKind[] = [
  kind({
    id: 'pf',
    label: 'PF (physical function)',
    description:
      'A physical function on the host with memory and I/O BARs; MEMORY and IO are real enable bits.',
    paths: [],
    environment: {},
    hardware: { ...pfHardware, commandIo: 'implemented', ioBar: true },
    stories: BOTH,
  }),
  kind({
    id: 'pf-no-io',
    label: 'PF without I/O space',
    description:
      "A physical function with memory BARs only; COMMAND.IO is hard-wired 0 (Alex's setpci case).",
    paths: [],
    environment: {},
    hardware: { ...pfHardware, commandIo: 'hardwired-0', ioBar: false },
    stories: BOTH,
  }),
  kind({
    id: 'vf',
    label: 'VF created by pci_iov_add_virtfn',
    description: 'A VF created by pci_iov_add_virtfn on the host: MEMORY hard-wired 0, header BARs read 0.',
    paths: ['pci_iov_add_virtfn'],
    environment: {},
    hardware: vfHardware,
    stories: BOTH,
  }),
  kind({
    id: 's390-vf-linked',
    label: 's390 VF linked to its PF',
    description:
      's390 VF whose PF is configured in the same LPAR on a multifunction zbus, CONFIG_PCI_IOV=y: the zPCI code can link it.',
    paths: S390_LINKING_PATHS,
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 1, CONFIG_PCI_IOV: 1, pf_visible: 1 },
    hardware: vfHardware,
    stories: BOTH,
  }),
  kind({
    id: 's390-vf-detached',
    label: 's390 VF without its PF (detached)',
    description:
      's390 VF without its PF in the LPAR (zbus not multifunction): never linked, firmware emulates IDs and BARs, MEMORY reads 0.',
    paths: ['s390-zpci_bus_add_device', 's390-pcibios_bus_add_device', 's390-pcibios_enable_device'],
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 0, CONFIG_PCI_IOV: 1, pf_visible: 0 },
    hardware: s390UnlinkedHardware,
    stories: BOTH,
  }),
  kind({
    id: 's390-vf-noiov',
    label: 's390 VF, CONFIG_PCI_IOV=n',
    description:
      's390 VF on a kernel built without CONFIG_PCI_IOV: its PF is present (multifunction zbus) but linking is compiled out.',
    paths: S390_LINKING_PATHS,
    environment: { ...S390_VF, 'zdev->zbus->multifunction': 1, CONFIG_PCI_IOV: 0, pf_visible: 1 },
    hardware: s390UnlinkedHardware,
    stories: BOTH,
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
    stories: BOTH,
  }),
  ...configKinds(),
];

export type DeviceKindId = string;

/** The device kinds by id: the one membership check and the one "unknown device kind" message. */
export const DEVICE_KIND_TABLE = new RowTable<DeviceKind>('device kind', 'device kinds', DEVICE_KINDS);

/** The kinds a story explores by default (the Command-register story: the seven of §5). */
export function kindsOf(story: Story): readonly DeviceKind[] {
  return DEVICE_KINDS.filter((k) => k.stories.includes(story));
}

export const DEVICE_KIND_IDS: readonly DeviceKindId[] = DEVICE_KIND_TABLE.ids;

export function deviceKind(id: string): DeviceKind {
  return DEVICE_KIND_TABLE.get(id);
}
