/**
 * A plain-text behaviour summary of a document, fit for a reply on the list: what a maintainer
 * would paste (patch, file and function, device, before -> after), at most SUMMARY_LINES lines,
 * no Markdown, no mbox line numbers (a list reader does not have them), lines wrapped at 72
 * columns with hanging indents. The whole list of findings is one `vfio-lens analyze` away.
 */
import type { Finding } from '../analysis/types';
import { outsideScopeText } from '../analysis/scope';
import { patchTitle } from './decisionText';
import type { ServerAnalysis } from './serverAnalysis';
import { notModelledCount, notModelledText } from '../analysis/summaryText';

const WIDTH = 72;
/** The most lines a summary has (the issue's "about 15 lines per series"). */
export const SUMMARY_LINES = 15;

/** Wraps one logical line; continuation lines get `indent` plus two spaces. */
export function wrapLine(text: string, indent: string, width = WIDTH): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = indent;
  for (const w of words) {
    const sep = line.trim() ? ' ' : '';
    if (line.trim() && line.length + sep.length + w.length > width) {
      out.push(line);
      line = indent + '  ' + w;
    } else line += sep + w;
  }
  if (line.trim()) out.push(line);
  return out;
}

const plain = (s: string) => s.replace(/`([^`]*)`/g, '$1');

/** "open; mmio-read" and "mmio-read: EIO" -> "EIO" (the step is said once, in the steps). */
function outcome(side: { step?: string; text: string }): string {
  const prefix = side.step ? `${side.step}: ` : '';
  return prefix && side.text.startsWith(prefix) ? side.text.slice(prefix.length) : side.text;
}

/** Where a finding is, as a reader of the patch names it: the function (a struct as itself), the file. */
function place(f: Finding): string {
  const file = f.diffFile ?? '';
  if (!f.function) return file;
  const fn = /^(struct|union|enum)\s/.test(f.function) ? f.function : `${f.function}()`;
  return file ? `${fn} in ${file}` : fn;
}

/** One finding in a sentence: the lead case of a behaviour change, else its code and place. */
function entry(f: Finding): string {
  if (f.kind === 'behaviour-change' && f.changes.length) {
    const c = f.changes.find((x) => !x.internal) ?? f.changes[0];
    const more = f.changes.length - 1;
    const moreText = more ? ` (and ${more} more case${more === 1 ? '' : 's'})` : '';
    return `${place(f)}: ${c.device}: ${c.steps.join('; ')}: ${outcome(c.before)} -> ${outcome(c.after)}${moreText}`;
  }
  return `${f.severity} ${f.code}${place(f) ? ` in ${place(f)}` : ''}: ${plain(firstSentence(f.message))}`;
}

function firstSentence(m: string): string {
  const cut = m.search(/[:;.](\s|$)/);
  return cut > 0 && cut < 120 ? m.slice(0, cut) : m.slice(0, 120);
}

/** What a reply reports: behaviour changes, and other findings at warning or above. */
const reported = (f: Finding) =>
  f.kind === 'behaviour-change' || f.severity === 'warning' || f.severity === 'error';

export function behaviourSummary(output: Pick<ServerAnalysis, 'result'>): string {
  const { result } = output;
  const base = result.baseline;
  const detected = /^(not detected|set by|a C file)/.test(base.detectedFrom)
    ? base.detectedFrom.split(':')[0]
    : 'detected from the pre-images';
  const lines: string[] = wrapLine(`vfio-lens: baseline ${base.kernel ?? 'not detected'} (${detected})`, '');
  const groups: { title: string; findings: Finding[] }[] = result.patches.map((p, i) => ({
    title: patchTitle(p),
    findings: result.findings.filter((f) => f.patch === i && reported(f)),
  }));
  groups.push({
    title: 'Quoted or loose hunks',
    findings: result.findings.filter((f) => f.patch === undefined && reported(f)),
  });
  const body: string[] = [];
  // room for the header, a blank line and the closing line
  const room = SUMMARY_LINES - lines.length - 2;
  let left = 0;
  for (const g of groups) {
    if (!g.findings.length) continue;
    const title = wrapLine(g.title, '');
    for (const [k, f] of g.findings.entries()) {
      const text = [...(k === 0 ? title : []), ...wrapLine(`- ${entry(f)}`, '  ')];
      if (body.length + text.length <= room) body.push(...text);
      else left++;
    }
  }
  if (body.length) lines.push('', ...body);
  else {
    const n = notModelledCount(result.findings);
    lines.push('', `No behaviour change in what vfio-lens models${n ? `; ${notModelledText(n)}` : ''}.`);
  }
  const unmodelled = result.findings.filter((f) => f.kind === 'unmodeled-change').length;
  const tail = [
    left ? `${left} more finding(s)` : '',
    body.length && unmodelled ? `${unmodelled} change(s) not modelled` : '',
    result.outsideScope ? outsideScopeText(result.outsideScope) : '',
  ].filter(Boolean);
  if (tail.length) lines.push(...wrapLine(`(${tail.join('; ')}: vfio-lens analyze lists them)`, ''));
  return lines.join('\n') + '\n';
}
