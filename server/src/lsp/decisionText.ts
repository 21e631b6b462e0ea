/**
 * The words for a changed decision line and for a patch: the C expression before and after with
 * each operand's meaning (from the knowledge base), and the table of cases that change (from the
 * findings). Used by hover, vfioLens/explain and the reply summary.
 */
import type { DecisionSite } from '../analysis';
import type { ServerAnalysis } from './serverAnalysis';
import type { AnyBehaviourChange, Finding, PatchSummary } from '../analysis/types';
import { noModelledChangeText } from '../analysis/summaryText';
import type { Position, Range } from '../common/position';
import { entriesInExpression } from '../knowledge';
import { codeBlock, codeSpan, escapeMarkdown } from './markdown';

/** The changed decision line at a position (same line counts), if any. */
export function decisionAt(output: ServerAnalysis, pos: Position): DecisionSite | undefined {
  return output.decisions.find((d) => d.range.start.line <= pos.line && pos.line <= d.range.end.line);
}

/**
 * The decision a quoted copy of a changed line stands for: a finding is reported once, on the
 * original, with the quote among its related places. `sameText(line)` tells whether the document
 * line `line` (the original) says what the hovered line says.
 */
export function quotedDecisionAt(
  output: ServerAnalysis,
  pos: Position,
  sameText: (originalLine: number) => boolean,
): DecisionSite | undefined {
  for (const f of output.result.findings) {
    if (!f.decision) continue;
    const covers = (r: { range: Range }) => {
      // A related place may name only the start of a quoted hunk: take the whole hunk there.
      const hunk = output.read.hunks.find(
        (h) => h.range.start.line <= r.range.start.line && r.range.start.line <= h.range.end.line,
      );
      const area = hunk ? hunk.range : r.range;
      return area.start.line <= pos.line && pos.line <= area.end.line;
    };
    if (!f.related.some(covers)) continue;
    const site = decisionAt(output, f.range.start);
    if (!site) continue;
    for (let line = site.range.start.line; line <= site.range.end.line; line++)
      if (sameText(line)) return site;
  }
  return undefined;
}

/** The code of a line without its quote and diff markers. */
const codeOfLine = (t: string) => t.replace(/^[>\s]*[+-]?/, '').trim();

/** Whether two lines say the same (non-empty) code, quote and diff markers aside. */
export function sameCodeAs(line: string, other: string): boolean {
  const here = codeOfLine(line);
  return here.length > 0 && codeOfLine(other) === here;
}

/** The findings about one decision site: same decision point and patch, on or touching its lines. */
export function findingsOfDecision(output: ServerAnalysis, site: DecisionSite): Finding[] {
  const lines = (f: Finding) =>
    f.range.start.line <= site.range.end.line && f.range.end.line >= site.range.start.line;
  const same = output.result.findings.filter(
    (f) => f.decision === site.decision && (site.patch === undefined || f.patch === site.patch),
  );
  const onLine = same.filter(lines);
  return onLine.length ? onLine : same;
}

/** Operands of decision expressions too generic for a hover of their own (a row each). */
const OPERAND_MEANINGS: { name: RegExp; meaning: string }[] = [
  { name: /\bcmd\b/, meaning: 'vfio\u2019s virtual COMMAND value (from vconfig), not the hardware register' },
  {
    name: /\boffset\b/,
    meaning: 'config-space offset of the chunk being read or written (PCI_COMMAND = 0x04)',
  },
];

const code = (c: string | null) => (c === null ? '_(absent)_' : codeBlock(c, 'c'));

