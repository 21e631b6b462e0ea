/**
 * The analysis: a document (patch, series, thread) -> findings on the lines that change what
 * vfio-pci does for which device. Used by the CLI and the language server alike. The document is
 * read once into an AnalysisContext (context.ts); each kind of finding is one producer of
 * PRODUCERS, run in order on it; the lints are the rows of LINTS (lints.ts).
 */
import type { Range } from '../common/position';
import type { LineSource } from '../common/lineSource';
import { documentLines } from '../diff/documentLines';
import { initCParser } from '../csrc/treeSitter';
import type { ReadResult } from '../mail/types';
import type { PolicySpec } from '../model/index';
import { ANALYSIS_DEPTH, behaviourFindings } from './behaviourFindings';
import {
  buildContext,
  siteRange,
  READING_SHARE,
  recordBase,
  FindingSink,
  type AnalysisContext,
  type FindingProducer,
} from './context';
import { configFindings } from './configFindings';
import { LINTS, runLints, type ProseLine } from './lints';
import { bisection, markerDefinitions, markerSetters, unplacedNames } from './markerFindings';
import { kernelSpec } from './modelRuns';
import { outsideScope } from './scope';
import { seriesIncomplete } from './seriesGaps';
import type { AnalyzeOptions, DocumentAnalysis } from './types';
import type { AnalysisUnit } from './units';
import { zpciBehaviourFindings, zpciUnmodelledFindings } from './zpciFindings';

export { ANALYSIS_DEPTH };

/** A changed decision line of a patch: where it is and what it said before and after. */
export interface DecisionSite {
  range: Range;
  patch?: number;
  decision: string;
  diffFile: string;
  function?: string;
  before: string | null;
  after: string | null;
}

export interface AnalysisOutput {
  result: DocumentAnalysis;
  read: ReadResult;
  /** The changed decision lines (for hovers, inlay hints, code lenses and "Explain"). */
  decisions: DecisionSite[];
  /** The kernel logic before and after each patch (index = position in result.patches), and for the whole series. */
  policies: { before: PolicySpec; after: PolicySpec }[];
  /** The whole series: before its first unit, after its last, and which units those are. */
  series?: { before: PolicySpec; after: PolicySpec; first: SeriesEnd; last: SeriesEnd };
}

/** A unit at an end of the series: its patch (index in result.patches), or a quoted copy's subject. */
export interface SeriesEnd {
  patch?: number;
  subject: string;
}

const seriesEnd = (u: AnalysisUnit): SeriesEnd => ({
  ...(u.patch !== undefined ? { patch: u.patch } : {}),
  subject: u.subject,
});

/** Must be awaited once before analyzeText (loads tree-sitter-c). */
export async function initAnalysis(): Promise<void> {
  await initCParser();
}

/** A one-hunk patch of the memory-enabled predicate (v5.8 -> v5.10): the tests' smallest real input. */
export const WARM_UP_PATCH = [
  '--- a/drivers/vfio/pci/vfio_pci_config.c',
  '+++ b/drivers/vfio/pci/vfio_pci_config.c',
  '@@ -1,3 +1,3 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
  ' {',
  '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
  '+\treturn pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);',
  ' }',
  '',
].join('\n');

/** read-problem: what the reader met; a web-archive copy has lost lines, so its mismatches are hints. */
function readProblems(ctx: AnalysisContext, out: FindingSink): void {
  const archive = ctx.read.kind === 'web-archive';
  for (const p of ctx.read.problems) {
    out.add({
      code: 'read-problem',
      kind: 'read-problem',
      severity: archive
        ? 'hint'
        : p.severity === 'error'
          ? 'warning'
          : p.severity === 'warning'
            ? 'information'
            : 'hint',
      message: p.message,
      range: p.range,
    });
  }
  const cut = ctx.readingCut;
  if (cut) {
    const budget = ctx.options.budgetMs ?? 0;
    out.add({
      code: 'analysis-budget',
      kind: 'read-problem',
      severity: 'information',
      message:
        `analysis stopped reading after ${Math.round(budget * READING_SHARE)} ms (${Math.round(READING_SHARE * 100)}% of vfioLens.analysisBudgetMs, ${budget} ms): ` +
        `this hunk of ${cut.file} and those after it were not read${cut.reader === 'config' ? ' for the config-space model' : ''}`,
      range: cut.range,
    });
  }
  // a hunk side csrc would not read (nested too deep): said once per hunk, on its @@ line
  for (const r of ctx.records) {
    const why = r.facts.post.unread ?? r.facts.pre.unread;
    if (!why) continue;
    out.add({
      code: 'read-problem',
      kind: 'read-problem',
      severity: 'information',
      message: `this hunk of ${r.file.path} was not read as C: ${why}; no finding of the model covers it`,
      range: r.hunk.headerRange,
      ...recordBase(r),
    });
  }
}

