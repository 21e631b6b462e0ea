/**
 * Behaviour changes: each unit's policy before and after is compared (model/compare.ts, breadth
 * first, every device kind), and each distinguishing case is put on the changed decision line it
 * comes from (attribute.ts), or on the marker setters when no decision text changed. Past the
 * analysis budget the later units are not compared, and a finding says so.
 */
import {
  BoundedCache,
  kindsOf,
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
import { recordBase, siteRange, type AnalysisContext, type FindingSink } from './context';
import type { DecisionChange, HunkRecord, UnitEffect } from './applySeries';
import { comparePolicies } from './modelRuns';
import type { RelatedInfo } from './types';

/** Depth of the comparison behind findings: every case in the domain's tables is at most 3 steps. */
export const ANALYSIS_DEPTH = 4;

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
  // the Command-register story's exploration, on its kinds among those asked for
  const story = kindsOf('command-register').map((k) => k.id);
  const all = story.every((id) => devices.includes(id));
  const run = (internal: boolean) =>
    all
      ? comparePolicies(before, after, { depth: ANALYSIS_DEPTH, internal, part: 'command' }).differences
      : devices
          .filter((d) => story.includes(d))
          .flatMap(
            (device) =>
              comparePolicies(before, after, { device, depth: ANALYSIS_DEPTH, internal, part: 'command' })
                .differences,
          );
  const visible = run(false);
  const result = distinctCases([...visible, ...internalOnly(run(true), visible)]);
  differenceCache.set(key, result);
  return result;
}

/** Behaviour differences of one unit, attributed to its decision sites (or its marker setters). */
function unitFindings(
  effect: UnitEffect,
  devices: DeviceKindId[],
  out: FindingSink,
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
        range: s.record.facts[s.added ? 'post' : 'pre'].image[s.setter.lines[0]].range,
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

/** The behaviour-change findings of every unit, within the analysis budget. */
export function behaviourFindings(ctx: AnalysisContext, out: FindingSink): void {
  const { options } = ctx;
  let budgetNoted = false;
  for (const effect of ctx.effects) {
    if (options.isCancelled?.()) break;
    if (options.budgetMs !== undefined && Date.now() - ctx.started > options.budgetMs) {
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
    const markerRelated = [...usedNames].flatMap((n) =>
      ctx.definitions.has(n) ? [ctx.definitions.get(n)!] : [],
    );
    unitFindings(effect, ctx.devices, out, ctx.related, [...markerRelated, ...ctx.setterRelated]);
  }
}
