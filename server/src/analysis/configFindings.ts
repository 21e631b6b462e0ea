/**
 * Config-space findings: each unit's config variant before and after (configSeries.ts) compared
 * on every config-space device kind asked for, with the config exploration's steps (the fields
 * any kernel, or these two, treats differently: model/compare.ts EXPLORATIONS), each difference
 * put on the changed line of the change that causes it, the consequence first; and every changed
 * function or table the model does not place, in the places the config reader reads (scope.ts
 * rows marked `config`), an `unmodeled-change` "not modelled: <function> in <file>" on its line
 * (unless another producer placed that function; past NOT_MODELLED_PER_FILE in one file, one hint).
 */
import type { Range } from '../common/position';
import {
  CONFIG_DEPTH,
  configPart,
  explorePair,
  kindsOf,
  observedText,
  type DeviceKindId,
  type Difference,
  type PolicySpec,
} from '../model/index';
import type { ConfigVariantSpec } from '../model/vfio/config/index';
import type { ChangePlace, ConfigChange } from '../csrc/config/index';
import { causesOf, describeChange, distinctCases, severityOf, shortHint, worst } from './attribute';
import { overBudget, type AnalysisContext, type FindingSink } from './context';
import { DifferenceCache, type CasesFound } from './differenceCache';
import { readByConfig } from './scope';
import type { ConfigUnitEffect } from './configSeries';
import { kernelSpec as builtInSpec, policyOf } from './modelRuns';

/** What the config reader parses as C (csrc/config/read.ts says "is not C source" of the rest). */
const C_SOURCE = /\.[ch]$/;

/** The unit's kernel with a config part: the Command-register part is the baseline's on both sides. */
function specWith(kernel: string, v: ConfigVariantSpec): PolicySpec {
  return { ...builtInSpec(kernel), config: configPart(v) };
}

const differenceCache = new DifferenceCache();

/**
 * The distinct config-space cases between two variants on the config-space kinds asked for;
 * `stop` is checked inside the explorations (the budget): `stopped` says the cases are partial.
 */
function configDifferences(
  a: PolicySpec,
  b: PolicySpec,
  devices: readonly DeviceKindId[],
  stop: () => boolean,
): CasesFound {
  return differenceCache.get(a, b, devices, () => configCases(a, b, devices, stop));
}

