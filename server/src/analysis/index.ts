/**
 * The analysis: a document (patch, series, thread) -> findings on the lines that change what
 * vfio-pci does for which device. Used by the CLI and the language server alike.
 */
import type { Range } from '../common/position';
import type { DecisionCandidate, SideFacts } from '../csrc/hunkFacts';
import { initCParser } from '../csrc/treeSitter';
import { readDocument } from '../mail/index';
import type { ReadResult } from '../mail/types';
import {
  BoundedCache,
  DEV_FLAG_NAME,
  DEVICE_KIND_IDS,
  LATER_MAINLINE_DEV_FLAG_BITS,
  PCI_DEV_MEMBERS,
  PROPOSED_MARKER_FIELDS,
  markerName,
  markerNamesIn,
  observedText,
  policyContentKey,
  type DeviceKindId,
  type Difference,
  type PolicySpec,
} from '../model/index';
import {
  causesOf,
  describeChange,
  distinctCases,
  internalOnly,
  severityOf,
  shortHint,
  worst,
} from './attribute';
import { detectBaseline, type BaselineChoice } from './baseline';
import { lintMse, lintRecords, lintRestore, type Lint } from './lints';
import { carriersOf } from './markers';
import { reviewRelated } from './quotes';
import {
  applySeries,
  documentMacros,
  readRecords,
  type DecisionChange,
  type HunkRecord,
  type UnitEffect,
} from './series';
import { comparePolicies, kernelSpec } from './simulation';
import type { AnalyzeOptions, DocumentAnalysis, Finding, RelatedInfo, Severity } from './types';
import { collectUnits, hunkIdentity } from './units';

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
  series?: { before: PolicySpec; after: PolicySpec };
}

/** Depth of the comparison behind findings: every case in the domain's tables is at most 3 steps. */
export const ANALYSIS_DEPTH = 4;

/** Must be awaited once before analyzeText (loads tree-sitter-c). */
export async function initAnalysis(): Promise<void> {
  await initCParser();
}

function changedLineOf(side: SideFacts, c: DecisionCandidate): Range {
  const i = c.lines.find((k) => side.image[k].changed) ?? c.lines[0];
  return side.image[i].line.range;
}

function siteRange(ch: DecisionChange): Range {
  if (ch.post) return changedLineOf(ch.record.facts.post, ch.post);
  return changedLineOf(ch.record.facts.pre, ch.pre!);
}

class FindingList {
  readonly items: Finding[] = [];
  constructor(
    private readonly file: string,
    private readonly severity: Record<string, Severity | 'off'>,
  ) {}

  add(
    f: Omit<Finding, 'file' | 'changes' | 'related'> & Partial<Pick<Finding, 'changes' | 'related'>>,
  ): void {
    const override = this.severity[f.code] ?? this.severity[f.kind];
    if (override === 'off') return;
    this.items.push({ changes: [], related: [], ...f, file: this.file, severity: override ?? f.severity });
  }
}

function recordBase(r: HunkRecord) {
  return { patch: r.unit.patch, diffFile: r.file.path, function: r.facts.functionName };
}

/** Comparisons already made, by the content of both policies (an edit elsewhere re-uses them). */
const differenceCache = new BoundedCache<string, Difference[]>(128);

/** The distinct visible and internal-only cases between two policies for the given devices. */
function unitDifferences(before: PolicySpec, after: PolicySpec, devices: DeviceKindId[]): Difference[] {
  const a = policyContentKey(before);
  const b = policyContentKey(after);
  if (a === b) return [];
  const key = `${a}\u0000${b}\u0000${devices.join(',')}`;
  const hit = differenceCache.get(key);
  if (hit) return hit;
  const all = devices.length === DEVICE_KIND_IDS.length;
  const run = (internal: boolean) =>
    all
      ? comparePolicies(before, after, { depth: ANALYSIS_DEPTH, internal }).differences
      : devices.flatMap(
          (device) => comparePolicies(before, after, { device, depth: ANALYSIS_DEPTH, internal }).differences,
        );
  const visible = run(false);
  const result = distinctCases([...visible, ...internalOnly(run(true), visible)]);
  differenceCache.set(key, result);
  return result;
}

/**
 * Warms the parser and the model (JIT, tree-sitter, the built-in kernels' transition systems)
 * so that the first document a server opens is not the one that pays for it.
 */
export async function warmUp(): Promise<void> {
  await initAnalysis();
  analyzeText(WARM_UP_PATCH, { file: 'warm-up' });
}

