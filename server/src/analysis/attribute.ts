/**
 * From the model's distinguishing sequences back to the lines of the patch: a difference is
 * caused by the decision points whose value differs between the two traces at some step; it is
 * put on the changed lines of those decision points (or, where the decision text did not change
 * but its operands did, on the marker setters that changed them).
 */
import {
  configHintParts,
  hex4,
  observationOf,
  observedText,
  type Difference,
  type TraceEntry,
} from '../model/index';
import type { BehaviourChange, ChangeSide, Severity } from './types';

/** Decision points whose evaluated value differs between the two traces. */
export function causesOf(d: Difference): Set<string> {
  const causes = new Set<string>();
  const n = Math.min(d.before.length, d.after.length);
  for (let i = 0; i < n; i++) {
    const a = d.before[i].why ?? [];
    const b = d.after[i].why ?? [];
    const points = new Set([...a.map((w) => w.decision), ...b.map((w) => w.decision)]);
    for (const p of points) {
      const wa = a.filter((w) => w.decision === p).map((w) => String(w.result));
      const wb = b.filter((w) => w.decision === p).map((w) => String(w.result));
      if (wa.join(',') !== wb.join(',')) causes.add(p);
    }
  }
  return causes;
}

/** Each difference's first differing step, by the difference (they are kept in differenceCache.ts, never changed). */
const firstDifferences = new WeakMap<Difference, number>();

/** The first step where the visible observation differs (falls back to the last step). */
export function firstDifference(d: Difference): number {
  let first = firstDifferences.get(d);
  if (first === undefined) firstDifferences.set(d, (first = firstObservedDifference(d)));
  return first;
}

function firstObservedDifference(d: Difference): number {
  const n = Math.min(d.before.length, d.after.length);
  for (let i = 0; i < n; i++) {
    if (observedText(observationOf(d.before[i])) !== observedText(observationOf(d.after[i]))) return i;
  }
  return n - 1;
}

/**
 * The most of a decision's C (as written, and annotated with values) and of its operands one side
 * of a change carries: every change of a finding explains both sides, so a 10,000-term decision
 * repeated in a hundred changes was megabytes. The whole C is once in the finding's message.
 */
export const MAX_WHY_TEXT = 400;
export const MAX_WHY_OPERANDS = 32;

const cutText = (t: string) =>
  t.length <= MAX_WHY_TEXT ? t : `${t.slice(0, MAX_WHY_TEXT - 1)}… (${t.length} characters in all)`;

function boundedWhy(w: TraceEntry['why'][number]): ChangeSide['why'][number] {
  const long = w.expression.length > MAX_WHY_TEXT || w.text.length > MAX_WHY_TEXT;
  if (!long && w.operands.length <= MAX_WHY_OPERANDS) return w;
  return {
    ...w,
    expression: cutText(w.expression),
    text: cutText(w.text),
    operands: w.operands.slice(0, MAX_WHY_OPERANDS),
    cut: { expression: w.expression.length, operands: w.operands.length },
  };
}

/** One side of a change: what the step observes there, and why (each decision with its operands' values). */
function changeSide(e: TraceEntry, step: string): ChangeSide {
  return { ...observationOf(e, step), why: e.why.map(boundedWhy) };
}

export function describeChange(d: Difference): BehaviourChange {
  const i = firstDifference(d);
  const step = d.after[i]?.action ?? d.steps[i];
  return {
    device: d.device,
    steps: d.steps,
    before: changeSide(d.before[i], step),
    after: changeSide(d.after[i], step),
    ...(d.internalOnly ? { internal: true } : {}),
  };
}

const BLOCKED = new Set(['EIO', 'SIGBUS', 'dropped', 'unclaimed']);

/**
 * warning: a case that worked now fails, or a BAR restore appears; information: one that failed now
 * works (or another visible change); hint: only internal paths differ.
 */
export function severityOf(d: Difference): Severity {
  if (d.internalOnly) return 'hint';
  const i = firstDifference(d);
  const a = d.before[i];
  const b = d.after[i];
  if (a.outcome === 'ok' && b.outcome && BLOCKED.has(b.outcome)) return 'warning';
  if (b.restore === 'performed' && a.restore !== 'performed') return 'warning';
  if (a.read !== undefined && b.read !== undefined && a.read !== b.read) {
    // reading back what was written is what a user expects: judge the bits that changed
    const changed = a.read ^ b.read;
    return (b.read & changed) === (b.virt & changed) ? 'information' : 'warning';
  }
  return 'information';
}

/** Severities in order, for "worst of" and --fail-on. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

export function worst(list: Severity[]): Severity {
  return list.reduce<Severity>((w, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[w] ? s : w), 'hint');
}

/** The longest inlay hint (the "under 40 characters": an editor cuts them at about 43). */
export const HINT_MAX = 39;

/** An observation in the fewest words: the value read, the outcome, or what the restore did. */
function hintWords(o: ChangeSide): string {
  if (o.read !== undefined) return hex4(o.read);
  if (o.restore === 'performed') return 'restore';
  if (o.restore === 'skipped') return 'early return';
  return observedText(o);
}

/** `text` within `max` characters, cut with an ellipsis. */
export function fitHint(text: string, max = HINT_MAX): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** "s390-vf-detached: EIO→ok (+11)": the lead case's device and what it now sees, under HINT_MAX. */
export function shortHint(c: BehaviourChange, more = 0): string {
  const suffix = more ? ` (+${more})` : '';
  const change = `${sideWords(c)}${suffix}`;
  const withDevice = `${c.device}: ${change}`;
  if (withDevice.length <= HINT_MAX) return withDevice;
  // the count of more cases is kept: the words before it are cut
  return change.length <= HINT_MAX ? change : `${fitHint(sideWords(c), HINT_MAX - suffix.length)}${suffix}`;
}

/** "EIO→ok"; for a config step the first of its fields that differs on each side ("0xc803→0x3"). */
function sideWords(c: BehaviourChange): string {
  const [a, b] = [c.before.config, c.after.config];
  if (!a || !b) return `${hintWords(c.before)}→${hintWords(c.after)}`;
  const [pa, pb] = [configHintParts(a), configHintParts(b)];
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return `${pa[i] ?? pa[pa.length - 1]}→${pb[i] ?? pb[pb.length - 1]}`;
}

/**
 * Internal-only cases: internal differences none of whose extensions is a visible difference
 * (exploring with internal observations stops at the first internal difference, so a visible
 * case may sit behind it).
 */
export function internalOnly(internal: Difference[], visible: Difference[]): Difference[] {
  const startsWith = (long: string[], short: string[]) => short.every((s, i) => long[i] === s);
  return internal
    .filter((d) => !visible.some((v) => v.device === d.device && startsWith(v.steps, d.steps)))
    .map((d) => ({ ...d, internalOnly: true }));
}

/** One case per device and observed change: the shortest sequence that shows it. */
export function distinctCases(diffs: Difference[]): Difference[] {
  const seen = new Set<string>();
  return diffs.filter((d) => {
    const c = describeChange(d);
    const key = `${d.device}|${c.before.text}|${c.after.text}|${d.internalOnly ? 'i' : 'v'}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
