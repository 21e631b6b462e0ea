/**
 * What the names in the config-space C text mean for one device in one state: the locals a
 * write function computed (offset, count, cap, ctrl, flags, ...), vfio's per-device fields
 * (vdev->irq_type, vdev->msi_qmax), the device's struct pci_dev facts, the register constants,
 * and — through the Command-register model's DeviceScope — the markers a kernel sets on the
 * device's creation paths (pdev->is_virtfn, pdev->no_command_memory). A name nobody knows is an
 * unknown identifier: the step forks on its value.
 */
import type { EvalScope } from '../../evaluate';
import type { Policy } from '../../policy';
import { DeviceScope, type DeviceView } from '../../scope';
import { PCI_CONFIG_CONSTANTS } from './registers';
import type { ConfigDeviceKind } from './types';

/** Per-device fields of vfio_pci_core_device and the PCI core the state holds. */
export interface VdevView extends DeviceView {
  irqType: number;
  msiQmax: number;
  pasidEnabled: boolean;
  priEnabled: boolean;
  atsStu: number;
  isVirtfn: () => number;
  pcieType: number;
}

const MEANINGS: Record<string, string> = {
  offset: 'offset of the access inside the capability',
  count: 'bytes of this chunk',
  cap: 'capability ID (or the DEVCAP/AF_CAP register read)',
  ecap: 'extended capability ID',
  cap_id: 'the byte map entry of the accessed byte',
  ctrl: 'the control register in vconfig after the write',
  readrq: 'READRQ field in vconfig before the write',
  flags: 'MSI flags',
  word: 'PCI Express capability flags',
  dword: 'the dword at 0x100 read from the hardware',
  ret: 'return value of the hardware read',
  addr: 'VPD address register in vconfig',
  state: 'the power state written',
  ps: 'page shift requested',
  'vdev->irq_type': 'interrupt type vfio set up (-1 none, 1 MSI)',
  'vdev->msi_qmax': 'log2 of the MSI vectors vfio enabled',
};

export class ConfigScope implements EvalScope {
  assumed = new Set<string>();
  private readonly markers: DeviceScope;

  constructor(
    private readonly kind: ConfigDeviceKind,
    command: Policy,
    private readonly view: VdevView,
    readonly assumptions: Readonly<Record<string, number>>,
    private readonly locals: Record<string, number>,
    /** A Command-register decision: its names mean what model/scope.ts says first. */
    private readonly commandDecision = false,
  ) {
    this.markers = new DeviceScope(command, kind, view, assumptions, locals);
  }

  value(name: string): number | undefined {
    if (name in this.locals) return this.locals[name];
    if (name in PCI_CONFIG_CONSTANTS) return PCI_CONFIG_CONSTANTS[name];
    if (name in this.kind.facts) return this.kind.facts[name];
    const enabled = /^IS_ENABLED\((\w+)\)$/.exec(name);
    if (enabled && enabled[1] in this.kind.facts) return this.kind.facts[enabled[1]];
    switch (name) {
      case 'vdev->irq_type':
        return this.view.irqType;
      case 'vdev->msi_qmax':
        return this.view.msiQmax;
      case 'is_msi(vdev)':
        return Number(this.view.irqType === PCI_CONFIG_CONSTANTS.VFIO_PCI_MSI_IRQ_INDEX);
      case 'pci_pcie_type(pdev)':
        return this.view.pcieType;
    }
    const physfn = /^(?:pci_physfn\(pdev\)|pdev->physfn|pdev)->(pasid_enabled|pri_enabled|ats_stu)$/.exec(
      name,
    );
    const ats = name === 'pdev->ats->stu';
    if ((physfn || ats) && !this.view.isVirtfn()) {
      const field = ats ? 'ats_stu' : physfn![1];
      if (field === 'ats_stu') return this.view.atsStu;
      return Number(field === 'pasid_enabled' ? this.view.pasidEnabled : this.view.priEnabled);
    }
    const known = this.markers.value(name);
    for (const a of this.markers.assumed) this.assumed.add(a);
    return known;
  }

  hasFlag(flag: string): number | undefined {
    return this.markers.hasFlag(flag);
  }

  meaning(name: string, value: number): string | undefined {
    if (this.commandDecision) {
      const said = this.markers.meaning(name, value);
      if (said) return said;
    }
    if (name in MEANINGS) return MEANINGS[name];
    if (name in this.kind.facts || /^IS_ENABLED/.test(name)) return `fact of the ${this.kind.id} device`;
    if (name in PCI_CONFIG_CONSTANTS) return `constant ${value}`;
    return this.markers.meaning(name, value);
  }
}