export function changesTable(changes: AnyBehaviourChange[]): string[] {
  if (!changes.length) return [];
  const rows = ['| device | steps | before | after |', '|---|---|---|---|'];
  for (const c of changes) {
    const cells = [c.device, c.steps.join('; '), c.before.text, c.after.text].map(escapeMarkdown);
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows;
}

/** A finding's message (plain text that quotes the document) as a Markdown list item. */
const findingItem = (f: Finding, prefix = '') => `- ${escapeMarkdown(`${prefix}${f.message} [${f.code}]`)}`;

/** The case rows a hover shows (the issue's "at most three"); Explain shows them all. */
export const HOVER_CASES = 3;

/** The consequence of a case in one line: "s390-vf-detached: open; mmio-read: EIO → ok". */
function consequence(c: AnyBehaviourChange): string {
  const out = (t: string, step: string) => (t.startsWith(`${step}: `) ? t.slice(step.length + 2) : t);
  return `${c.device}: ${c.steps.join('; ')}: ${out(c.before.text, c.before.step)} → ${out(c.after.text, c.after.step)}`;
}

/**
 * Markdown for a changed decision line: the consequence first (what a device now sees), then at
 * most `maxCases` case rows, then the decision and its C before and after, the operands and why.
 */
export function decisionMarkdown(
  output: ServerAnalysis,
  site: DecisionSite,
  options: { maxCases?: number } = {},
): string {
  const max = options.maxCases ?? Infinity;
  const where = [site.diffFile, site.function ? `${site.function}()` : undefined]
    .filter(Boolean)
    .join(' \u2014 ');
  const findings = findingsOfDecision(output, site);
  const changes = dedupeChanges(findings.flatMap((f) => f.changes));
  const lead = leadCases(findings)[0];
  const parts: string[] = [];
  if (lead) {
    const devices = [...new Set(changes.map((c) => c.device))].filter((d) => d !== lead.device);
    const more = changes.length - 1;
    parts.push(
      `**vfio-lens: ${escapeMarkdown(consequence(lead))}**` +
        (more ? `, and ${more} more case${more === 1 ? '' : 's'}` : '') +
        (devices.length ? ` (also ${escapeMarkdown(devices.join(', '))})` : ''),
      '',
      ...changesTable(changes.slice(0, max)),
    );
    if (changes.length > max)
      parts.push(
        '',
        `_${changes.length - max} more: "vfio-lens: Explain decision at cursor" lists every case._`,
      );
    parts.push('', `Decision ${codeSpan(site.decision)} (${escapeMarkdown(where)}):`);
  } else {
    parts.push(`**vfio-lens: decision ${codeSpan(site.decision)}** (${escapeMarkdown(where)})`);
    if (findings.length === 0)
      parts.push(
        '',
        escapeMarkdown(
          `No change in what vfio-lens models was found for this line (${noModelledChangeText(output.result.findings)} in the document).`,
        ),
      );
  }
  parts.push('', 'Before:', code(site.before), '', 'After:', code(site.after));
  const both = `${site.before ?? ''} ${site.after ?? ''}`;
  const operands = entriesInExpression(both).map((e) => `- ${codeSpan(e.name)}: ${e.summary}`);
  for (const o of OPERAND_MEANINGS) {
    if (o.name.test(both)) operands.push(`- ${codeSpan(o.name.source.replace(/\\b/g, ''))}: ${o.meaning}`);
  }
  if (operands.length) parts.push('', 'Operands:', ...operands);
  for (const c of leadCases(findings).slice(0, Math.min(3, max))) parts.push('', ...whyOfCase(c));
  const notes = findings.filter((f) => f.changes.length === 0).map((f) => findingItem(f));
  if (notes.length) parts.push('', ...notes);
  return parts.join('\n');
}

/** The case each finding leads with (its first visible one), at most three. */
function leadCases(findings: Finding[]): AnyBehaviourChange[] {
  const leads = findings.flatMap((f) => {
    const lead = f.changes.find((c) => !c.internal) ?? f.changes[0];
    return lead ? [lead] : [];
  });
  return dedupeChanges(leads).slice(0, 3);
}

/** Why a case differs: the decisions its differing step took on each side, with every operand's value. */
export function whyOfCase(c: AnyBehaviourChange): string[] {
  const lines = [
    `Why, for ${escapeMarkdown(`${c.device}: ${c.steps.join('; ')}`)} (at ${codeSpan(c.before.step)}):`,
    '',
  ];
  for (const [label, side] of [
    ['before', c.before],
    ['after', c.after],
  ] as const) {
    if (!side.why.length)
      lines.push(`- ${label}: ${escapeMarkdown(side.text)}; no decision point at this step`);
    for (const w of side.why) {
      lines.push(
        `- ${label}: ${codeSpan(w.decision)} = ${escapeMarkdown(String(w.result))}: ${codeSpan(w.text)}`,
      );
      for (const o of w.operands) {
        if (o.meaning && !o.meaning.startsWith('constant'))
          lines.push(
            `  - ${codeSpan(o.name)} = ${escapeMarkdown(String(o.value))}: ${escapeMarkdown(o.meaning)}`,
          );
      }
    }
  }
  return lines;
}

/** One row per case: the same device, steps and observations (their explanations are the same then). */
function dedupeChanges(changes: AnyBehaviourChange[]): AnyBehaviourChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = JSON.stringify([c.device, c.steps, c.before.text, c.after.text, c.internal]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function patchTitle(p: PatchSummary): string {
  if (/^\s*\[/.test(p.subject)) return p.subject.trim(); // the subject carries its tag
  const n = p.index !== undefined && p.total !== undefined ? ` ${p.index}/${p.total}` : '';
  const v = p.version > 1 ? ` v${p.version}` : '';
  return `[PATCH${v}${n}] ${p.subject}`;
}

/** Markdown summary of one patch: its findings and the cases it changes. */
export function patchMarkdown(output: ServerAnalysis, patchIndex: number): string {
  const p = output.result.patches[patchIndex];
  const findings = output.result.findings.filter((f) => f.patch === patchIndex);
  const parts = [`**vfio-lens: ${escapeMarkdown(patchTitle(p))}**`, ''];
  const base = output.result.baseline;
  parts.push(`Baseline: ${escapeMarkdown(`${base.kernel ?? 'not detected'} (${base.detectedFrom})`)}`);
  if (!findings.length) {
    parts.push('', 'No finding for this patch.');
    return parts.join('\n');
  }
  const byKind = new Map<string, number>();
  for (const f of findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  parts.push('', [...byKind].map(([k, n]) => `${n} ${k}`).join(', '));
  const changes = dedupeChanges(findings.flatMap((f) => f.changes));
  if (changes.length) parts.push('', ...changesTable(changes));
  const others = findings.filter((f) => f.changes.length === 0);
  if (others.length) parts.push('', ...others.map((f) => findingItem(f, `line ${f.range.start.line + 1}: `)));
  return parts.join('\n');
}

/** The patch whose subject line is `line`, if the line carries a [PATCH ...] tag. */
export function patchOfSubjectLine(
  output: ServerAnalysis,
  line: number,
  lineText: string,
): number | undefined {
  if (!/\[[^\]]*\b(PATCH|RFC|PULL)\b[^\]]*\]/i.test(lineText)) return undefined;
  const patches = output.result.patches;
  for (let i = 0; i < patches.length; i++) {
    const r = patches[i].range;
    if (r.start.line <= line && line <= r.end.line && lineText.includes(patches[i].subject.slice(0, 20)))
      return i;
  }
  for (let i = 0; i < patches.length; i++) {
    const r = patches[i].range;
    if (r.start.line <= line && line <= r.end.line) return i;
  }
  return undefined;
}
