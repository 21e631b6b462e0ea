/**
 * Shapes of the config-space model: device kinds (capability lists with register values),
 * kernel variants (permission rows, capability lengths, decisions as C text, rules), steps and
 * typed observations. Pure data types; nothing here runs.
 */
import type { DeviceKind, OperandValue } from '../../types';
import type { Step } from '../../steps';

/* ---------- device kinds ---------- */

/** What the hardware does with a write to a register's bits (bits not listed are read-only). */
export interface RegisterBehaviour {
  /** Bits the hardware stores. */
  rw?: number;
  /** Bits a 1 clears (error and PME status). */
  w1c?: number;
  /** A 1 written to these bits starts an action of the function. */
  action?: { bits: number; does: 'function-reset' | 'power-state' | 'pri-reset' };
  /** Value after a function reset, when it is not the power-on value. */
  reset?: number;
}

export interface RegisterValue extends RegisterBehaviour {
  /** Offset inside the capability (or absolute, in the header). */
  offset: number;
  width: 1 | 2 | 4;
  value: number;
  /** The register's name (PCI_EXP_DEVCTL) for observations. */
  name?: string;
}

/** One capability as the hardware holds it. */
export interface CapabilityImage {
  space: 'std' | 'ext';
  id: number;
  offset: number;
  /** Bytes the hardware structure spans (for the image; vfio computes its own length). */
  length: number;
  /** Extended capabilities: the version nibble of the header. */
  version?: number;
  registers: RegisterValue[];
}

export interface BarResource {
  /** 0..5 */
  index: number;
  /** pci_resource_start: 0 means not assigned by the host. */
  start: number;
  size: number;
  type: 'mem32' | 'mem64' | 'io';
  prefetch?: boolean;
}

/** A device kind's config space as data: what the hardware holds and what the host knows of it. */
export interface ConfigSpace {
  /** pdev->cfg_size */
  cfgSize: 256 | 4096;
  /** Header registers (absolute offsets); unlisted bytes read 0. */
  header: RegisterValue[];
  /** Capabilities in chain order (std chain from 0x34, ext chain from 0x100). */
  capabilities: CapabilityImage[];
  /** The host's resources (pci_resource_*): where vfio_bar_fixup takes sizes and flags. */
  bars: BarResource[];
  rom?: { start: number; size: number };
  /** Facts of struct pci_dev / vfio_pci_core_device the C text may name (pdev->irq, ...). */
  facts: Record<string, number>;
  /** VPD contents pci_read_vpd returns, by address (4 bytes per access). */
  vpd?: number[];
}

/** A device kind of the one vfio-pci model (model/devices.ts): its config space is part of it. */
export type ConfigDeviceKind = DeviceKind;

/* ---------- kernel variants ---------- */

/** One p_setb/p_setw/p_setd call: its arguments as C text (offset, virt, write). */
export interface PermRow {
  offset: string;
  width: 1 | 2 | 4;
  virt: string;
  write: string;
  /** The condition the init function sets the row under (init_pci_cap_msi_perm's flags tests). */
  when?: string;
}

export type ReadFn =
  | 'vfio_default_config_read'
  | 'vfio_direct_config_read'
  | 'vfio_basic_config_read'
  | 'vfio_msi_config_read'
  | 'vfio_raw_config_read'
  | 'vfio_virt_config_read';

export type WriteFn =
  | 'vfio_default_config_write'
  | 'vfio_raw_config_write'
  | 'vfio_virt_config_write'
  | 'vfio_basic_config_write'
  | 'vfio_pm_config_write'
  | 'vfio_vpd_config_write'
  | 'vfio_exp_config_write'
  | 'vfio_af_config_write'
  | 'vfio_msi_config_write';

/**
 * A capability's entry of cap_perms/ecap_perms: its init function's alloc_perm_bits size (C
 * text, null: not allocated, the default direct read), read and write functions, and rows.
 */
export interface CapPerms {
  /** "BASIC", "PM", "EXP", ..., "ext ERR", "ext VNDR". */
  cap: string;
  init: string | null;
  alloc: string | null;
  readfn: ReadFn;
  writefn: WriteFn | null;
  rows: PermRow[];
}

/** The decisions of the config-space code that a kernel writes as a condition. */
export const CONFIG_DECISIONS = [
  'cap-length-known',
  'ecap-length-known',
  'ecap-unknown-perms',
  'extended-caps',
  'exp-length-rc-end',
  'vf-ids',
  'vf-pin-zero',
  'pin-zero',
  'pm-vconfig-clear',
  'pm-trap',
  'pm-lock-zap',
  'exp-flr',
  'exp-flr-supported',
  'exp-readrq-changed',
  'af-flr',
  'af-flr-supported',
  'msi-flags-covered',
  'msi-enable-forced-off',
  'msi-qsize-clamp',
  'vpd-no-work',
  'vpd-write',
  'rom-shadow',
  'rom-platform',
  'pasid-vf-shared',
  'pasid-vf-result',
  'pri-vf-shared',
  'pri-vf-result',
  'ats-vf',
  'ats-vf-stu',
] as const;
export type ConfigDecision = (typeof CONFIG_DECISIONS)[number];

