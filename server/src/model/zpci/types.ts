/**
 * The shapes of the zPCI model: a QEMU version as data (every instruction's body as ordered
 * nodes holding the C text QEMU writes), device kinds, host kernels, steps and observations.
 */
import type { Expr, OperandValue } from '../types';
import type { ClpResponse, ProgramInterrupt } from './constants';

export const ZPCI_INSTRUCTIONS = ['pcilg', 'pcistg', 'pcistb'] as const;
export type ZpciInstruction = (typeof ZPCI_INSTRUCTIONS)[number];

export const ZPCI_VERSION_IDS = [
  'v2.3',
  'v2.6',
  'v2.7',
  'v2.8',
  'v2.9',
  'v2.12',
  'v5.2',
  'v6.0',
  'v7.2',
  'v8.0',
  'latest',
  'rfc-msix_fence',
  'rfc-ism',
] as const;
export type ZpciVersionId = (typeof ZPCI_VERSION_IDS)[number];

export const ZPCI_DEVICE_KIND_IDS = ['zpci-intercepted', 'ism', 'zpci-interpreted', 'zpci-emulated'] as const;
export type ZpciDeviceKindId = (typeof ZPCI_DEVICE_KIND_IDS)[number];

export const HOST_KERNEL_IDS = [
  'host-v5.7',
  'host-v5.8',
  'host-v5.10',
  'host-v6.0',
  'host-v6.8',
  'host-v6.15',
  'host-ism_vfio',
  'host-rfc-zpci_io',
] as const;
export type HostKernelId = (typeof HOST_KERNEL_IDS)[number];

/** What a check makes the instruction (or the CLP request) return when its condition holds. */
export type CheckOutcome =
  | { cc: 1 | 2 | 3; status?: number }
  | { pgm: ProgramInterrupt }
  | { clp: ClpResponse }
  | { notModelled: string };

/** One `if (CONDITION) { ...; return OUTCOME; }` of QEMU's code. */
export interface CheckNode {
  kind: 'check';
  /** Stable key within the instruction ("length", "fh-enable"); a patch's hunk is matched to it. */
  id: string;
  label: string;
  /** The condition as QEMU writes it (one C expression). */
  condition: string;
  /** The condition of an enclosing `if` that only some versions have (the RFC's relaxed test). */
  guard?: string;
  outcome: CheckOutcome;
}

/** A `switch`/`if ... else if ... else` whose cases hold further nodes; `when: null` is the default. */
export interface BranchNode {
  kind: 'branch';
  id: string;
  label: string;
  cases: { when: string | null; label: string; body: BodyNode[] }[];
}

export type AccessEffect =
  'bar-load' | 'bar-store' | 'config-load' | 'config-store' | 'guest-read' | 'region-block';

/** A statement that touches memory: its MemTxResult goes to `assign` when the version keeps it. */
export interface AccessNode {
  kind: 'access';
  id: string;
  label: string;
  /** The statement as QEMU writes it (shown; its value comes from `effect`, `addr`, `size`). */
  statement: string;
  effect: AccessEffect;
  /** C expression of the address within the BAR (bar-load/bar-store). */
  addr?: string;
  /** C expression of the access size in bytes. */
  size: string;
  /** The local the result is assigned to ("result"); absent: the result is ignored. */
  assign?: string;
  /** guest-read: the size of the staging buffer the bytes land in. */
  buffer?: number;
}

/** `for (VARIABLE = 0; TEST; VARIABLE += STEP) BODY`. */
export interface LoopNode {
  kind: 'loop';
  id: string;
  label: string;
  variable: string;
  test: string;
  step: number;
  body: BodyNode[];
}

export type BodyNode = CheckNode | BranchNode | AccessNode | LoopNode;

/** How an instruction's fields are taken from the registers (C text, the register's low word). */
export interface DecodeSpec {
  len: string;
  pcias: string;
}

/** A check of s390_pcihost_plug: the plug fails with `message` when guard && condition holds. */
export interface PlugCheck {
  id: string;
  label: string;
  condition: string;
  guard?: string;
  message: string;
}

