/**
 * Config-space steps: "cfg-read PCI_EXP_DEVCTL 2", "cfg-write PCI_PM_CTRL 2 0x0003",
 * "cfg-walk", "flr", "set-power D3hot", "enable-msi", "pci_enable_pasid", "pci_enable_ats 12".
 * An offset is a number, a header register name (PCI_INTERRUPT_PIN), a capability register name
 * resolved against the device's capability (PCI_EXP_DEVCTL: the PCIe capability's offset + 8),
 * a capability's start (PCI_CAP_ID_PM, PCI_EXT_CAP_ID_ATS), each optionally "+N".
 */
import { C, CAP_IDS, ECAP_IDS } from './registers';
import type { CfgAction, CfgStep, ConfigDeviceKind } from './types';

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

function capabilityAt(kind: ConfigDeviceKind, space: 'std' | 'ext', id: number, name: string): number {
  const cap = kind.capabilities.find((c) => c.space === space && c.id === id);
  if (!cap) throw new ConfigStepError(`${name}: the ${kind.id} device has no such capability`);
  return cap.offset;
}

/** An offset as the step writes it, resolved against the device kind. */
export function resolveOffset(token: string, kind: ConfigDeviceKind): number {
  const m = /^([A-Za-z0-9_]+)(?:\+(0x[0-9a-f]+|[0-9]+))?$/i.exec(token);
  if (!m)
    throw new ConfigStepError(
      `offset "${token}": a number or a register name (PCI_EXP_DEVCTL, PCI_PM_CTRL+1)`,
    );
  const extra = m[2] ? (number(m[2]) ?? 0) : 0;
  const plain = number(m[1]);
  if (plain !== undefined) return plain + extra;
  const name = m[1];
  if (HEADER_NAMES.includes(name)) return C[name] + extra;
  if (name in CAP_IDS) return capabilityAt(kind, 'std', CAP_IDS[name], name) + extra;
  if (name in ECAP_IDS) return capabilityAt(kind, 'ext', ECAP_IDS[name], name) + extra;
  const prefix = PREFIXES.find(([p]) => name.startsWith(p));
  if (prefix && name in C) return capabilityAt(kind, prefix[1], prefix[2], name) + C[name] + extra;
  throw new ConfigStepError(`offset "${token}": unknown register name`);
}

const USAGE: Record<CfgAction, string> = {
  open: 'open',
  'cfg-read': 'cfg-read OFFSET WIDTH',
  'cfg-write': 'cfg-write OFFSET WIDTH VALUE',
  'cfg-walk': 'cfg-walk',
  flr: 'flr',
  'set-power': 'set-power D0|D3hot',
  'enable-msi': 'enable-msi',
  pci_enable_pasid: 'pci_enable_pasid',
  pci_enable_pri: 'pci_enable_pri',
  pci_enable_ats: 'pci_enable_ats PAGE_SHIFT',
};

export const CONFIG_STEP_ACTIONS = Object.keys(USAGE) as CfgAction[];

/** Parses one config step against a device kind. */
export function parseConfigStep(source: string, kind: ConfigDeviceKind): CfgStep {
  const tokens = source.trim().split(/\s+/);
  const action = tokens[0] as CfgAction;
  if (!(action in USAGE)) {
    throw new ConfigStepError(
      `"${source.trim()}": unknown action "${tokens[0]}"; known: ${CONFIG_STEP_ACTIONS.join(', ')}`,
    );
  }
  const args = tokens.slice(1);
  const want = USAGE[action].split(' ').length - 1;
  if (args.length !== want) throw new ConfigStepError(`"${source.trim()}": expected ${USAGE[action]}`);
  const text = [action, ...args].join(' ');
  const width = (t: string) => {
    const w = number(t);
    if (w === undefined || w < 1 || w > 4)
      throw new ConfigStepError(`"${text}": WIDTH must be 1..4 (got "${t}")`);
    return w;
  };
  switch (action) {
    case 'cfg-read':
      return { action, offset: resolveOffset(args[0], kind), width: width(args[1]), text };
    case 'cfg-write': {
      const w = width(args[1]);
      const value = number(args[2]);
      if (value === undefined || (w < 4 && value >= 2 ** (8 * w)))
        throw new ConfigStepError(`"${text}": VALUE must fit in ${w} byte(s) (got "${args[2]}")`);
      return { action, offset: resolveOffset(args[0], kind), width: w, value, text };
    }
    case 'set-power': {
      const arg = { D0: 0, D3hot: 3 }[args[0]];
      if (arg === undefined) throw new ConfigStepError(`"${text}": the state is D0 or D3hot`);
      return { action, arg, text };
    }
    case 'pci_enable_ats': {
      const arg = number(args[0]);
      if (arg === undefined || arg > 63)
        throw new ConfigStepError(`"${text}": PAGE_SHIFT is a number (12 for 4 KiB)`);
      return { action, arg, text };
    }
    default:
      return { action, text };
  }
}

/** Parses a script of steps separated by ";" or new lines. */
export function parseConfigSteps(script: string, kind: ConfigDeviceKind): CfgStep[] {
  const steps = script
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseConfigStep(s, kind));
  if (!steps.length)
    throw new ConfigStepError('the step script is empty; e.g. "open; cfg-read PCI_INTERRUPT_PIN 1"');
  return steps;
}
