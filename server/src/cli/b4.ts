/**
 * b4's review check protocol output of `vfio-lens analyze --format b4`: per mail one
 * `{ tool, status, summary, details }`, status `pass` / `warn` / `fail`. The summary names what a
 * `warn` or `fail` warns about (b4's matrix shows only status and summary). b4 runs a per-patch check
 * on each patch mail alone and a series check on the cover letter; when it knows the series
 * (`B4_TRACKING_FILE`, the review branch) the earlier patches are read from there, and otherwise a
 * patch k/n (k > 1) that uses a marker it does not define says what it expects from patches 1..k-1.
 */
import { outsideScopeText } from '../analysis/scope';
import { SEVERITY_RANK } from '../analysis/attribute';
import { analyzeText, type AnalysisOutput } from '../analysis/index';
import type { DocumentAnalysis, Finding, Severity } from '../analysis/types';
import { noModelledChangeText } from '../analysis/summaryText';
import type { KernelId } from '../model/index';
import { readReviewSeries, type ReviewSeries } from './b4Review';
import type { InputDocument } from './io';

const RANK = SEVERITY_RANK;

export interface B4Result {
  tool: 'vfio-lens';
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  details: string;
}

export interface B4Options {
  baseline?: KernelId;
  /** b4's environment: B4_TRACKING_FILE when the series has a review branch. */
  env: Record<string, string | undefined>;
  /** Where b4 runs the check: the repository's top level. */
  cwd: string;
}

/** What one check reports: findings on lines of the mail b4 gave, and notes for the details. */
interface CheckView {
  findings: Finding[];
  baseline: DocumentAnalysis['baseline'];
  notes: string[];
  /** A summary prefix (what was checked), e.g. "series of 3 patches". */
  scope?: string;
  /** Summary clauses that go with it (what the check expects from patches it cannot see). */
  expects: string[];
  /** Marker names the check could not see defined: behaviour read from them is conditional. */
  assumed: string[];
  /** Details line prefix per finding (the series check says which patch). */
  where?: (f: Finding) => string;
  /** The hunks outside what vfio-lens models (counted in the summary, not hinted). */
  outside?: DocumentAnalysis['outsideScope'];
}

/** b4 passes one mail per run; several files on the command line give one result each. */
export function toB4(inputs: InputDocument[], options: B4Options): B4Result[] {
  return inputs.map((input) => b4Result(checkView(input, options)));
}

const analyse = (text: string, file: string, options: B4Options): AnalysisOutput =>
  analyzeText(text, { file, baseline: options.baseline });

/** Patch k of n that this mail holds, or undefined when it holds none or several. */
function position(d: DocumentAnalysis): { k: number; n: number } | undefined {
  if (d.patches.length !== 1) return undefined;
  const p = d.patches[0];
  return { k: p.index ?? 1, n: p.total ?? 1 };
}

function checkView(input: InputDocument, options: B4Options): CheckView {
  const alone = analyse(input.text, input.file, options);
  const pos = position(alone.result);
  const trackingFile = options.env.B4_TRACKING_FILE;
  // Patch 1/n needs nothing before it; the others and the cover letter use the series if b4 has one.
  const read = trackingFile && pos && pos.k !== 1 ? readReviewSeries(trackingFile, options.cwd) : undefined;
  const series = read && 'mails' in read ? read : undefined;
  const notes =
    read && 'error' in read ? [`information: B4_TRACKING_FILE: ${read.error}; checked this mail alone`] : [];
  const base: CheckView = {
    findings: alone.result.findings,
    baseline: alone.result.baseline,
    notes,
    expects: [],
    assumed: [],
    outside: alone.result.outsideScope,
  };
  if (!pos) return base;
  if (pos.k === 0) return series ? seriesView(series, options) : coverView(alone, pos.n, notes);
  if (pos.k === 1) return base;
  if (series) return withEarlierPatches(input, alone, pos.k, series, options, notes);
  return expectingEarlierPatches(alone, pos.k, pos.n, base);
}