export interface PlugSpec {
  /** The choice between interpretation and interception for a vfio device; null: always intercepted. */
  interpretation: string | null;
  /** In order: the MSI-X fence (from v2.9.0), the RFC's zPCI I/O region requirement. */
  checks: PlugCheck[];
}

/** What a version differs in besides its C text (each with the commit that brought it). */
export interface ZpciVersionTraits {
  /** v2.3-v2.6: lgstg_blocked/error_state flags; from 5d1abf234462 (v2.7.0) the ZPCI_FS_* states. */
  stateModel: 'blocked-flag' | 'function-states';
  /** FH_SHM_VFIO / FH_SHM_EMUL in the guest fh (c188e30315, v2.7.0). */
  fhShmBits: boolean;
  /** s390_pci_device_reset exists (5d1abf234462, v2.7.0): a reset disables the function. */
  functionReset: boolean;
  /** What CLP Query PCI Function Group reports as maxstbl. */
  clpMaxstbl: 'reserved' | 'constant-128' | 'group';
  /** Where a function's group (pbdev->pci_group) takes maxstbl from (28dc86a07299, 1e7552ff5c34, 9ee8f7e46a7d). */
  groupMaxstbl: 'none' | 'host-group' | 'host-group-imaxstbl';
  /** The value of pbdev->maxstbl where the version has that field (v2.12-v5.1: never assigned, 0). */
  pbdevMaxstbl?: number;
  /** The id of the default PCI group (0x20; 0xFF from b2892a2b9d45, v7.0.0). */
  defaultGroupId: number;
  /** Intercepted vfio devices get simulated groups from 0xF0 (30dcf4f7fd23, v7.2.0). */
  simulatedGroups: boolean;
  /** The group's fr gets the relaxed bit 0x8 when the host reports it (unmerged RFC 6/8). */
  relaxedFromHost: boolean;
  /** vfio_region_ops.valid = {1, 8} (15126cba86, v2.10.0); before, no size limits. */
  vfioRegionSizes: boolean;
  /** memory_region_access_valid rejects sizes above max_access_size (5d971f9e67, v5.1.0). */
  accessValidChecksSize: boolean;
  /** A relaxed function sets up the vfio zPCI I/O region at plug (unmerged RFC 7/8). */
  ioRegion: boolean;
  /** ISM passthrough devices are reset on system reset and shutdown (03451953c79e, v8.0.0). */
  ismReset: boolean;
}

export interface ZpciVersionSpec {
  id: string;
  label: string;
  description: string;
  /** The commits that define this version's state (first release in the id). */
  commits: string[];
  /** Unmerged proposal (like the vfio model's v2-detached_vf). */
  proposal?: boolean;
  decode: Record<ZpciInstruction, DecodeSpec>;
  instructions: Record<ZpciInstruction, BodyNode[]>;
  plug: PlugSpec;
  /** CLP SET PCI FUNCTION: the checks of enable and disable, in order. */
  clp: { enable: CheckNode[]; disable: CheckNode[] };
  traits: ZpciVersionTraits;
}

/** A memory region's MemoryRegionOps.valid as memory_region_access_valid reads it. */
export interface RegionRule {
  unaligned: boolean;
  minAccess: number;
  maxAccess: number;
  /** What region this is, for explanations. */
  name: string;
}

export interface ZpciDeviceKind {
  id: ZpciDeviceKindId;
  label: string;
  description: string;
  /** vfio-pci passthrough, or a device QEMU emulates (virtio, ...). */
  backend: 'vfio' | 'emulated';
  /** The host's PCI Function Type (5 = ISM); the guest sees 0 for vfio devices from v5.2. */
  pft: number;
  hasMsix: boolean;
  /** The BAR holding the MSI-X table (its routing is not modelled). */
  msixTableBar?: number;
  /** Whether the machine and host facility allow KVM zPCI interpretation for this function. */
  interpretation: 'available' | 'unavailable';
  /** BAR0..BAR5 sizes in bytes (0: no BAR). */
  bars: number[];
  /** The function supports MIO instructions on the host. */
  mio: boolean;
  /** Stores must reach the device as one non-MIO PCISTB, never split (ISM). */
  needsBlockStores: boolean;
  /** What firmware reports for the function's group (CLP), with what is assumed. */
  firmware: { maxstbl: number; imaxstbl: number; relaxedAlignment: boolean; note?: string };
  /** An emulated device's BAR ops (vfio devices use vfio_region_ops). */
  emulatedRegion?: RegionRule;
}

