/**
 * What every finding producer of one analysis reads: the document as the reader found it, its
 * units and their C readings, the baseline, the series applied to it, and where each marker is
 * defined and set. Built once per document (analysis/index.ts), read by the producers.
 */
import type { Range } from '../common/position';
import type { DecisionCandidate, SideFacts } from '../csrc/codeFacts';
import { readDocument } from '../mail/index';
import type { ReadResult } from '../mail/types';
import { DEVICE_KIND_IDS, markerName, type DeviceKindId } from '../model/index';
import { detectBaseline, type BaselineChoice } from './baseline';
import { cappedRelated } from './related';
import { reviewRelated } from './reviewComments';
import {
  applySeries,
  documentMacros,
  readRecords,
  type DecisionChange,
  type HunkRecord,
  type UnitEffect,
} from './applySeries';
import { applyConfigSeries, readConfigUnits, type ConfigUnitEffect } from './configSeries';
import { kernelSpec } from './modelRuns';
import type { AnalyzeOptions, Finding, RelatedInfo } from './types';
import { collectUnits, hunkIdentity, type AnalysisUnit } from './units';
import { readZpciDocument, type ZpciDocumentReading } from './zpciReading';

export interface AnalysisContext {
  options: AnalyzeOptions;
  text: string;
  read: ReadResult;
  /** The device kinds to report. */
  devices: DeviceKindId[];
  units: AnalysisUnit[];
  records: HunkRecord[];
  macros: ReturnType<typeof documentMacros>;
  baseline: BaselineChoice;
  /** Each unit applied in series order: its policy before and after, and the changes that made it. */
  effects: UnitEffect[];
  /** Each unit's config-space reading applied in series order (configSeries.ts). */
  config: ConfigUnitEffect[];
  /** The related places of a hunk: its quoted copies and the review comments after them. */
  related(r: HunkRecord): RelatedInfo[];
  /** Where each marker name the document changes is defined. */
  definitions: Map<string, RelatedInfo>;
  /** Every marker setter the document adds, as a related place. */
  setterRelated: RelatedInfo[];
  /** When the analysis started (Date.now()), for the budget. */
  started: number;
  /** Where the budget stopped the reading of the hunks' C (the first hunk not read), if it did. */
  readingCut?: { range: Range; reader: 'csrc' | 'config'; file: string };
  /** The zPCI hunks read patch by patch, the series applied to the QEMU (and host) baseline. */
  zpci: ZpciDocumentReading;
}

/** Whether `share` of vfioLens.analysisBudgetMs has passed since `started` (never without a budget). */
export function overBudget(options: AnalyzeOptions, started: number, share = 1): boolean {
  return options.budgetMs !== undefined && Date.now() - started > options.budgetMs * share;
}

const DOCUMENT_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The findings of one analysis, in the order they are produced (sorted by place at the end). */
export class FindingSink {
  readonly items: Finding[] = [];
  constructor(private readonly file: string) {}

  /**
   * What the budget cut, in the document's one analysis-budget note: the first stage it stops makes
   * the note there ("analysis stopped after N ms ...: what"), each later one adds "; what" to it.
   */
  budgetNote(budgetMs: number | undefined, range: Range | undefined, what: string): void {
    const noted = this.items.find((f) => f.code === 'analysis-budget');
    if (noted) {
      noted.message += `; ${what}`;
      return;
    }
    this.add({
      code: 'analysis-budget',
      kind: 'read-problem',
      severity: 'information',
      message: `analysis stopped after ${budgetMs} ms (vfioLens.analysisBudgetMs): ${what}`,
      range: range ?? DOCUMENT_START,
    });
  }

  add(
    f: Omit<Finding, 'file' | 'changes' | 'related'> & Partial<Pick<Finding, 'changes' | 'related'>>,
  ): void {
    this.items.push({ changes: [], ...f, related: cappedRelated(f.related ?? []), file: this.file });
  }
}

/** A finding producer: one kind of finding, from what the context holds. */
export type FindingProducer = (ctx: AnalysisContext, out: FindingSink) => void;

/**
 * The share of analysisBudgetMs the reading of the hunks' C may take: past it the hunks left are
 * not read, and the rest of the budget compares what was read (100,000 hunks took 40 s to read).
 */
export const READING_SHARE = 0.5;

export function buildContext(text: string, options: AnalyzeOptions): AnalysisContext {
  const started = Date.now();
  const readingStop = () => !!options.isCancelled?.() || overBudget(options, started, READING_SHARE);
  const read = readDocument(text);
  const { units, quotes } = collectUnits(read);
  const { records, cut } = readRecords(units, readingStop);
  const macros = documentMacros(records);
  const configReadings = readConfigUnits(read, text, units, records, readingStop);
  const readingCut = cut
    ? { range: cut.hunk.headerRange, reader: 'csrc' as const, file: cut.file.path }
    : configReadings.cut
      ? {
          range: configReadings.cut.hunk.headerRange,
          reader: 'config' as const,
          file: configReadings.cut.file.path,
        }
      : undefined;
  let baseline: BaselineChoice = options.baseline
    ? { kernel: options.baseline, detected: false, detectedFrom: 'set by the user' }
    : detectBaseline(records, macros, kernelSpec);
  // no Command-register decision told: the config-space pre-images and the mail's kernel line may
  const told = configReadings.detected;
  if (!options.baseline && !baseline.detected && told.decidedBy !== 'default')
    baseline = {
      kernel: told.variant,
      detected: true,
      detectedFrom: `config space (${told.decidedBy}): ${told.explanation}`,
    };
  const effects = applySeries(kernelSpec(baseline.kernel), units, records, macros);
  const definitions = new Map<string, RelatedInfo>();
  for (const r of records) {
    for (const d of r.facts.post.definitions) {
      if (d.changed)
        definitions.set(d.name, {
          range: r.facts.post.image[d.lines[0]].range,
          message: `${d.name} defined here`,
          kind: 'marker',
        });
    }
  }
  const setterRelated: RelatedInfo[] = effects.flatMap((e) =>
    e.setters
      .filter((s) => s.added)
      .map((s) => ({
        range: s.record.facts.post.image[s.setter.lines[0]].range,
        message: `${markerName(s.setter.marker)} set in ${s.setter.functionName ?? s.record.facts.functionName ?? '?'}`,
        kind: 'marker' as const,
      })),
  );
  return {
    options,
    text,
    read,
    devices: options.devices ?? [...DEVICE_KIND_IDS],
    units,
    records,
    macros,
    baseline,
    effects,
    config: applyConfigSeries(configReadings, baseline.kernel),
    related: (r) => reviewRelated(read, quotes.get(hunkIdentity(r.file, r.hunk)) ?? []),
    definitions,
    setterRelated,
    started,
    ...(readingCut ? { readingCut } : {}),
    zpci: readZpciDocument(units, read),
  };
}

/** The place, patch, file and function a hunk's finding carries. */
export function recordBase(r: HunkRecord) {
  return { patch: r.unit.patch, diffFile: r.file.path, function: r.facts.functionName };
}

function changedLineOf(side: SideFacts, c: DecisionCandidate): Range {
  const i = c.lines.find((k) => side.image[k].changed) ?? c.lines[0];
  return side.image[i].range;
}

/** The changed line of a decision change: on the new side, else on the old. */
export function siteRange(ch: DecisionChange): Range {
  if (ch.post) return changedLineOf(ch.record.facts.post, ch.post);
  return changedLineOf(ch.record.facts.pre, ch.pre!);
}
