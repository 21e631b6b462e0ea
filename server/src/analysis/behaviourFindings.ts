/**
 * Behaviour changes: each unit's policy before and after is compared (model/compare.ts, breadth
 * first, every device kind), and each distinguishing case is put on the changed decision line it
 * comes from (attribute.ts), or on the marker setters when no decision text changed. Past the
 * analysis budget the later units are not compared, and a finding says so.
 */
import {
  kindsOf,
  markerNamesIn,
  observedText,
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
import { overBudget, recordBase, siteRange, type AnalysisContext, type FindingSink } from './context';
import type { DecisionChange, HunkRecord, UnitEffect } from './applySeries';
import { comparePolicies } from './modelRuns';
import { DifferenceCache, type CasesFound } from './differenceCache';
import { RelatedPlaces } from './related';
import type { RelatedInfo } from './types';

/** Depth of the comparison behind findings: every case in the domain's tables is at most 3 steps. */
export const ANALYSIS_DEPTH = 4;

/** Comparisons already made, by the content of both policies (an edit elsewhere re-uses them). */
const differenceCache = new DifferenceCache();

/**
 * The distinct visible and internal-only cases between two policies for the given devices.
 * `stop` is checked inside the explorations (the budget): `stopped` says the cases are partial.
 */
function unitDifferences(
  before: PolicySpec,
  after: PolicySpec,
  devices: DeviceKindId[],
  stop: () => boolean,
): CasesFound {
  return differenceCache.get(before, after, devices, () => commandCases(before, after, devices, stop));
}

/** The Command-register story's cases of two policies (unitDifferences remembers them). */
function commandCases(
  before: PolicySpec,
  after: PolicySpec,
  devices: DeviceKindId[],
  stop: () => boolean,
): CasesFound {
  // the Command-register story's exploration, on its kinds among those asked for
  const story = kindsOf('command-register').map((k) => k.id);
  const all = story.every((id) => devices.includes(id));
  let stopped = false;
  const compare = (device: DeviceKindId | undefined, internal: boolean) => {
    if (stopped) return [];
    const r = comparePolicies(before, after, {
      device,
      depth: ANALYSIS_DEPTH,
      internal,
      stop,
      part: 'command',
      differencesOnly: true,
    });
    if (r.stopped) stopped = true;
    return r.differences;
  };
  const run = (internal: boolean) =>
    all
      ? compare(undefined, internal)
      : devices.filter((d) => story.includes(d)).flatMap((device) => compare(device, internal));
  const visible = run(false);
  return { differences: distinctCases([...visible, ...internalOnly(run(true), visible)]), stopped };
}

/** Behaviour differences of one unit, attributed to its decision sites (or its marker setters). */
function unitFindings(
  effect: UnitEffect,
  devices: DeviceKindId[],
  out: FindingSink,
  related: (r: HunkRecord) => RelatedInfo[],
  markerRelated: RelatedInfo[],
  stop: () => boolean,
): boolean {
  const { differences: all, stopped } = unitDifferences(effect.before, effect.after, devices, stop);
  if (all.length === 0) return stopped;

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
  const listedAt = casesListedAt(bySite);
  for (const [site, diffs] of bySite) {
    // thousands of sites make thousands of findings: the budget holds here too
    if (stop()) return true;
    const lister = site === 'markers' ? undefined : listedAt.get(site);
    const severity = worst(diffs.map(severityOf));
    const devicesHit = [...new Set(diffs.map((d) => d.device))];
    const depends = [...new Set(diffs.flatMap((d) => d.dependsOn ?? []))];
    const lead = diffs.find((d) => !d.internalOnly) ?? diffs[0];
    const leadChange = describeChange(lead);
    // the cases once per decision: a second site of it carries the lead case and points at the first
    const changes = lister ? [leadChange] : diffs.map(describeChange);
    const more = diffs.length > 1 ? ` (and ${diffs.length - 1} more case${diffs.length > 2 ? 's' : ''})` : '';
    const visibleNote = diffs.every((d) => d.internalOnly) ? ' (internal paths only)' : '';
    // the consequence first (what a device now sees, in which steps), then what in the C caused it
    const others = devicesHit.filter((d) => d !== leadChange.device);
    const consequence =
      `${leadChange.device}: ${lead.steps.join('; ')}: ${observedText(leadChange.before)} → ${observedText(leadChange.after)}${more}` +
      (others.length ? `, also for ${others.join(', ')}` : '') +
      visibleNote +
      (depends.length ? `; depends on ${depends.join(', ')} (unknown to the model)` : '');
    if (site === 'markers') {
      const s = effect.setters[0];
      out.add({
        code: 'behaviour-change',
        kind: 'behaviour-change',
        severity,
        message: `${consequence}; through the markers this patch sets`,
        range: s.record.facts[s.added ? 'post' : 'pre'].image[s.setter.lines[0]].range,
        ...recordBase(s.record),
        changes,
        related: markerRelated,
        hint: shortHint(leadChange),
      });
      continue;
    }
    // the other changed decision sites, capped (every site listing every other one was quadratic);
    // a site whose cases another lists names that one, which names the others
    const relatedPlaces = new RelatedPlaces();
    if (lister) relatedPlaces.add(listedHere(lister, diffs.length));
    else
      relatedPlaces.addEach(
        effect.decisions,
        (o) => ({ range: siteRange(o), message: `also changes ${o.decision}`, kind: 'site' }),
        site,
      );
    relatedPlaces.addAll(markerRelated).addAll(related(site.record));
    out.add({
      code: 'behaviour-change',
      kind: 'behaviour-change',
      severity,
      message:
        `${consequence}; ${site.decision}${site.record.facts.functionName ? ` in ${site.record.facts.functionName}` : ''}: ` +
        `\`${site.before ?? '(absent)'}\` → \`${site.written ?? '(absent)'}\`` +
        (lister
          ? `; the ${diffs.length} case${diffs.length === 1 ? '' : 's'} listed at line ${siteRange(lister).start.line + 1}`
          : ''),
      range: siteRange(site),
      ...recordBase(site.record),
      decision: site.decision,
      changes,
      related: relatedPlaces.list(),
      hint: shortHint(leadChange, diffs.length - 1),
    });
  }
  return stopped;
}

/**
 * Sites of one decision that share the same cases (a condition removed in one hunk and written in
 * another, or many hunks rewriting it): the cases are listed on one of them (the first that writes
 * the new text, else the first), and each other site names it. Listing them on every site made the
 * output the sites times the cases (300 flipping hunks: 4.7 MB from 61 KB).
 */
function casesListedAt(
  bySite: Map<DecisionChange | 'markers', Difference[]>,
): Map<DecisionChange, DecisionChange> {
  const byDecision = new Map<string, DecisionChange[]>();
  for (const site of bySite.keys()) {
    if (site === 'markers') continue;
    const list = byDecision.get(site.decision) ?? [];
    list.push(site);
    byDecision.set(site.decision, list);
  }
  const listedAt = new Map<DecisionChange, DecisionChange>();
  for (const sites of byDecision.values()) {
    if (sites.length < 2) continue;
    const lister = sites.find((s) => s.post) ?? sites[0];
    const cases = bySite.get(lister)!;
    for (const s of sites) {
      const own = bySite.get(s)!;
      if (s !== lister && own.length === cases.length && own.every((d, i) => d === cases[i]))
        listedAt.set(s, lister);
    }
  }
  return listedAt;
}

/** The related place of a site whose cases another site of the same decision lists. */
function listedHere(lister: DecisionChange, count: number): RelatedInfo {
  return {
    range: siteRange(lister),
    message: `the ${count} case${count === 1 ? '' : 's'} of this change of ${lister.decision}, listed here`,
    kind: 'site',
  };
}

/** The behaviour-change findings of every unit, within the analysis budget. */
export function behaviourFindings(ctx: AnalysisContext, out: FindingSink): void {
  const { options } = ctx;
  const spent = () => overBudget(options, ctx.started);
  // checked at every node of the explorations, not only between patches: one hostile patch held
  // the worker until its watchdog killed it
  const stop = () => !!options.isCancelled?.() || spent();
  const effects = ctx.effects;
  /** The budget ran out in patch k (0-based, compared in part when `partly`): say so there, once. */
  const budgetSpent = (k: number, partly: boolean) => {
    const n = effects.length;
    const range = (from: number) =>
      from < n ? `patches ${from}..${n} were not compared` : `patch ${n} was not compared`;
    const what = partly
      ? `patch ${k + 1} was compared in part (its findings are those found until then)` +
        (k + 1 < n ? `; ${range(k + 2)}` : '')
      : range(k + 1);
    out.budgetNote(options.budgetMs, effects[k].unit.range, what);
  };
  for (let k = 0; k < effects.length; k++) {
    const effect = effects[k];
    if (options.isCancelled?.()) break;
    if (spent()) {
      budgetSpent(k, false);
      break;
    }
    const usedNames = new Set(effect.decisions.flatMap((d) => markerNamesIn(d.after ?? '')));
    const markerRelated = [...usedNames].flatMap((n) =>
      ctx.definitions.has(n) ? [ctx.definitions.get(n)!] : [],
    );
    const stopped = unitFindings(
      effect,
      ctx.devices,
      out,
      ctx.related,
      [...markerRelated, ...ctx.setterRelated],
      stop,
    );
    if (stopped && !options.isCancelled?.()) {
      budgetSpent(k, true);
      break;
    }
  }
}
