/**
 * Config offsets of the steps (cfg-read, cfg-write; their syntax is a row of model/steps.ts): a
 * number, a header register name (PCI_INTERRUPT_PIN), a capability register name resolved
 * against the device's capability (PCI_EXP_DEVCTL: the PCIe capability's offset + 8), or a
 * capability's start (PCI_CAP_ID_PM, PCI_EXT_CAP_ID_ATS), each optionally "+N". A name is checked
 * when the step is parsed and resolved when it runs on a device kind; the register names a kind's
 * step editor offers come from its capabilities (registerNames).
 */
import { C, CAP_IDS, ECAP_IDS } from './registers';
import type { ConfigDeviceKind, ConfigSpace } from './types';

export class ConfigStepError extends Error {}

const HEADER_NAMES = [
  'PCI_VENDOR_ID',
  'PCI_DEVICE_ID',
  'PCI_COMMAND',
  'PCI_STATUS',
  'PCI_REVISION_ID',
  'PCI_CACHE_LINE_SIZE',
  'PCI_LATENCY_TIMER',
  'PCI_HEADER_TYPE',
  'PCI_BIST',
  'PCI_BASE_ADDRESS_0',
  'PCI_BASE_ADDRESS_1',
  'PCI_BASE_ADDRESS_2',
  'PCI_BASE_ADDRESS_3',
  'PCI_BASE_ADDRESS_4',
  'PCI_BASE_ADDRESS_5',
  'PCI_SUBSYSTEM_VENDOR_ID',
  'PCI_SUBSYSTEM_ID',
  'PCI_ROM_ADDRESS',
  'PCI_CAPABILITY_LIST',
  'PCI_INTERRUPT_LINE',
  'PCI_INTERRUPT_PIN',
];

/** Register-name prefix -> the capability the offset is relative to. */
const PREFIXES: [string, 'std' | 'ext', number][] = [
  ['PCI_PM_', 'std', C.PCI_CAP_ID_PM],
  ['PCI_MSIX_', 'std', C.PCI_CAP_ID_MSIX],
  ['PCI_MSI_', 'std', C.PCI_CAP_ID_MSI],
  ['PCI_EXP_', 'std', C.PCI_CAP_ID_EXP],
  ['PCI_AF_', 'std', C.PCI_CAP_ID_AF],
  ['PCI_VPD_', 'std', C.PCI_CAP_ID_VPD],
  ['PCI_X_', 'std', C.PCI_CAP_ID_PCIX],
  ['PCI_ERR_', 'ext', C.PCI_EXT_CAP_ID_ERR],
  ['PCI_ATS_', 'ext', C.PCI_EXT_CAP_ID_ATS],
  ['PCI_PRI_', 'ext', C.PCI_EXT_CAP_ID_PRI],
  ['PCI_PASID_', 'ext', C.PCI_EXT_CAP_ID_PASID],
  ['PCI_SRIOV_', 'ext', C.PCI_EXT_CAP_ID_SRIOV],
  ['PCI_DVSEC_', 'ext', C.PCI_EXT_CAP_ID_DVSEC],
  ['PCI_VNDR_', 'ext', C.PCI_EXT_CAP_ID_VNDR],
  ['PCI_PWR_', 'ext', C.PCI_EXT_CAP_ID_PWR],
];

function number(token: string): number | undefined {
  if (/^0x[0-9a-f]{1,8}$/i.test(token)) return parseInt(token.slice(2), 16);
  if (/^[0-9]{1,10}$/.test(token)) return parseInt(token, 10);
  return undefined;
}

const TOKEN = /^([A-Za-z0-9_]{1,64})(?:\+(0x[0-9a-f]{1,3}|[0-9]{1,4}))?$/i;

type Place = { header: number } | { space: 'std' | 'ext'; id: number; at: number };

/** Where a register name points: a header offset, or an offset in a capability (undefined: unknown). */
function placeOf(name: string): Place | undefined {
  if (HEADER_NAMES.includes(name)) return { header: C[name] };
  if (name in CAP_IDS) return { space: 'std', id: CAP_IDS[name], at: 0 };
  if (name in ECAP_IDS) return { space: 'ext', id: ECAP_IDS[name], at: 0 };
  const prefix = PREFIXES.find(([p]) => name.startsWith(p));
  if (prefix && name in C) return { space: prefix[1], id: prefix[2], at: C[name] };
  return undefined;
}

/** Why a register-name token is not one (a message), or null when it is. */
export function checkRegisterToken(token: string): string | null {
  const m = TOKEN.exec(token);
  if (!m) return `OFFSET "${token}": a number or a register name (PCI_EXP_DEVCTL, PCI_PM_CTRL+1)`;
  return placeOf(m[1]) ? null : `OFFSET "${token}": unknown register name`;
}

function capabilityAt(kind: ConfigDeviceKind, space: 'std' | 'ext', id: number, name: string): number {
  const cap = kind.capabilities.find((c) => c.space === space && c.id === id);
  if (!cap) throw new ConfigStepError(`${name}: the ${kind.id} device has no such capability`);
  return cap.offset;
}

/** An offset as the step writes it, resolved against the device kind (a ConfigStepError if it has none). */
export function resolveOffset(token: string, kind: ConfigDeviceKind): number {
  const m = TOKEN.exec(token);
  if (!m)
    throw new ConfigStepError(
      `offset "${token}": a number or a register name (PCI_EXP_DEVCTL, PCI_PM_CTRL+1)`,
    );
  const extra = m[2] ? (number(m[2]) ?? 0) : 0;
  const plain = number(m[1]);
  if (plain !== undefined) return plain + extra;
  const place = placeOf(m[1]);
  if (!place) throw new ConfigStepError(`offset "${token}": unknown register name`);
  if ('header' in place) return place.header + extra;
  return capabilityAt(kind, place.space, place.id, m[1]) + place.at + extra;
}

/**
 * The register names a step may use on a device of this config space: the header's, and those of
 * its capabilities (by the names pci_regs.h gives them), for the simulator's step editor.
 */
export function registerNames(space: ConfigSpace): string[] {
  const has = (kind: 'std' | 'ext', id: number) =>
    space.capabilities.some((c) => c.space === kind && c.id === id);
  const names = HEADER_NAMES.filter((n) => space.header.some((r) => r.offset === C[n]));
  for (const [prefix, kind, id] of PREFIXES) {
    if (!has(kind, id)) continue;
    const cap = space.capabilities.find((c) => c.space === kind && c.id === id)!;
    for (const r of cap.registers) if (r.name?.startsWith(prefix) && r.name in C) names.push(r.name);
  }
  return [...new Set(names)];
}