/** lint: the rows of LINTS over the document's C, its series and its patches' own words. */
function lintFindings(ctx: AnalysisContext, out: FindingSink): void {
  // the reader's line index: CRLF, LF and a lone CR each end a line, as the editor counts them
  const docLines = documentLines(ctx.text);
  const lints = runLints({
    readings: ctx.records.map((r) => ({ facts: r.facts, record: r })),
    macros: ctx.macros,
    baseline: ctx.baseline.kernel,
    effects: ctx.effects,
    devices: ctx.devices,
    prose: ctx.units.map((u) => patchProse(docLines, u)),
    zpci: ctx.zpci,
  });
  for (const l of lints) {
    out.add({
      code: l.code,
      kind: 'lint',
      severity: l.severity,
      message: l.message,
      range: l.range,
      ...(l.record ? recordBase(l.record) : {}),
      ...(l.patch !== undefined ? { patch: l.patch } : {}),
      ...(l.diffFile ? { diffFile: l.diffFile } : {}),
      ...(l.functionName ? { function: l.functionName } : {}),
      related: l.related,
      ...(l.preExisting ? { preExisting: true } : {}),
    });
  }
}

/** A producer of findings, with the (stable) codes of the findings it gives. */
export interface ProducerRow {
  codes: readonly string[];
  produce: FindingProducer;
}

/** Every kind of finding, in the order its findings are listed (then sorted by place). */
export const PRODUCERS: readonly ProducerRow[] = [
  { codes: ['read-problem', 'analysis-budget'], produce: readProblems },
  { codes: ['behaviour-change', 'analysis-budget'], produce: behaviourFindings },
  { codes: ['marker-defined'], produce: markerDefinitions },
  { codes: ['marker-set', 'unmodeled-change'], produce: markerSetters },
  { codes: ['bisect-marker-undefined'], produce: bisection },
  { codes: ['unmodeled-change'], produce: unplacedNames },
  { codes: ['behaviour-change', 'analysis-budget'], produce: zpciBehaviourFindings },
  { codes: ['unmodeled-change'], produce: zpciUnmodelledFindings },
  // after the zPCI producers: a hunk either model placed a finding on is not "not modelled" here
  { codes: ['behaviour-change', 'unmodeled-change', 'analysis-budget'], produce: configFindings },
  { codes: LINTS.map((l) => l.code), produce: lintFindings },
  // last: it says which behaviour findings above rest on a patch the document does not hold
  { codes: ['series-incomplete'], produce: seriesIncomplete },
];

/** Every finding code there is (package.json's vfioLens.severity names them all). */
export const FINDING_CODES: readonly string[] = [...new Set(PRODUCERS.flatMap((p) => p.codes))];

/** The changed decision lines, and the policies before and after each patch. */
function decisionsAndPolicies(ctx: AnalysisContext): Pick<AnalysisOutput, 'decisions' | 'policies'> {
  const base = kernelSpec(ctx.baseline.kernel);
  const policies: AnalysisOutput['policies'] = ctx.read.patches.map(() => ({ before: base, after: base }));
  const decisions: DecisionSite[] = [];
  for (const effect of ctx.effects) {
    if (effect.unit.patch !== undefined)
      policies[effect.unit.patch] = { before: effect.before, after: effect.after };
    for (const ch of effect.decisions) {
      decisions.push({
        range: siteRange(ch),
        patch: effect.unit.patch,
        decision: ch.decision,
        diffFile: ch.record.file.path,
        function: ch.record.facts.functionName,
        before: ch.before,
        after: ch.written,
      });
    }
  }
  return { decisions, policies };
}

export function analyzeText(text: string, options: AnalyzeOptions): AnalysisOutput {
  const ctx = buildContext(text, options);
  const out = new FindingSink(options.file);
  for (const { produce } of PRODUCERS) produce(ctx, out);
  const { read, baseline, effects } = ctx;
  const { decisions, policies } = decisionsAndPolicies(ctx);
  const outside = outsideScope(ctx.records);
  const result: DocumentAnalysis = {
    file: options.file,
    baseline: {
      kernel: baseline.kernel,
      detected: baseline.detected,
      detectedFrom: baseline.detectedFrom,
      ...(ctx.zpci.qemu ? { qemu: ctx.zpci.qemu } : {}),
      ...(ctx.zpci.host ? { host: ctx.zpci.host } : {}),
    },
    patches: read.patches.map((p) => ({
      index: p.index,
      total: p.total,
      version: p.version,
      subject: p.subject,
      range: p.range,
    })),
    findings: out.items.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    ),
    ...(outside ? { outsideScope: outside } : {}),
  };
  const last = effects[effects.length - 1];
  const series =
    effects.length > 0
      ? {
          before: effects[0].before,
          after: last.after,
          first: seriesEnd(effects[0].unit),
          last: seriesEnd(last.unit),
        }
      : undefined;
  return { result, read, decisions, policies, series };
}

/** Subject and commit-message lines of one patch itself (not a cover letter, not quotes). */
function patchProse(lines: LineSource, u: AnalysisUnit): ProseLine[] {
  const out: ProseLine[] = [];
  if (u.quoted || u.patch === undefined) return out;
  const start = u.range?.start.line ?? 0;
  const end = u.files[0]?.range.start.line ?? start;
  for (let i = start; i < end && i < lines.count; i++) {
    const t = lines.text(i);
    if (/^\s*>/.test(t)) continue;
    out.push({ text: t, range: { start: { line: i, character: 0 }, end: { line: i, character: t.length } } });
  }
  return out;
}