/** The cover letter alone: no diff, so no behaviour to report; say what would read the series. */
function coverView(alone: AnalysisOutput, n: number, notes: string[]): CheckView {
  return {
    findings: alone.result.findings,
    baseline: alone.result.baseline,
    notes,
    scope: `cover letter of ${n} patch(es), no diff: not analysed (the series is read from b4's review branch when B4_TRACKING_FILE names it)`,
    expects: [],
    assumed: [],
  };
}

/** The series check with the review branch: every patch, findings named by patch. */
function seriesView(series: ReviewSeries, options: B4Options): CheckView {
  const out = analyse(series.mails.join('\n'), series.branch, options);
  const label = (f: Finding) => {
    const p = f.patch !== undefined ? out.result.patches[f.patch] : undefined;
    return p?.index !== undefined ? `${p.index}/${p.total ?? '?'}` : 'series';
  };
  return {
    findings: out.result.findings,
    baseline: out.result.baseline,
    notes: [`information: read ${series.mails.length} patch(es) from ${series.branch}`],
    scope: `series of ${series.mails.length} patch(es) from ${series.branch}`,
    expects: [],
    assumed: [],
    // Lines of the series as git formats it mean nothing to the reader: say the patch.
    where: label,
  };
}

/** Patch k with patches 1..k-1 from the review branch before it: findings of patch k, on its own lines. */
function withEarlierPatches(
  input: InputDocument,
  alone: AnalysisOutput,
  k: number,
  series: ReviewSeries,
  options: B4Options,
  notes: string[],
): CheckView {
  if (k > series.mails.length) {
    const note = `information: ${series.branch} holds ${series.mails.length} patch(es), this is patch ${k}; checked it alone`;
    return {
      findings: alone.result.findings,
      baseline: alone.result.baseline,
      notes: [...notes, note],
      expects: [],
      assumed: [],
    };
  }
  const prefix = series.mails.slice(0, k - 1).join('\n') + '\nFrom b4-check Mon Sep 17 00:00:00 2001\n';
  const offset = prefix.split('\n').length - 1;
  const out = analyse(prefix + input.text, input.file, options);
  const last = out.result.patches.length - 1;
  const findings = out.result.findings
    .filter((f) => f.patch === last || (f.patch === undefined && f.range.start.line >= offset))
    .map((f) => shifted(f, offset));
  const own = stripPrefix(alone.result.patches[0]?.subject ?? '');
  const theirs = series.subjects[k - 1];
  const mismatch =
    own && theirs && own !== theirs
      ? [`information: ${series.branch} has "${theirs}" as patch ${k}, this mail "${own}"`]
      : [];
  return {
    findings,
    baseline: out.result.baseline,
    notes: [...notes, `information: read patches 1-${k - 1} from ${series.branch}`, ...mismatch],
    expects: [],
    assumed: [],
  };
}

function shifted(f: Finding, offset: number): Finding {
  const line = (l: number) => Math.max(0, l - offset);
  return {
    ...f,
    range: {
      start: { ...f.range.start, line: line(f.range.start.line) },
      end: { ...f.range.end, line: line(f.range.end.line) },
    },
  };
}

/** "[PATCH v4 2/3] s390/pci: ..." -> "s390/pci: ..." */
function stripPrefix(subject: string): string {
  let s = subject.trim();
  while (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) break;
    s = s.slice(end + 1).trimStart();
  }
  return s;
}

/** The marker a bisect-marker-undefined finding names ("uses NAME, which no patch here defines ..."). */
const UNDEFINED_HERE = /^uses (\w+), which no patch here defines\b/;

/**
 * Patch k/n alone, k > 1: a marker it uses and does not define may come from patches 1..k-1, which
 * this check cannot see. Say so as information, naming what it expects from them.
 */