/** A compiled version: every C text parsed (by the parser handed in). */
export interface CompiledCheck extends CheckNode {
  conditionExpr: Expr;
  guardExpr?: Expr;
}
export interface CompiledBranch extends Omit<BranchNode, 'cases'> {
  cases: { when: string | null; whenExpr: Expr | null; label: string; body: CompiledNode[] }[];
}
export interface CompiledAccess extends AccessNode {
  addrExpr?: Expr;
  sizeExpr: Expr;
}
export interface CompiledLoop extends Omit<LoopNode, 'body'> {
  testExpr: Expr;
  body: CompiledNode[];
}
export type CompiledNode = CompiledCheck | CompiledBranch | CompiledAccess | CompiledLoop;

/* ---- steps and observations ---- */

export const ZPCI_STEP_ACTIONS = [
  'plug',
  'enable',
  'disable',
  'pcilg',
  'pcistg',
  'pcistb',
  'error',
  'reset',
  'problem-state',
  'supervisor-state',
] as const;
export type ZpciStepAction = (typeof ZPCI_STEP_ACTIONS)[number];

export interface ZpciStep {
  action: ZpciStepAction;
  /** PCIAS (instructions). */
  as?: number;
  offset?: number;
  len?: number;
  /** pcistb: the guest address of the source data. */
  gaddr?: number;
  /** pcilg/pcistg: the R2 register number (the pair R2, R2+1). */
  r2?: number;
  /** The step normalised ("pcistb 0 0xfc0 128"). */
  text: string;
}

export interface ZpciExplanation {
  /** "instruction/check id" ("pcistb/length", "plug/fence"). */
  node: string;
  label: string;
  /** The C text evaluated (guard && condition where a guard applies). */
  expression: string;
  operands: OperandValue[];
  result: number | 'unknown';
  /** This node decided the step's outcome. */
  decided?: boolean;
}

export type ZpciOutcome =
  | { kind: 'accepted' }
  | { kind: 'condition-code'; cc: 1 | 2 | 3; status?: number }
  | { kind: 'program-interrupt'; pgm: ProgramInterrupt }
  | { kind: 'plugged'; interpreted: boolean; fh: number }
  | { kind: 'plug-refused'; message: string }
  | { kind: 'clp'; response: ClpResponse; fh?: number }
  | { kind: 'interpreted' }
  | { kind: 'staging-overflow'; len: number; buffer: number }
  /** `key` names the behaviour ("error", "reset:disabled"); `description` says it in QEMU's words. */
  | { kind: 'state'; key: string; description: string }
  | { kind: 'not-modelled'; reason: string };

/** How the host performs what QEMU (or the guest, interpreted) sends to the device. */
export interface HostDelivery {
  /** The s390 instruction the host issues, its size and how many. */
  instruction: 'PCISTG' | 'PCISTB' | 'PCILG' | 'none';
  size: number;
  count: number;
  mio: boolean;
  /** The host path ("vfio-pci region write", "ism-vfio-pci write()", "zPCI I/O region"). */
  via: string;
  /** A host-side error return (-EINVAL, ...), if the host refuses. */
  error?: string;
  /** What goes wrong for the device (a fragmented block store for ISM, ...). */
  problem?: string;
}

/** How an accepted load or store reaches the device. */
export interface ZpciDelivery {
  /** QEMU's side: one access, N pieces, the config-space emulation, the zPCI I/O region. */
  path: 'bar-access' | 'pieces' | 'config' | 'zpci-io-region';
  pieces: number;
  size: number;
  host?: HostDelivery;
}

export interface ZpciObservation {
  action: string;
  outcome: ZpciOutcome;
  delivery?: ZpciDelivery;
  why: ZpciExplanation[];
  notes?: string[];
  /** Identifiers of unknown value this step depended on. */
  dependsOn?: string[];
}

export interface ZpciTraceEntry extends ZpciObservation {
  step: number;
}