/** The config exploration's cases of two variants (configDifferences remembers them). */
function configCases(
  a: PolicySpec,
  b: PolicySpec,
  devices: readonly DeviceKindId[],
  stop: () => boolean,
): CasesFound {
  const pa = policyOf(a);
  const pb = policyOf(b);
  let stopped = false;
  const diffs = kindsOf('config-space')
    .filter((k) => devices.includes(k.id))
    .flatMap((kind) => {
      if (stopped) return [];
      const r = explorePair(pa, pb, kind, {
        part: 'config',
        depth: CONFIG_DEPTH,
        stop,
        differencesOnly: true,
      });
      if (r.stopped) stopped = true;
      return r.differences;
    });
  return { differences: distinctCases(diffs), stopped };
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

/** The config-space findings of one unit; true when the budget cut its comparison. */
function differenceFindings(
  ctx: AnalysisContext,
  effect: ConfigUnitEffect,
  out: FindingSink,
  stop: () => boolean,
): boolean {
  if (effect.applied.length === 0) return false;
  const kernel = ctx.baseline.kernel;
  const { differences: diffs, stopped } = configDifferences(
    specWith(kernel, effect.before),
    specWith(kernel, effect.after),
    ctx.devices,
    stop,
  );
  const byChange = new Map<ConfigChange, Difference[]>();
  for (const d of diffs) {
    const c = causeOf(d, effect.applied);
    const list = byChange.get(c);
    if (list) list.push(d);
    else byChange.set(c, [d]);
  }
  for (const [c, list] of byChange) {
    const range = placeRange(effect, c.places.find((p) => p.side === 'post') ?? c.places[0]);
    if (!range) continue;
    const changes = list.map(describeChange);
    const lead = changes.find((x) => !x.internal) ?? changes[0];
    const more = list.length > 1 ? ` (and ${list.length - 1} more case${list.length > 2 ? 's' : ''})` : '';
    const others = [...new Set(list.map((d) => d.device))].filter((d) => d !== lead.device);
    // the consequence first (what a device now sees, in which steps), then what in the C caused it
    const consequence =
      `${lead.device}: ${lead.steps.join('; ')}: ${observedText(lead.before)} → ${observedText(lead.after)}${more}` +
      (others.length ? `, also for ${others.join(', ')}` : '');
    const cause =
      `${c.target ?? c.message}${c.function ? ` in ${c.function}` : ''}: ` +
      `\`${c.before ?? '(absent)'}\` → \`${c.after ?? '(absent)'}\``;
    out.add({
      code: 'behaviour-change',
      kind: 'behaviour-change',
      severity: worst(list.map(severityOf)),
      message: `${consequence}; ${cause}`,
      range,
      ...base(effect, c),
      changes,
      related: [],
      hint: shortHint(lead, list.length - 1),
    });
  }
  return stopped;
}

/** The places other findings of a unit sit at: `file\0function` (any kind) and `file` (not a lint). */
function placedIndex(
  out: FindingSink,
  patch: number | undefined,
): { functions: Set<string>; files: Set<string> } {
  const functions = new Set<string>();
  const files = new Set<string>();
  for (const f of out.items) {
    if (f.patch !== patch || f.diffFile === undefined) continue;
    functions.add(`${f.diffFile}\u0000${f.function ?? ''}`);
    if (f.kind !== 'lint') files.add(f.diffFile);
  }
  return { functions, files };
}

/** A function (or table) of a file another finding already placed in this patch. */
function placedElsewhere(placed: ReturnType<typeof placedIndex>, c: ConfigChange): boolean {
  return (
    placed.functions.has(`${c.file}\u0000${c.function ?? ''}`) ||
    (c.function === undefined && placed.files.has(c.file))
  );
}

/** Past this many not-modelled functions of one file in one unit, they are one hint (a new driver is one). */
export const NOT_MODELLED_PER_FILE = 3;

/**
 * The not-modelled hints of a unit: only in files inside what vfio-lens models (analysis/scope.ts;
 * the rest is the summary's "outside what vfio-lens models" count), only C source (a Makefile or
 * Kconfig line has no behaviour to model), and per file at most NOT_MODELLED_PER_FILE hints: past
 * that one hint on the first place names the first functions and how many more.
 */
function unmodelledFindings(effect: ConfigUnitEffect, out: FindingSink): void {
  const pending: { c: ConfigChange; message: string; range: Range }[] = [];
  const placed = placedIndex(out, effect.unit.patch);
  const add = (c: ConfigChange, message: string) => {
    if (!C_SOURCE.test(c.file) || !readByConfig(c.file, c.function)) return;
    const range = placeRange(effect, c.places[0]);
    if (!range || placedElsewhere(placed, c)) return;
    placed.functions.add(`${c.file}\u0000${c.function ?? ''}`);
    pending.push({ c, message, range });
  };
  for (const c of effect.reading.changes) if (c.kind === 'not-modelled') add(c, c.message);
  for (const r of effect.refused)
    add(r.change, `not modelled: ${r.change.target ?? r.change.message}: ${r.reason}`);
  const byFile = new Map<string, typeof pending>();
  for (const p of pending) {
    const list = byFile.get(p.c.file);
    if (list) list.push(p);
    else byFile.set(p.c.file, [p]);
  }
  for (const [file, list] of byFile) {
    const names = [...new Set(list.map((p) => p.c.function ?? 'top-level code'))];
    const named =
      names.length > NOT_MODELLED_PER_FILE
        ? `${names.slice(0, NOT_MODELLED_PER_FILE).join(', ')} and ${names.length - NOT_MODELLED_PER_FILE} more`
        : names.join(', ');
    const shown =
      list.length <= NOT_MODELLED_PER_FILE
        ? list
        : [{ ...list[0], message: `not modelled: ${list.length} changes in ${file}: ${named}` }];
    for (const { c, message, range } of shown)
      out.add({
        code: 'unmodeled-change',
        kind: 'unmodeled-change',
        severity: 'information',
        message,
        range,
        ...base(effect, c),
      });
  }
}

/** The config-space findings of every unit, within the analysis budget (checked inside the explorations). */
export function configFindings(ctx: AnalysisContext, out: FindingSink): void {
  const { options } = ctx;
  const spent = () => overBudget(options, ctx.started);
  const stop = () => !!options.isCancelled?.() || spent();
  for (const [k, effect] of ctx.config.entries()) {
    if (options.isCancelled?.()) break;
    unmodelledFindings(effect, out);
    if (spent() || differenceFindings(ctx, effect, out, stop)) {
      if (options.isCancelled?.()) break;
      out.budgetNote(
        options.budgetMs,
        effect.unit.range,
        `the config space of unit ${k + 1} of ${ctx.config.length} and later ones was compared in part or not at all`,
      );
      // what is not modelled is still said for every later unit: it needs no comparison
      for (const later of ctx.config.slice(k + 1)) unmodelledFindings(later, out);
      break;
    }
  }
}