function expectingEarlierPatches(alone: AnalysisOutput, k: number, n: number, base: CheckView): CheckView {
  const earlier = k === 2 ? `patch 1/${n}` : `one of patches 1/${n}-${k - 1}/${n}`;
  const assumed: string[] = [];
  const findings = alone.result.findings.map((f) => {
    const m = f.code === 'bisect-marker-undefined' ? UNDEFINED_HERE.exec(f.message) : null;
    if (!m) return f;
    assumed.push(m[1]);
    const message =
      f.message.replace('which no patch here defines', 'which this patch does not define') +
      `: expects ${earlier} to define it (not checked: b4 gave no review branch of the series)`;
    return { ...f, severity: 'information' as Severity, message };
  });
  const expects = assumed.length ? [`expects ${assumed.join(', ')} from ${earlier}`] : [];
  return { ...base, findings, expects, assumed };
}

/** Does `text` hold `name` as a whole identifier? */
function mentions(text: string, name: string): boolean {
  const word = (c: string | undefined) => c !== undefined && /\w/.test(c);
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (!word(text[i - 1]) && !word(text[i + name.length])) return true;
  }
  return false;
}

const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
const devicesOf = (fs: Finding[]) => unique(fs.flatMap((f) => f.changes.map((c) => c.device))).join(', ');

/** One summary clause per warned-about code: what, where, for which devices. */
function warnClauses(warned: Finding[], assumed: string[]): string[] {
  const codes = unique(warned.map((f) => f.code));
  return codes.map((code) => {
    const fs = warned.filter((f) => f.code === code);
    const devices = devicesOf(fs);
    const at = unique(fs.map((f) => f.decision ?? f.function));
    const names =
      code === 'bisect-marker-undefined' ? unique(fs.map((f) => /^uses (\w+)/.exec(f.message)?.[1])) : [];
    const conditional = assumed.filter((a) => fs.some((f) => mentions(f.message, a)));
    return (
      code +
      (names.length ? ` ${names.join(', ')}` : '') +
      (devices ? ` for ${devices}` : '') +
      (at.length ? ` (${at.join(', ')})` : '') +
      (conditional.length ? ` if no earlier patch sets ${conditional.join(', ')}` : '')
    );
  });
}

function summaryOf(view: CheckView, shown: Finding[], worst: number): string {
  const b = ` (baseline ${view.baseline.kernel})`;
  const tail = view.expects.map((e) => `; ${e}`).join('');
  const scope = view.scope ? `${view.scope}: ` : '';
  const changes = shown.filter((f) => f.kind === 'behaviour-change');
  if (worst >= RANK.warning) {
    const warned = shown.filter((f) => RANK[f.severity] >= RANK.warning);
    const more = changes.filter((f) => RANK[f.severity] < RANK.warning);
    const also = more.length
      ? `; ${more.length} more decision(s) change behaviour for ${devicesOf(more)}`
      : '';
    return `${scope}warns: ${warnClauses(warned, view.assumed).join('; ')}${also}${b}${tail}`;
  }
  if (view.scope && shown.length === 0 && !view.where) return view.scope;
  const rest =
    changes.length > 0
      ? `${changes.length} decision(s) change behaviour for ${devicesOf(changes)}`
      : noModelledChangeText(shown);
  const outside = view.outside ? `; ${outsideScopeText(view.outside)}` : '';
  return `${scope}${rest}${outside}${b}${tail}`;
}

function b4Result(view: CheckView): B4Result {
  const shown = view.findings.filter((f) => f.severity !== 'hint');
  const worst = shown.reduce((w, f) => Math.max(w, RANK[f.severity]), -1);
  const status = worst >= RANK.error ? 'fail' : worst >= RANK.warning ? 'warn' : 'pass';
  const where = view.where ?? ((f: Finding) => String(f.range.start.line + 1));
  const details = [
    ...shown.map((f) => `${where(f)}: ${f.severity}: ${f.message} [${f.code}]`),
    ...view.notes,
  ].join('\n');
  return { tool: 'vfio-lens', status, summary: summaryOf(view, shown, worst), details };
}
