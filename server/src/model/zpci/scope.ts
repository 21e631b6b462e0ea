/**
 * What the names in a version's C text mean for one function in one state: the instruction's
 * decoded fields and registers, the S390PCIBusDevice fields (pbdev->...), the function's group,
 * the zPCI constants, and the functions the model computes (memory_region_access_valid from the
 * BAR region's rules, s390_pci_msix_init from the device's capabilities, ...).
 */
import type { FunctionGroup } from './clp';
import { ZPCI_CONSTANTS, ZPCI_FS, constantName } from './constants';
import type { ModelFunction, NamedValue } from './evaluation';
import { ZpciScope } from './evaluation';
import type { CompiledHost, ZdevGroupInfo } from './host';
import type { RegionRule, ZpciDeviceKind, ZpciVersionTraits } from './types';

/** The function's state as QEMU keeps it (and the guest's fh, which CLP gave it). */
export interface ZpciState {
  plug: 'unplugged' | 'plugged' | 'refused';
  /** ZPCI_FS_* (the model also keeps it for v2.3-v2.6, where only fh and the flags exist). */
  fs: number;
  fh: number;
  /** v2.3-v2.6: lgstg_blocked / error_state. */
  blocked: boolean;
  interp: boolean;
  problemState: boolean;
  /** The message of a refused plug. */
  refusedBecause?: string;
}

/** Thrown by a model function when the access leaves what the model covers. */
export class NotModelled extends Error {}

export interface ScopeContext {
  traits: ZpciVersionTraits;
  device: ZpciDeviceKind;
  host: CompiledHost;
  zdev: ZdevGroupInfo;
  group: FunctionGroup;
  state: ZpciState;
  /** The instruction's locals (fh, len, offset, ...), the plug's pbdev->interp, a loop's i. */
  locals: Map<string, NamedValue>;
}

/** The BAR region's MemoryRegionOps.valid: vfio_region_ops for vfio devices, the device's own else. */
export function barRegion(traits: ZpciVersionTraits, device: ZpciDeviceKind): RegionRule {
  if (device.emulatedRegion) return device.emulatedRegion;
  return traits.vfioRegionSizes
    ? {
        unaligned: false,
        minAccess: 1,
        maxAccess: 8,
        name: 'the vfio BAR region (vfio_region_ops.valid 1..8)',
      }
    : {
        unaligned: false,
        minAccess: 0,
        maxAccess: 0,
        name: 'the vfio BAR region (vfio_region_ops, no valid sizes)',
      };
}

/** A BAR access the model cannot follow (missing BAR, MSI-X table BAR, beyond the BAR), or null. */
export function barBoundary(device: ZpciDeviceKind, bar: number, addr: number, size: number): string | null {
  const barSize = device.bars[bar] ?? 0;
  if (!barSize) return `BAR ${bar} does not exist on ${device.id} (its MemoryRegion is NULL in QEMU)`;
  if (bar === device.msixTableBar)
    return `BAR ${bar} holds ${device.id}'s MSI-X table: its routing (trap_msix, s390_get_subregion) is not modelled`;
  if (addr + size > barSize) return `the access ends beyond BAR ${bar} (${barSize} bytes): not modelled`;
  return null;
}

/** memory_region_access_valid(mr, addr, size, is_write, attrs) of the version's memory core. */
export function accessValid(
  traits: ZpciVersionTraits,
  rule: RegionRule,
  addr: number,
  size: number,
): NamedValue {
  if (!rule.unaligned && addr & (size - 1))
    return {
      value: 0,
      meaning: `${rule.name} rejects it: unaligned (addr & (size - 1) = ${addr & (size - 1)})`,
    };
  if (!traits.accessValidChecksSize)
    return { value: 1, meaning: `${rule.name}: aligned; sizes not checked by this memory core` };
  if (!rule.maxAccess) return { value: 1, meaning: `${rule.name}: no size limits` };
  if (size > rule.maxAccess || size < rule.minAccess)
    return {
      value: 0,
      meaning: `${rule.name} rejects it: size ${size} outside ${rule.minAccess}..${rule.maxAccess}`,
    };
  return { value: 1, meaning: `${rule.name} accepts ${size} bytes` };
}