/** Rules a kernel has as a shape of its code rather than a condition. */
export interface ConfigRules {
  /** pci_config_map: one byte per dword (v3.6) or per byte. */
  map: 'dword' | 'byte';
  /** Bytes no capability owns: read 0 / write dropped (v3.6), or raw hardware access. */
  unassigned: 'zero' | 'raw';
  /** vfio_config_do_rw chops at capability boundaries (vfio_pci_cap_remaining_dword). */
  chopAtCapability: boolean;
  /** DPA length: round_up(substates + 1, 4) (v3.6) or substates + 1. */
  dpaLength: 'round-up' | 'exact';
  /** PCI_CAP_ID_MAX / PCI_EXT_CAP_ID_MAX of the kernel's pci_regs.h. */
  capIdMax: number;
  ecapIdMax: number;
}

/** A kernel's config-space code as data: the part of a kernel variant (PolicySpec.config) it adds. */
export interface ConfigSpaceSpec {
  perms: CapPerms[];
  /** pci_cap_length / pci_ext_cap_length as C text by capability ID ("0xFF": variable). */
  capLengths: Record<number, string>;
  ecapLengths: Record<number, string>;
  decisions: Record<ConfigDecision, string | null>;
  rules: ConfigRules;
  /** The PCI core line (drivers/pci/ats.c VF rules) this kernel has. */
  pciCore: 'pre-v5.5' | 'v5.5';
}

/** A row of the config variants as variants.ts writes them (model/kernels.ts joins the Command part). */
export interface ConfigVariantSpec extends ConfigSpaceSpec {
  id: string;
  label: string;
  status: 'release' | 'proposal';
  description: string;
  /** Commits the row stands for (first mainline version as the facts give it). */
  commits: string[];
  /** The Command-register kernel (model/commandKernels.ts id) whose decisions the basic header uses. */
  commandKernel: string;
  /** Overrides of the Command-register decisions (v3.6 has no vfio_need_bar_restore). */
  commandOverrides?: Record<string, string | null>;
}

/** A change a commit makes, applied to the previous variant to give the next. */
export interface VariantChange {
  commit: string;
  summary: string;
  perms?: CapPerms[];
  removePerms?: string[];
  capLengths?: Record<number, string>;
  ecapLengths?: Record<number, string>;
  decisions?: Partial<Record<ConfigDecision, string | null>>;
  rules?: Partial<ConfigRules>;
  pciCore?: ConfigVariantSpec['pciCore'];
  commandKernel?: string;
  commandOverrides?: Record<string, string | null>;
}

/* ---------- steps and observations ---------- */

export type CfgAction =
  | 'open'
  | 'cfg-read'
  | 'cfg-write'
  | 'cfg-walk'
  | 'flr'
  | 'set-power'
  | 'enable-msi'
  | 'pci_enable_pasid'
  | 'pci_enable_pri'
  | 'pci_enable_ats';

/** A step of the one model (model/steps.ts); config steps name their offset by register or number. */
export type CfgStep = Step;

export interface ConfigExplanation {
  decision: string;
  expression: string;
  operands: OperandValue[];
  result: number | 'unknown';
}

/** What one chopped chunk did and which table row decided it. */
export interface ChunkTrace {
  offset: number;
  width: number;
  /** "BASIC", "EXP", "ext ERR", "unassigned", "virt-only", ... */
  region: string;
  readfn: ReadFn | 'none';
  writefn: WriteFn | 'none';
  virt: number;
  write: number;
  /** The p_set* row(s) that gave the masks, or why there is none. */
  rows: string[];
}

export interface HardwareWrite {
  register: string;
  offset: number;
  width: number;
  value: number;
}

export type SideEffect =
  | { kind: 'function-reset'; by: 'vfio' | 'hardware' }
  | { kind: 'power'; from: number; to: number; by: 'vfio' | 'hardware' }
  | { kind: 'intx-masked' }
  | { kind: 'intx-unmasked' }
  | { kind: 'msi-enabled' }
  | { kind: 'mmaps-zapped' }
  | { kind: 'bars-restored' }
  | { kind: 'readrq-set'; bytes: number }
  | { kind: 'vpd'; op: 'read' | 'write'; address: number };

export interface ChainEntry {
  space: 'std' | 'ext';
  offset: number;
  id: number;
}

export interface CfgObservation {
  step: string;
  outcome: 'ok' | 'EFAULT' | 'EINVAL' | 'EBUSY' | 'undefined';
  /** cfg-read: the value the user read (little-endian bytes as a number). */
  value?: number;
  /** What reached the hardware (empty: nothing did). */
  hardware: HardwareWrite[];
  /** Bytes of a write that reached neither vconfig nor hardware. */
  dropped: { offset: number; width: number }[];
  effects: SideEffect[];
  /** cfg-walk: the capability chain as the user walks it. */
  chain?: ChainEntry[];
  /** PCI core steps: the function's return value. */
  returned?: number;
  chunks: ChunkTrace[];
  notes: string[];
  dependsOn?: string[];
}
