/**
 * The public shapes of the model (server/src/model). The model is pure TypeScript: it imports
 * nothing outside model/. C text is turned into Expr by csrc/ (tree-sitter-c) and handed in.
 */

export type { DeviceKindId } from './devices';
export type { KernelId } from './kernels';
import type { DeviceKindId } from './devices';
import type { KernelId } from './kernels';
import type { CfgObservation, ConfigSpace, ConfigSpaceSpec } from './vfio/config/types';

export const DECISION_POINTS = [
  'memory-enabled',
  'read-or-in',
  'restore-condition',
  'restore-skip',
  'init-force-memory',
] as const;
export type DecisionPoint = (typeof DECISION_POINTS)[number];

export type { StepAction } from './steps';

/**
 * How deep an Expr may nest: a parser hands the model nothing deeper (deeper C is one `unknown`
 * with a reason), and the evaluator takes a deeper subexpression as one unknown operand, so no
 * walk over an Expr recurses further than this on any stack.
 */
export const MAX_EXPR_DEPTH = 256;

/** The model's expression form (what csrc/ produces from C). */
export type Expr =
  | { kind: 'num'; value: number; text: string }
  | { kind: 'ident'; name: string; text: string }
  | { kind: 'call'; callee: string; args: Expr[]; text: string }
  | { kind: 'unary'; op: '!' | '~' | '-'; arg: Expr; text: string }
  | {
      kind: 'binary';
      op:
        | '&&'
        | '||'
        | '&'
        | '|'
        | '^'
        | '=='
        | '!='
        | '<'
        | '<='
        | '>'
        | '>='
        | '<<'
        | '>>'
        | '+'
        | '-'
        | '*'
        | '/'
        | '%';
      left: Expr;
      right: Expr;
      text: string;
    }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; text: string }
  /** C the parser could not read; `reason` says why when it is not plain unreadable text ("nested more than 256 deep"). */
  | { kind: 'unknown'; text: string; reason?: string };

/** Where a marker (is_virtfn, no_command_memory, a dev_flags bit, ...) gets set on a device. */
export type CreationPath =
  | 'pci_iov_add_virtfn'
  | 's390-zpci_bus_add_device'
  | 's390-pcibios_bus_add_device'
  | 's390-pcibios_enable_device'
  | 's390-link-virtfn'
  | (string & {});

export interface MarkerSetter {
  path: CreationPath;
  /** A bitfield of struct pci_dev ("is_virtfn", "no_command_memory", "detached_vf") or "dev_flags:NAME". */
  marker: string;
  /** C condition under which it is set (e.g. "zdev->vfn && !zdev->zbus->multifunction"), if any. */
  condition?: string;
}

/**
 * A kernel's logic as data: the Command-register part (C text per decision point, null: the point
 * does not exist there; marker setters; traits) and the config-space part (`config`: permission
 * rows, capability lengths, the write functions' decisions, rules). One variant of one model.
 */
export interface PolicySpec {
  id: string;
  label: string;
  decisions: Record<DecisionPoint, string | null>;
  markers: MarkerSetter[];
  /** Values of named constants the expressions may use (e.g. a dev_flags bit defined by a patch). */
  constants?: Record<string, number>;
  /** What else this kernel differs in (gating, zaps, log wording); defaults derive from the decisions. */
  traits?: Partial<KernelTraits>;
  /** The config-space code of this kernel (model/vfio/config). */
  config: ConfigSpaceSpec;
}

export type AccessOutcome = 'ok' | 'EIO' | 'SIGBUS' | 'dropped' | 'unclaimed';
export type RestoreObservation = 'none' | 'skipped' | 'performed';

export interface OperandValue {
  name: string;
  value: number | 'unknown';
  meaning?: string;
}

export interface Explanation {
  /** A Command-register decision point, a config-space decision (vfio/config CONFIG_DECISIONS) or a row condition. */
  decision: DecisionPoint | (string & {});
  expression: string;
  operands: OperandValue[];
  result: number | 'unknown';
}

/** An explanation as a trace shows it: with `text`, the expression annotated with each operand's value. */
export interface ExplainedDecision extends Explanation {
  /** `pdev->no_command_memory (1) || (cmd & PCI_COMMAND_MEMORY) (0)`: operands not reached have no value. */
  text: string;
}

