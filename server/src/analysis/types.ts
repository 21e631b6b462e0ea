/** The analysis result: what a patch or series changes, for which device, on which line. */
import type { Range } from '../common/position';
import type { DecisionPoint, DeviceKindId, ExplainedDecision, KernelId, Observation } from '../model/index';

export const FINDING_KINDS = [
  'behaviour-change',
  'marker-defined',
  'marker-set',
  'unmodeled-change',
  'lint',
  'bisect',
  'read-problem',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One side of a behaviour change: the step that shows it, what it observes there, and why. */
export interface ChangeSide extends Observation {
  /** The decisions that step took, each with its C expression and every operand's value and meaning. */
  why: ExplainedDecision[];
}

export interface BehaviourChange {
  device: DeviceKindId;
  steps: string[];
  /** The first step whose observation differs, before and after (`text`: "mmio-read: EIO" -> "mmio-read: ok"). */
  before: ChangeSide;
  after: ChangeSide;
  /** Only internal paths differ (a restore called that returns early, ...). */
  internal?: boolean;
}

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  kind: FindingKind;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Index of the patch in the document's patches (0-based position in ReadResult.patches). */
  patch?: number;
  diffFile?: string;
  function?: string;
  decision?: DecisionPoint;
  changes: BehaviourChange[];
  related: RelatedInfo[];
  /** A short inlay-hint text for the line, e.g. "s390-vf-detached: open+mmio EIO→ok". */
  hint?: string;
}

export interface PatchSummary {
  index?: number;
  total?: number;
  version: number;
  subject: string;
  range: Range;
}

export interface DocumentAnalysis {
  file: string;
  baseline: { kernel: KernelId | null; detectedFrom: string };
  patches: PatchSummary[];
  findings: Finding[];
}

export interface AnalyzeOptions {
  /** Display name or URI of the document, used in findings. */
  file: string;
  /** Overrides baseline detection. */
  baseline?: KernelId;
  /** Device kinds to report (default: all). */
  devices?: DeviceKindId[];
  /** Give up (and say so in a finding) after this many milliseconds. */
  budgetMs?: number;
  /** Cooperative cancellation: checked between patches. */
  isCancelled?: () => boolean;
}
