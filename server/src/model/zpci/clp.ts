/**
 * The CLP values a function gets (domain doc §2.3, §6): the PCI group QEMU builds for it (its
 * maxstbl bounds PCISTB; its fr may carry the RFC's relaxed bit) and what CLP Query PCI Function
 * Group and Query PCI Function report to the guest. Derived from the version's traits, the
 * device's firmware values and what the host's vfio-pci reports (host.ts).
 */
import { CLP_RSP_QPCIG_MASK_RELAXED, ZPCI_SIM_GRP_START } from './constants';
import type { ZdevGroupInfo } from './host';
import type { ZpciDeviceKind, ZpciVersionTraits } from './types';

export interface FunctionGroup {
  /** The group id the guest sees ('host': the host function's own group). */
  id: number | 'host';
  /** pbdev->pci_group->zpci_group.maxstbl (0 where the version has no group structure). */
  maxstbl: number;
  maxstblOrigin: string;
  /** The group's fr bits the model knows (refresh 0x1 of the default group, relaxed 0x8). */
  fr: number;
  /** pbdev->io_region: the RFC's zPCI I/O region is set up. */
  ioRegion: boolean;
  /** What CLP Query PCI Function Group returns as maxstbl. */
  clpMaxstbl: number;
  clpOrigin: string;
  /** What CLP Query PCI Function returns as the function type (PFT). */
  clpPft: number;
}

const PAGE_SIZE = 4096;

export function functionGroup(
  traits: ZpciVersionTraits,
  device: ZpciDeviceKind,
  host: ZdevGroupInfo,
  interpreted: boolean,
): FunctionGroup {
  const defaultGroup = {
    id: traits.defaultGroupId,
    maxstbl: 128,
    maxstblOrigin: 'the default group (s390_pci_init_default_group: 128)',
    fr: 1,
  };
  let group: { id: number | 'host'; maxstbl: number; maxstblOrigin: string; fr: number };
  if (traits.groupMaxstbl === 'none') {
    group = {
      id: traits.defaultGroupId,
      maxstbl: 0,
      maxstblOrigin: 'no PCI group structure in this version',
      fr: 0,
    };
  } else if (device.backend !== 'vfio' || !host.present) {
    group = defaultGroup;
  } else {
    const useImax = traits.groupMaxstbl === 'host-group-imaxstbl' && interpreted && host.version >= 2;
    const maxstbl = useImax ? (host.imaxstbl ?? 0) : host.maxstbl;
    const simulated = traits.simulatedGroups && !interpreted;
    group = {
      id: simulated ? ZPCI_SIM_GRP_START : 'host',
      maxstbl,
      maxstblOrigin: useImax
        ? `the host group's imaxstbl (${maxstbl}, interpreted)`
        : `the host's GROUP.maxstbl (${maxstbl}, ZPCI_MAX_WRITE_SIZE)`,
      fr: traits.relaxedFromHost && host.relaxed ? CLP_RSP_QPCIG_MASK_RELAXED : 0,
    };
  }
  const ioRegion = traits.ioRegion && !!(group.fr & CLP_RSP_QPCIG_MASK_RELAXED) && !!host.ioRegion;
  if (ioRegion && host.ioRegion) {
    group.maxstbl = Math.min(PAGE_SIZE, host.ioRegion.max);
    group.maxstblOrigin = `MIN(PAGE_SIZE, the zPCI I/O region's max) (${group.maxstbl})`;
  }
  const clp =
    traits.clpMaxstbl === 'reserved'
      ? { clpMaxstbl: 0, clpOrigin: 'reserved (0) before v2.12.0' }
      : traits.clpMaxstbl === 'constant-128'
        ? { clpMaxstbl: 128, clpOrigin: 'the constant 128 in clp_service_call (0e7c259adff7)' }
        : { clpMaxstbl: group.maxstbl, clpOrigin: group.maxstblOrigin };
  return { ...group, ioRegion, ...clp, clpPft: 0 };
}