/** What one step of the model observes (the exploration compares these; a trace adds its position and text). */
export interface StepObservation {
  /** The step as written, normalised ("write-cmd 0x0002"). */
  action: string;
  outcome?: AccessOutcome;
  read?: number;
  restore?: RestoreObservation;
  /** The kernel log line a performed restore prints. */
  log?: string;
  zap: boolean;
  /** vfio's virtual COMMAND bits after the step (MEMORY|IO|INTX_DISABLE). */
  virt: number;
  /** The hardware COMMAND register after the step. */
  hw: number;
  why: Explanation[];
  /** Identifiers whose value the model does not know and that this step depended on. */
  dependsOn?: string[];
  /** Facts that decided the step besides decision points (hardware decode, power state, ...). */
  notes?: string[];
  /** A config-space step (cfg-read, cfg-write, cfg-walk, ...): what it observed of the config space. */
  config?: CfgObservation;
}

/** The simulator's reading of a step (model/observation.ts): a line, and table cells in column order. */
export interface StepDisplay {
  text: string;
  cells: Record<string, string>;
}

/** One step of a script run: the observation, its position, its explanations annotated, its display. */
export interface TraceEntry extends Omit<StepObservation, 'why'> {
  /** 1-based position in the script. */
  step: number;
  why: ExplainedDecision[];
  display: StepDisplay;
}

export interface Difference {
  device: DeviceKindId;
  steps: string[];
  before: TraceEntry[];
  after: TraceEntry[];
  /** Identifiers of unknown value that the difference depends on, if any. */
  dependsOn?: string[];
  /** True when only internal observations differ (a restore called that returned early, ...). */
  internalOnly?: boolean;
  /** The values assumed for unknown identifiers on this sequence (0 or 1). */
  assumptions?: Record<string, number>;
}

/* ---- Added by the model (issue 3): shapes the model's tables and results use. ---- */

/** What a device kind's hardware implements, as vfio and the user can observe it. */
export interface DeviceHardware {
  /** COMMAND.MEMORY: a real enable bit, or hard-wired 0 (VFs; s390 firmware does not emulate it). */
  commandMemory: 'implemented' | 'hardwired-0';
  /** COMMAND.IO: a real enable bit, or hard-wired 0 (no I/O space). */
  commandIo: 'implemented' | 'hardwired-0';
  /** Whether memory BAR accesses are decoded only while COMMAND.MEMORY is set, or always (VF MSE lives in the PF). */
  memoryDecode: 'when-command-memory' | 'always';
  /** Whether the device has an I/O-port BAR. */
  ioBar: boolean;
  /**
   * Where the BAR values vfio saves at open live: in the header (lost by a reset), read as 0
   * (VF: BARs live in the PF's SR-IOV capability), emulated by firmware or by the host (kept).
   */
  bars: 'header' | 'read-zero' | 'firmware-emulated' | 'host-emulated';
}

/** The stories of the model a device kind belongs to (which explorations run on it by default). */
export type Story = 'command-register' | 'config-space';

/**
 * One device kind of the one vfio-pci model: its Command-register view (creation paths,
 * environment, what the hardware implements) and its config space as bytes and tables.
 */
export interface DeviceKind<Id extends string = DeviceKindId> extends ConfigSpace {
  id: Id;
  label: string;
  description: string;
  /**
   * The stories it is explored in by default: the seven Command-register kinds of the domain doc
   * (§5) are in both; a config-space kind's Command-register behaviour is that of one of them.
   */
  stories: readonly Story[];
  /** The creation paths this device goes through (marker setters on other paths do not apply). */
  paths: CreationPath[];
  /** Facts of its environment that setter conditions may test (zdev->vfn, CONFIG_PCI_IOV, ...). */
  environment: Record<string, number>;
  hardware: DeviceHardware;
}

/** What a kernel differs in besides its decision expressions and marker setters. */
export interface KernelTraits {
  /** A COMMAND write clearing MEMORY zaps the BAR mmaps (abafbc551fdd). */
  zapOnMemoryDisable: boolean;
  /** BAR mmaps are populated on fault, and the fault handler tests memory-enabled (11c4cd07ba11). */
  mmapFaulting: boolean;
  /** ioeventfd writes test memory-enabled and are dropped when it is false (bc93b9ae0151). */
  ioeventfdGated: boolean;
  /**
   * Entering D3hot through PM_CTRL zaps the BAR mmaps (2b2c651baf1c changed both together): what a
   * kernel does when its config part has no `pm-lock-zap` decision (a patch edits only the gate).
   */
  zapOnD3hot: boolean;
  /** The line vfio_bar_restore logs when it rewrites the BARs. */
  restoreLog: string;
}

export interface KernelVariantInfo<Id extends string = KernelId> {
  id: Id;
  label: string;
  description: string;
  commit?: string;
}

/** Statistics of one exploration (for the benchmark and the CLI). */
export interface ExploreStats {
  /** Product states visited (pairs of states of the two policies, with their assumptions). */
  states: number;
  transitions: number;
  depth: number;
}