const WARM_UP_PATCH = [
  '--- a/drivers/vfio/pci/vfio_pci_config.c',
  '+++ b/drivers/vfio/pci/vfio_pci_config.c',
  '@@ -1,3 +1,3 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
  ' {',
  '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
  '+\treturn pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);',
  ' }',
  '',
].join('\n');

/** Behaviour differences of one unit, attributed to its decision sites (or its marker setters). */
function behaviourFindings(
  effect: UnitEffect,
  devices: DeviceKindId[],
  out: FindingList,
  related: (r: HunkRecord) => RelatedInfo[],
  markerRelated: RelatedInfo[],
): void {
  const all = unitDifferences(effect.before, effect.after, devices);
  if (all.length === 0) return;

  const bySite = new Map<DecisionChange | 'markers', Difference[]>();
  for (const d of all) {
    const causes = causesOf(d);
    let sites = effect.decisions.filter((ch) => causes.has(ch.decision));
    if (sites.length === 0 && effect.setters.length === 0) sites = effect.decisions;
    if (sites.length === 0) {
      const list = bySite.get('markers') ?? [];
      list.push(d);
      bySite.set('markers', list);
    }
    for (const s of sites) {
      const list = bySite.get(s) ?? [];
      list.push(d);
      bySite.set(s, list);
    }
  }
  for (const [site, diffs] of bySite) {
    const changes = diffs.map(describeChange);
    const severity = worst(diffs.map(severityOf));
    const devicesHit = [...new Set(diffs.map((d) => d.device))];
    const depends = [...new Set(diffs.flatMap((d) => d.dependsOn ?? []))];
    const lead = diffs.find((d) => !d.internalOnly) ?? diffs[0];
    const leadChange = describeChange(lead);
    const more = diffs.length > 1 ? ` (and ${diffs.length - 1} more case${diffs.length > 2 ? 's' : ''})` : '';
    const visibleNote = diffs.every((d) => d.internalOnly) ? ' (internal paths only)' : '';
    const tail =
      `${leadChange.device}: ${lead.steps.join('; ')}: ${observedText(leadChange.before)} → ${observedText(leadChange.after)}${more}` +
      (depends.length ? `; depends on ${depends.join(', ')} (unknown to the model)` : '');
    if (site === 'markers') {
      const s = effect.setters[0];
      out.add({
        code: 'behaviour-change',
        kind: 'behaviour-change',
        severity,
        message: `Changes behaviour for ${devicesHit.join(', ')}${visibleNote} through the markers it sets: ${tail}`,
        range: s.record.facts[s.added ? 'post' : 'pre'].image[s.setter.lines[0]].line.range,
        ...recordBase(s.record),
        changes,
        related: markerRelated,
        hint: shortHint(leadChange),
      });
      continue;
    }
    const others = effect.decisions
      .filter((o) => o !== site)
      .map((o) => ({ range: siteRange(o), message: `also changes ${o.decision}` }));
    out.add({
      code: 'behaviour-change',
      kind: 'behaviour-change',
      severity,
      message:
        `${site.decision}: \`${site.before ?? '(absent)'}\` → \`${site.written ?? '(absent)'}\` changes behaviour for ` +
        `${devicesHit.join(', ')}${visibleNote}: ${tail}`,
      range: siteRange(site),
      ...recordBase(site.record),
      decision: site.decision,
      changes,
      related: [...others, ...markerRelated, ...related(site.record)],
      hint: shortHint(leadChange) + (diffs.length > 1 ? ` (+${diffs.length - 1})` : ''),
    });
  }
}

function baselineFor(
  records: HunkRecord[],
  options: AnalyzeOptions,
  macros: ReturnType<typeof documentMacros>,
): BaselineChoice {
  if (options.baseline) return { kernel: options.baseline, detected: false, detectedFrom: 'set by the user' };
  return detectBaseline(records, macros, kernelSpec);
}

