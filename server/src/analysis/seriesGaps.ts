/**
 * A part of a series read as the whole (issue 14, point 2): when the document holds patches k of
 * an N-patch series (as patches, or quoted in replies) and an earlier one is missing, the later
 * patches are compared as if the missing ones changed nothing vfio-lens models. Say so once, at
 * the first patch the gap affects, and on each behaviour finding that rests on it (ranked below a
 * warning: the change may be the missing patch's to make). One patch alone is not a part read as
 * the whole, and a gap before patches without findings changes nothing read: nothing is said of
 * either.
 */
import type { Range } from '../common/position';
import type { AnalysisContext, FindingSink } from './context';
import { ONE_LOWER } from './severity';
import type { Finding } from './types';
import type { AnalysisUnit } from './units';

interface Gap {
  version: number;
  total: number;
  /** The positions not in the document, each before a position that is. */
  missing: number[];
  present: number[];
  /** The units after the first missing position. */
  after: AnalysisUnit[];
}

/** Positions as a reader writes them: "2/3", "1/5-3/5, 5/5" (runs of consecutive ones as ranges). */
function positions(list: readonly number[], n: number): string {
  const runs: string[] = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    runs.push(j === i ? `${list[i]}/${n}` : `${list[i]}/${n}-${list[j]}/${n}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** Every series of the document with a patch missing before one that is there. */
export function seriesGaps(units: readonly AnalysisUnit[]): Gap[] {
  const groups = new Map<string, AnalysisUnit[]>();
  for (const u of units) {
    if (!u.series || u.series.total < 2) continue;
    const key = `${u.series.version}/${u.series.total}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  const gaps: Gap[] = [];
  for (const list of groups.values()) {
    const { version, total } = list[0].series!;
    const present = [...new Set(list.map((u) => u.series!.index))].sort((a, b) => a - b);
    const last = present[present.length - 1];
    const missing: number[] = [];
    for (let k = 1; k < last; k++) if (!present.includes(k)) missing.push(k);
    // one patch opened alone is the usual way to read a series (b4 checks each alone, and says
    // what it expects of the patches before it): only a document holding several is read as whole
    if (missing.length === 0 || present.length < 2) continue;
    const after = list.filter((u) => u.series!.index > missing[0]);
    gaps.push({ version, total, missing, present, after });
  }
  return gaps;
}

function unitStart(u: AnalysisUnit): Range {
  const at = u.range?.start ?? u.files[0]?.range.start ?? { line: 0, character: 0 };
  return { start: at, end: at };
}

function within(r: Range, outer: Range): boolean {
  return r.start.line >= outer.start.line && r.start.line <= outer.end.line;
}

/** The units a finding belongs to: its patch, or the quoted files its range falls in. */
function ofUnits(f: Finding, units: readonly AnalysisUnit[]): boolean {
  return units.some((u) =>
    u.patch !== undefined ? f.patch === u.patch : u.files.some((file) => within(f.range, file.range)),
  );
}

/** series-incomplete, and the behaviour findings that rest on the gap said so (runs after the others). */
export function seriesIncomplete(ctx: AnalysisContext, out: FindingSink): void {
  for (const gap of seriesGaps(ctx.units)) {
    // said where a finding of a later patch rests on it; a gap before patches vfio-lens has
    // nothing to say about (most of a big series on a list) changes no reading: quiet
    const resting = out.items.filter((f) => f.kind !== 'read-problem' && ofUnits(f, gap.after));
    if (resting.length === 0) continue;
    const missing = positions(gap.missing, gap.total);
    const present = positions(gap.present, gap.total);
    const one = gap.missing.length === 1;
    const v = gap.version > 1 ? ` v${gap.version}` : '';
    const assumed = `assumed ${missing} change${one ? 's' : ''} nothing vfio-lens models`;
    for (const f of out.items) {
      if (f.kind !== 'behaviour-change' || !ofUnits(f, gap.after)) continue;
      f.message += ` (${assumed}: ${one ? 'it is' : 'they are'} not in this document)`;
      f.severity = f.severity === 'warning' || f.severity === 'error' ? ONE_LOWER[f.severity] : f.severity;
    }
    out.add({
      code: 'series-incomplete',
      kind: 'series-incomplete',
      severity: 'information',
      message:
        `series${v} of ${gap.total}: ${missing} not in this document (it holds ${present}); ` +
        `${assumed}, so what ${gap.after.length === 1 ? 'the later patch changes' : 'the later patches change'} is read against that`,
      range: unitStart(gap.after[0]),
    });
  }
}
