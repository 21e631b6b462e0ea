/**
 * The public shapes of the model (server/src/model). The model is pure TypeScript: it imports
 * nothing outside model/. C text is turned into Expr by csrc/ (tree-sitter-c) and handed in.
 */

export const DEVICE_KIND_IDS = [
  'pf',
  'pf-no-io',
  'vf',
  's390-vf-linked',
  's390-vf-detached',
  's390-vf-noiov',
  'guest-vf',
] as const;
export type DeviceKindId = (typeof DEVICE_KIND_IDS)[number];

export const KERNEL_IDS = [
  'v5.7',
  'v5.8-rc1',
  'v5.8',
  'v2-detached_vf',
  'v4-dev_flags',
  'v5.10',
  'v5.19',
] as const;
export type KernelId = (typeof KERNEL_IDS)[number];

export const DECISION_POINTS = [
  'memory-enabled',
  'read-or-in',
  'restore-condition',
  'restore-skip',
  'init-force-memory',
] as const;
export type DecisionPoint = (typeof DECISION_POINTS)[number];

export const STEP_ACTIONS = [
  'open',
  'write-cmd',
  'write-cmd-byte',
  'read-cmd',
  'mmio-read',
  'mmio-write',
  'mmap-touch',
  'ioeventfd-write',
  'ioport-read',
  'backdoor-reset',
  'd3hot',
  'd0',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** The model's expression form (what csrc/ produces from C). */
export type Expr =
  | { kind: 'num'; value: number; text: string }
  | { kind: 'ident'; name: string; text: string }
  | { kind: 'call'; callee: string; args: Expr[]; text: string }
  | { kind: 'unary'; op: '!' | '~' | '-'; arg: Expr; text: string }
  | {
      kind: 'binary';
      op: '&&' | '||' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '<<' | '>>' | '+' | '-';
      left: Expr;
      right: Expr;
      text: string;
    }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; text: string }
  | { kind: 'unknown'; text: string };

/** Where a marker (is_virtfn, no_command_memory, a dev_flags bit, ...) gets set on a device. */
export type CreationPath =
  | 'pci_iov_add_virtfn'
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

/** A kernel's logic as data: C text per decision point (null: the point does not exist there). */
export interface PolicySpec {
  id: string;
  label: string;
  decisions: Record<DecisionPoint, string | null>;
  markers: MarkerSetter[];
  /** Values of named constants the expressions may use (e.g. a dev_flags bit defined by a patch). */
  constants?: Record<string, number>;
}

export type AccessOutcome = 'ok' | 'EIO' | 'SIGBUS' | 'dropped' | 'unclaimed';
export type RestoreObservation = 'none' | 'skipped' | 'performed';

export interface OperandValue {
  name: string;
  value: number | 'unknown';
  meaning?: string;
}

export interface Explanation {
  decision: DecisionPoint;
  expression: string;
  operands: OperandValue[];
  result: number | 'unknown';
}

export interface TraceEntry {
  /** 1-based position in the script. */
  step: number;
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
}