export function analyzeText(text: string, options: AnalyzeOptions): AnalysisOutput {
  const started = Date.now();
  const read = readDocument(text);
  const out = new FindingList(options.file, (options.severity ?? {}) as Record<string, Severity | 'off'>);
  const devices = options.devices ?? [...DEVICE_KIND_IDS];
  // A web-archive copy has lost lines (blank ones, cut ones): its count mismatches are expected.
  const archive = read.kind === 'web-archive';
  for (const p of read.problems) {
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
  const { units, quotes } = collectUnits(read);
  const records = readRecords(units);
  const macros = documentMacros(records);
  const baseline = baselineFor(records, options, macros);
  const effects = applySeries(kernelSpec(baseline.kernel), units, records, macros);
  const related = (r: HunkRecord) => reviewRelated(read, quotes.get(hunkIdentity(r.file, r.hunk)) ?? []);

  // Where each marker name is defined and set in this document (related locations).
  const definitions = new Map<string, RelatedInfo>();
  for (const r of records) {
    for (const d of r.facts.post.definitions) {
      if (d.changed)
        definitions.set(d.name, {
          range: r.facts.post.image[d.lines[0]].line.range,
          message: `${d.name} defined here`,
        });
    }
  }
  const setterRelated: RelatedInfo[] = effects.flatMap((e) =>
    e.setters
      .filter((s) => s.added)
      .map((s) => ({
        range: s.record.facts.post.image[s.setter.lines[0]].line.range,
        message: `${markerName(s.setter.marker)} set in ${s.setter.functionName ?? s.record.facts.functionName ?? '?'}`,
      })),
  );

  const decisions: DecisionSite[] = [];
  const policies: AnalysisOutput['policies'] = read.patches.map(() => ({
    before: kernelSpec(baseline.kernel),
    after: kernelSpec(baseline.kernel),
  }));
  let budgetNoted = false;
  for (const effect of effects) {
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
    if (options.isCancelled?.()) break;
    if (options.budgetMs !== undefined && Date.now() - started > options.budgetMs) {
      if (!budgetNoted) {
        budgetNoted = true;
        out.add({
          code: 'analysis-budget',
          kind: 'read-problem',
          severity: 'information',
          message: `analysis stopped after ${options.budgetMs} ms (vfioLens.analysisBudgetMs); later patches were not compared`,
          range: effect.unit.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        });
      }
      continue;
    }
    const usedNames = new Set(effect.decisions.flatMap((d) => markerNamesIn(d.after ?? '')));
    const markerRelated = [...usedNames].flatMap((n) => (definitions.has(n) ? [definitions.get(n)!] : []));
    behaviourFindings(effect, devices, out, related, [...markerRelated, ...setterRelated]);
  }

  // Marker definitions and setters.
  for (const r of records) {
    for (const d of r.facts.post.definitions) {
      if (!d.changed || !isPciDevMarker(d, r.file.path)) continue;
      const later =
        d.bit !== undefined &&
        LATER_MAINLINE_DEV_FLAG_BITS[d.bit] &&
        LATER_MAINLINE_DEV_FLAG_BITS[d.bit] !== d.name;
      out.add({
        code: 'marker-defined',
        kind: 'marker-defined',
        severity: 'information',
        message:
          d.kind === 'dev-flag'
            ? `defines dev_flags bit ${d.bit ?? '?'} ${d.name}` +
              (later ? `; later mainline gives bit ${d.bit} to ${LATER_MAINLINE_DEV_FLAG_BITS[d.bit!]}` : '')
            : `defines the struct pci_dev bitfield ${d.name}`,
        range: r.facts.post.image[d.lines[0]].line.range,
        ...recordBase(r),
        related: related(r),
      });
    }
  }
  for (const effect of effects) {
    for (const s of effect.setters) {
      if (!s.added) continue;
      const where = s.setter.functionName ?? s.record.facts.functionName ?? 'an unknown function';
      const alone = {
        ...effect.after,
        markers: effect.after.markers.filter((m) => m.path === s.path && m.marker === s.setter.marker),
      };
      const carriers = carriersOf(alone, s.setter.marker);
      const name = markerName(s.setter.marker);
      const cond = s.setter.condition ? ` when ${s.setter.condition}` : '';
      const readBy = Object.entries(effect.after.decisions)
        .filter(([, t]) => t && t.includes(name))
        .map(([k]) => k);
      const msg = s.path
        ? `sets ${name} in ${where}${cond}: carried by ${carriers.set.join(', ') || 'no modelled device'}` +
          (readBy.length ? `; read by ${readBy.join(', ')}` : '; no vfio-pci decision reads it yet')
        : `sets ${name} in ${where}${cond}, a path the model does not know: not modelled`;
      out.add({
        code: s.path ? 'marker-set' : 'unmodeled-change',
        kind: s.path ? 'marker-set' : 'unmodeled-change',
        severity: s.path ? 'information' : 'hint',
        message: msg,
        range: s.record.facts.post.image[s.setter.lines[0]].line.range,
        ...recordBase(s.record),
        function: where === 'an unknown function' ? undefined : where,
        related: related(s.record),
      });
    }
  }

  // Bisection: a marker used before the patch that defines it (or never defined).
  bisectFindings(effects, records, baseline, out);

  // Domain names on changed lines that no modelled construct explains.
  const bare = (t: string) => t.replace(/[\s{}]/g, '');
  for (const r of records) {
    for (const side of ['post', 'pre'] as const) {
      // a line only re-spelled (a brace added, re-indented) is not a change of meaning
      const other = new Set(r.facts[side === 'post' ? 'pre' : 'post'].image.map((l) => bare(l.text)));
      for (const u of r.facts[side].unexplained) {
        if (other.has(bare(r.facts[side].image[u.line].text))) continue;
        out.add({
          code: 'unmodeled-change',
          kind: 'unmodeled-change',
          severity: 'hint',
          message: `${side === 'post' ? 'adds' : 'removes'} a use of ${u.names.join(', ')} in ${r.facts.functionName ?? r.file.path} that the model does not place`,
          range: r.facts[side].image[u.line].line.range,
          ...recordBase(r),
        });
      }
    }
  }

  // Lints.
  const lints: Lint[] = [...lintRecords(records, macros, baseline.kernel)];
  for (const effect of effects) lints.push(...lintRestore(effect, devices));
  const docLines = text.split('\n');
  for (const u of units) lints.push(...lintMse(patchProse(docLines, u)));
  for (const l of lints) {
    out.add({
      code: l.code,
      kind: 'lint',
      severity: l.severity,
      message: l.message,
      range: l.range,
      ...(l.record ? recordBase(l.record) : {}),
      ...(l.functionName ? { function: l.functionName } : {}),
      related: l.related,
    });
  }

  const result: DocumentAnalysis = {
    file: options.file,
    baseline: { kernel: baseline.kernel, detectedFrom: baseline.detectedFrom },
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
  };
  const series =
    effects.length > 0 ? { before: effects[0].before, after: effects[effects.length - 1].after } : undefined;
  return { result, read, decisions, policies, series };
}

/** A dev_flags bit, or a bitfield of struct pci_dev (not of another struct a patch touches). */
function isPciDevMarker(d: { kind: string; container?: string }, path: string): boolean {
  if (d.kind === 'dev-flag') return true;
  return d.container ? /^struct pci_dev$/.test(d.container) : /include\/linux\/pci\.h$/.test(path);
}

/** Subject and commit-message lines of one patch itself (not a cover letter, not quotes). */
function patchProse(lines: string[], u: ReturnType<typeof collectUnits>['units'][number]) {
  const out: { text: string; range: Range }[] = [];
  if (u.quoted || u.patch === undefined) return out;
  const start = u.range?.start.line ?? 0;
  const end = u.files[0]?.range.start.line ?? start;
  for (let i = start; i < end && i < lines.length; i++) {
    const t = lines[i].replace(/\r$/, '');
    if (/^\s*>/.test(t)) continue;
    out.push({ text: t, range: { start: { line: i, character: 0 }, end: { line: i, character: t.length } } });
  }
  return out;
}

function bisectFindings(
  effects: UnitEffect[],
  records: HunkRecord[],
  baseline: BaselineChoice,
  out: FindingList,
) {
  // the names the baseline's tree has: every kernel's pci_dev members, and the markers it sets
  const known = new Set([
    ...PCI_DEV_MEMBERS,
    ...kernelSpec(baseline.kernel).markers.map((m) => markerName(m.marker)),
  ]);
  const definedAt = new Map<string, number>();
  effects.forEach((e, k) => {
    for (const r of records.filter((x) => x.unit === e.unit)) {
      for (const d of r.facts.post.definitions)
        if (d.changed && !definedAt.has(d.name)) definedAt.set(d.name, k);
    }
  });
  effects.forEach((e, k) => {
    const uses: { name: string; range: Range; r: HunkRecord }[] = [];
    for (const ch of e.decisions) {
      for (const name of markerNamesIn(ch.after ?? ''))
        uses.push({ name, range: siteRange(ch), r: ch.record });
    }
    for (const s of e.setters.filter((x) => x.added)) {
      uses.push({
        name: markerName(s.setter.marker),
        range: s.record.facts.post.image[s.setter.lines[0]].line.range,
        r: s.record,
      });
    }
    const reported = new Set<string>();
    for (const u of uses) {
      if (known.has(u.name) || reported.has(u.name)) continue;
      if (!DEV_FLAG_NAME.test(u.name) && !PROPOSED_MARKER_FIELDS.includes(u.name)) continue;
      const at = definedAt.get(u.name);
      if (at !== undefined && at <= k) continue;
      reported.add(u.name);
      const later = at !== undefined ? effects[at].unit.subject : undefined;
      out.add({
        code: 'bisect-marker-undefined',
        kind: 'bisect',
        severity: 'warning',
        message: later
          ? `uses ${u.name}, which only a later patch defines (${later}): the series does not build at this patch`
          : `uses ${u.name}, which no patch here defines and ${baseline.kernel} does not have`,
        range: u.range,
        ...recordBase(u.r),
      });
    }
  });
}
