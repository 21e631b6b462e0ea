/**
 * What the zPCI model's runs answer and what a zPCI behaviour change carries: the shapes the CLI
 * prints as JSON and the server sends (lsp/protocol.ts re-exports them). Each mirrors its vfio
 * counterpart (types.ts) with the zPCI model's own observations: a QEMU version (`qemu`) on a host
 * kernel (`host`) instead of a kernel, and the checks of QEMU's C text in `why`.
 */
import type { OperandValue } from '../model/index';
import type { ClpDifference, MmioChunk, ZpciDelivery, ZpciOutcome } from '../model/zpci';

/** One node a zPCI step evaluated (a check, a branch case, an access), with each operand's value. */
export interface ZpciWhy {
  /** The node: "pcistb/length", "plug/msix-fence", "clp-enable/already-enabled". */
  decision: string;
  label: string;
  /** The C text evaluated (guard && condition where a guard applies). */
  expression: string;
  operands: OperandValue[];
  result: number | 'unknown';
  /** This node decided the step's outcome. */
  decided?: boolean;
  /** The C text with each operand's value after it: `len (4096) > pbdev->pci_group->zpci_group.maxstbl (128)`. */
  text: string;
}

/** One step of a zPCI trace. */
export interface ZpciTraceStep {
  step: number;
  /** The step as written, normalised ("pcistb 0 0 4096"). */
  action: string;
  outcome: ZpciOutcome;
  /** How an accepted load or store reached the device (QEMU's side and the host's). */
  delivery?: ZpciDelivery;
  why: ZpciWhy[];
  notes?: string[];
  dependsOn?: string[];
  /** The step as the simulator shows it: one line, and the table's cells. */
  display: { text: string; cells: { outcome: string; delivery: string; check: string } };
}

export interface ZpciSimulateResult {
  model: 'zpci';
  device: string;
  qemu: string;
  host: string;
  /** One entry per step; where unknown names fork the run, the branch assuming them all 0. */
  trace: ZpciTraceStep[];
  branches?: { assumptions: Record<string, number>; trace: ZpciTraceStep[] }[];
}

export interface ZpciDifferenceResult {
  device: string;
  host: string;
  steps: string[];
  before: ZpciTraceStep[];
  after: ZpciTraceStep[];
  internalOnly?: boolean;
  dependsOn?: string[];
  assumptions?: Record<string, number>;
}

/**
 * Why a device kind shows no difference although the versions differ: a side never plugs it, so
 * no instruction reaches QEMU's checks. Says what each side's plug did (QEMU's message and the
 * deciding check with its operands), where the difference between the two versions does show,
 * and under which versions this kind does reach QEMU's checks.
 */
export interface ZpciUnreached {
  device: string;
  sides: { qemu: string; host: string; plug: ZpciTraceStep }[];
  reason: string;
  /** The other kinds of function, plugged on both sides: what the same comparison finds for them. */
  elsewhere: {
    device: string;
    differences: number;
    internalOnly: number;
    /** The first visible case: "steps: before → after". */
    example?: string;
    /** The first case where only the deciding check or its operands differ. */
    internalExample?: string;
  }[];
  /** The versions under which this kind is plugged, intercepted: its instructions reach QEMU there. */
  reaches: string[];
}

export interface ZpciCompareResult {
  model: 'zpci';
  a: { qemu: string; host: string };
  b: { qemu: string; host: string };
  differences: ZpciDifferenceResult[];
  /** What the exploration could not reach (a plug refused on a side, a budget cut). */
  notes: string[];
  /** The device kinds without a difference because a side never plugs them, and why. */
  unreached: ZpciUnreached[];
  /** What CLP reports differently after the plug (no step observes it). */
  clp: ClpDifference[];
  stats: { states: number; transitions: number; depth: number; devices: number };
}

export interface ZpciMatrixResult {
  model: 'zpci';
  host: string;
  scenarios: { id: string; steps: string[]; description: string }[];
  devices: string[];
  qemu: string[];
  cells: { scenario: string; device: string; qemu: string; summary: string; steps: string[] }[];
}

export interface ZpciStatesResult {
  model: 'zpci';
  device: string;
  qemu: string;
  host: string;
  initial: string;
  /** A state's id is canonical (the same state has the same id under every version). */
  states: { id: string; label: string }[];
  edges: { from: string; to: string; step: string; outcome: string }[];
  truncated?: boolean;
}

/** One side of a zPCI behaviour change: the step that shows it, what it observes there, and why. */
export interface ZpciChangeSide {
  model: 'zpci';
  step: string;
  /** The version (and host) of this side: the baseline, or the baseline with the patch. */
  qemu: string;
  host: string;
  /** null for a value CLP reports (`clp` says which) or a host syscall's result (`mmio`). */
  outcome: ZpciOutcome | null;
  delivery?: ZpciDelivery;
  clp?: { field: ClpDifference['field']; value: string; origin: string };
  /** s390_pci_mmio_write/read of the host kernel: what it returns and how it copies. */
  mmio?: { ret: string; chunks: MmioChunk[] };
  /** The observation in a few words ("specification exception"). */
  reading: string;
  /** "pcistb 0 0 4096: specification exception". */
  text: string;
  why: ZpciWhy[];
}

export interface ZpciBehaviourChange {
  model: 'zpci';
  /** A zPCI device kind, or "host" for a host kernel's s390_pci_mmio_* call (`steps` names it). */
  device: string;
  steps: string[];
  before: ZpciChangeSide;
  after: ZpciChangeSide;
  /** Only the deciding check (or its operands) differs. */
  internal?: boolean;
  dependsOn?: string[];
}
