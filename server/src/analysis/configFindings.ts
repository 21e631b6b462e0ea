/**
 * Config-space findings: each unit's config variant before and after (configSeries.ts) compared
 * on every config-space device kind asked for, with the config exploration's steps (the fields
 * any kernel, or these two, treats differently: model/compare.ts EXPLORATIONS), each difference put on the changed line of the change that
 * causes it; and every changed function or table the model does not place an `unmodeled-change`
 * "not modelled: <function> in <file>" on its line (unless another producer placed that function).
 */
import type { Range } from '../common/position';
import {
  BoundedCache,
  CONFIG_DEPTH,
  configPart,
  explorePair,
  kindsOf,
  observedText,
  policyContentKey,
  type DeviceKindId,
  type Difference,
  type PolicySpec,
} from '../model/index';
import type { ConfigVariantSpec } from '../model/vfio/config/index';
import type { ChangePlace, ConfigChange } from '../csrc/config/index';
import { causesOf, describeChange, distinctCases, severityOf, shortHint, worst } from './attribute';
import type { AnalysisContext, FindingSink } from './context';
import type { ConfigUnitEffect } from './configSeries';
import { kernelSpec as builtInSpec, policyOf } from './modelRuns';

/** The unit's kernel with a config part: the Command-register part is the baseline's on both sides. */
function specWith(kernel: string, v: ConfigVariantSpec): PolicySpec {
  return { ...builtInSpec(kernel), config: configPart(v) };
}

const differenceCache = new BoundedCache<string, Difference[]>(128);

/** The distinct config-space cases between two variants on the config-space kinds asked for. */
function configDifferences(a: PolicySpec, b: PolicySpec, devices: readonly DeviceKindId[]): Difference[] {
  const ka = policyContentKey(a);
  const kb = policyContentKey(b);
  if (ka === kb) return [];
  const key = `${ka}\u0000${kb}\u0000${devices.join(',')}`;
  const hit = differenceCache.get(key);
  if (hit) return hit;
  const pa = policyOf(a);
  const pb = policyOf(b);
  const diffs = kindsOf('config-space')
    .filter((k) => devices.includes(k.id))
    .flatMap((kind) => explorePair(pa, pb, kind, { part: 'config', depth: CONFIG_DEPTH }).differences);
  const result = distinctCases(diffs);
  differenceCache.set(key, result);
  return result;
}

/** The document range of a place's first changed line that is not blank (the statement's first line). */
function placeRange(effect: ConfigUnitEffect, place: ChangePlace | undefined): Range | undefined {
  if (!place) return undefined;
  const record = effect.records[place.hunk];
  const image = record?.facts[place.side].image;
  const changed = (i: number) => !!image?.[i]?.changed;
  const line =
    place.lines.find((i) => changed(i) && image![i].text.trim() !== '') ??
    place.lines.find(changed) ??
    place.lines[0];
  return image?.[line]?.range;
}

function base(effect: ConfigUnitEffect, c: ConfigChange) {
  return {
    patch: effect.unit.patch,
    diffFile: c.file,
    ...(c.function ? { function: c.function } : {}),
  };
}

/** The change a difference comes from: one whose decision the traces evaluate differently, else the first. */
function causeOf(d: Difference, applied: readonly ConfigChange[]): ConfigChange {
  const causes = causesOf(d);
  return (
    applied.find((c) => c.edits.some((e) => e.kind === 'decision' && causes.has(e.decision))) ?? applied[0]
  );
}

function differenceFindings(ctx: AnalysisContext, effect: ConfigUnitEffect, out: FindingSink): void {
  if (effect.applied.length === 0) return;
  const kernel = ctx.baseline.kernel;
  const diffs = configDifferences(
    specWith(kernel, effect.before),
    specWith(kernel, effect.after),
    ctx.devices,
  );
  const byChange = new Map<ConfigChange, Difference[]>();
  for (const d of diffs) {
    const c = causeOf(d, effect.applied);
    byChange.set(c, [...(byChange.get(c) ?? []), d]);
  }
  for (const [c, list] of byChange) {
    const range = placeRange(effect, c.places.find((p) => p.side === 'post') ?? c.places[0]);
    if (!range) continue;
    const changes = list.map(describeChange);
    const lead = changes[0];
    const more = list.length > 1 ? ` (and ${list.length - 1} more case${list.length > 2 ? 's' : ''})` : '';
    const devices = [...new Set(list.map((d) => d.device))];
    out.add({
      code: 'behaviour-change',
      kind: 'behaviour-change',
      severity: worst(list.map(severityOf)),
      message:
        `${c.target ?? c.message}: \`${c.before ?? '(absent)'}\` → \`${c.after ?? '(absent)'}\` changes the config space for ` +
        `${devices.join(', ')}: ${lead.device}: ${lead.steps[lead.steps.length - 1]}: ` +
        `${observedText(lead.before)} → ${observedText(lead.after)}${more}`,
      range,
      ...base(effect, c),
      changes,
      related: [],
      hint: shortHint(lead) + (list.length > 1 ? ` (+${list.length - 1})` : ''),
    });
  }
}

/** A function (or table) of a file another producer placed in this patch. */
function placedElsewhere(out: FindingSink, effect: ConfigUnitEffect, c: ConfigChange): boolean {
  return out.items.some(
    (f) =>
      f.patch === effect.unit.patch &&
      f.diffFile === c.file &&
      (f.function === c.function || (c.function === undefined && f.kind !== 'lint')),
  );
}

function unmodelledFindings(effect: ConfigUnitEffect, out: FindingSink): void {
  const add = (c: ConfigChange, message: string) => {
    const range = placeRange(effect, c.places[0]);
    if (!range || placedElsewhere(out, effect, c)) return;
    out.add({
      code: 'unmodeled-change',
      kind: 'unmodeled-change',
      severity: 'information',
      message,
      range,
      ...base(effect, c),
    });
  };
  for (const c of effect.reading.changes) if (c.kind === 'not-modelled') add(c, c.message);
  for (const r of effect.refused)
    add(r.change, `not modelled: ${r.change.target ?? r.change.message}: ${r.reason}`);
}

/** The config-space findings of every unit, within the analysis budget (behaviourFindings notes the cut). */
export function configFindings(ctx: AnalysisContext, out: FindingSink): void {
  const { options } = ctx;
  for (const effect of ctx.config) {
    if (options.isCancelled?.()) break;
    unmodelledFindings(effect, out);
    if (options.budgetMs !== undefined && Date.now() - ctx.started > options.budgetMs) continue;
    differenceFindings(ctx, effect, out);
  }
}