function pbdevFields(ctx: ScopeContext): Record<string, NamedValue> {
  const { state, group, device, traits } = ctx;
  const found = state.plug === 'plugged';
  if (!found) return { pbdev: { value: 0, meaning: 'no function has this fh (none plugged)' } };
  const fields: Record<string, NamedValue> = {
    pbdev: { value: 1, meaning: 'the function s390_pci_find_dev_by_fh found' },
    'pbdev->fh': { value: state.fh, meaning: "the function's handle" },
    'pbdev->state': { value: state.fs, meaning: constantName(ZPCI_FS, state.fs) },
    'pbdev->lgstg_blocked': {
      value: Number(state.blocked),
      meaning: 'set when the function entered the error state',
    },
    'pbdev->interp': { value: Number(state.interp), meaning: state.interp ? 'interpreted' : 'intercepted' },
    'pbdev->pft': { value: device.pft, meaning: "the host's PCI Function Type" },
    'pbdev->pci_group->zpci_group.maxstbl': { value: group.maxstbl, meaning: group.maxstblOrigin },
    'pbdev->pci_group->zpci_group.fr': {
      value: group.fr,
      meaning: "the group's fr bits (refresh 0x1, relaxed 0x8)",
    },
    'pbdev->io_region': {
      value: Number(group.ioRegion),
      meaning: group.ioRegion ? 'the zPCI I/O region is set up' : 'no zPCI I/O region',
    },
  };
  if (traits.pbdevMaxstbl !== undefined)
    fields['pbdev->maxstbl'] = {
      value: traits.pbdevMaxstbl,
      meaning: `never assigned: S390PCIBusDevice is zero-initialised (CLP reports ${group.clpMaxstbl})`,
    };
  return fields;
}

function functions(ctx: ScopeContext): Record<string, ModelFunction> {
  const { traits, device, host, zdev } = ctx;
  const bar = () => ctx.locals.get('pcias')?.value ?? 0;
  return {
    memory_region_access_valid: (arg) => {
      const addr = arg(1);
      const size = arg(2);
      const boundary = barBoundary(device, bar(), addr, size);
      if (boundary) throw new NotModelled(boundary);
      return accessValid(traits, barRegion(traits, device), addr, size);
    },
    zpci_endian_swap: (arg) => {
      const len = arg(1);
      return [1, 2, 4, 8].includes(len)
        ? { value: 0, meaning: 'swapped' }
        : { value: -22, meaning: `length ${len} not 1, 2, 4 or 8 (-EINVAL)` };
    },
    s390_pci_msix_init: () =>
      device.hasMsix
        ? { value: 0, meaning: 'MSI-X capability found' }
        : { value: -1, meaning: `${device.id} has no MSI-X capability (-1)` },
    s390_pci_kvm_interp_allowed: () => {
      const allowed = device.interpretation === 'available' && host.spec.kvmInterpretation;
      return {
        value: Number(allowed),
        meaning: allowed
          ? 'KVM zPCI interpretation available'
          : device.interpretation === 'available'
            ? `${host.spec.id} has no KVM zPCI interpretation`
            : `no interpretation facility for ${device.id}`,
      };
    },
    object_dynamic_cast: (_arg, args) => {
      const type = args[1]?.text.replace(/\s+/g, '');
      if (type === '"vfio-pci"')
        return {
          value: Number(device.backend === 'vfio'),
          meaning: device.backend === 'vfio' ? 'a vfio-pci device' : 'not vfio-pci',
        };
      if (type === 'TYPE_PCI_DEVICE') return { value: 1, meaning: 'a PCI device' };
      if (type === 'TYPE_PCI_BRIDGE') return { value: 0, meaning: 'not a PCI bridge' };
      return undefined;
    },
    s390_pci_get_zpci_io_region: () =>
      zdev.ioRegion
        ? { value: 0, meaning: `${host.spec.id} offers the zPCI I/O region` }
        : { value: -2, meaning: `${host.spec.id} offers no zPCI I/O region (-ENOENT)` },
  };
}

/** The scope for one evaluation in `ctx` under the given assumptions. */
export function zpciScope(ctx: ScopeContext, assumptions: Readonly<Record<string, number>>): ZpciScope {
  const fields = pbdevFields(ctx);
  const lookup = (name: string): NamedValue | undefined => {
    const local = ctx.locals.get(name);
    if (local) return local;
    if (name in fields) return fields[name];
    if (name.startsWith('pbdev->') && ctx.state.plug !== 'plugged')
      return { value: 0, meaning: 'no function (QEMU would dereference NULL here)' };
    if (name in ZPCI_CONSTANTS)
      return { value: ZPCI_CONSTANTS[name], meaning: `constant ${ZPCI_CONSTANTS[name]}` };
    if (name === 'mr')
      return { value: 0, meaning: `BAR ${ctx.locals.get('pcias')?.value ?? 0}'s MemoryRegion` };
    return undefined;
  };
  return new ZpciScope(lookup, functions(ctx), assumptions);
}

/** A local with its meaning. */
export function local(value: number, meaning: string): NamedValue {
  return { value, meaning };
}
