/**
 * The words for a changed decision line and for a patch: the C expression before and after with
 * each operand's meaning (from the knowledge base), and the table of cases that change (from the
 * findings). Used by hover, vfioLens/explain and the reply summary.
 */
import type { DecisionSite } from '../analysis';
import type { ServerAnalysis } from './serverAnalysis';
import type { BehaviourChange, Finding, PatchSummary } from '../analysis/types';
import { noModelledChangeText } from '../analysis/summaryText';
import type { Position, Range } from '../common/position';
import { entriesInExpression } from '../knowledge';

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

const code = (c: string | null) => (c === null ? '_(absent)_' : '```c\n' + c + '\n```');

export function changesTable(changes: BehaviourChange[]): string[] {
  if (!changes.length) return [];
  const rows = ['| device | steps | before | after |', '|---|---|---|---|'];
  for (const c of changes)
    rows.push(`| ${c.device} | ${c.steps.join('; ')} | ${c.before.text} | ${c.after.text} |`);
  return rows;
}

/** Markdown for a changed decision line. */
export function decisionMarkdown(output: ServerAnalysis, site: DecisionSite): string {
  const where = [site.diffFile, site.function ? `${site.function}()` : undefined]
    .filter(Boolean)
    .join(' \u2014 ');
  const parts = [
    `**vfio-lens: decision \`${site.decision}\`** (${where})`,
    '',
    'Before:',
    code(site.before),
    '',
    'After:',
  ];
  parts.push(code(site.after));
  const both = `${site.before ?? ''} ${site.after ?? ''}`;
  const operands = entriesInExpression(both).map((e) => `- \`${e.name}\`: ${e.summary}`);
  for (const o of OPERAND_MEANINGS) {
    if (o.name.test(both)) operands.push(`- \`${o.name.source.replace(/\\b/g, '')}\`: ${o.meaning}`);
  }
  if (operands.length) parts.push('', 'Operands:', ...operands);
  const findings = findingsOfDecision(output, site);
  const changes = dedupeChanges(findings.flatMap((f) => f.changes));
  if (changes.length) parts.push('', 'Cases that change:', '', ...changesTable(changes));
  else if (findings.length === 0)
    parts.push(
      '',
      `No change in what vfio-lens models was found for this line (${noModelledChangeText(output.result.findings)} in the document).`,
    );
  for (const c of leadCases(findings)) parts.push('', ...whyOfCase(c));
  const notes = findings.filter((f) => f.changes.length === 0).map((f) => `- ${f.message} [${f.code}]`);
  if (notes.length) parts.push('', ...notes);
  return parts.join('\n');
}

/** The case each finding leads with (its first visible one), at most three. */
function leadCases(findings: Finding[]): BehaviourChange[] {
  const leads = findings.flatMap((f) => {
    const lead = f.changes.find((c) => !c.internal) ?? f.changes[0];
    return lead ? [lead] : [];
  });
  return dedupeChanges(leads).slice(0, 3);
}

/** Why a case differs: the decisions its differing step took on each side, with every operand's value. */
export function whyOfCase(c: BehaviourChange): string[] {
  const lines = [`Why, for ${c.device}: ${c.steps.join('; ')} (at \`${c.before.step}\`):`, ''];
  for (const [label, side] of [
    ['before', c.before],
    ['after', c.after],
  ] as const) {
    if (!side.why.length) lines.push(`- ${label}: ${side.text}; no decision point at this step`);
    for (const w of side.why) {
      lines.push(`- ${label}: \`${w.decision}\` = ${w.result}: \`${w.text}\``);
      for (const o of w.operands) {
        if (o.meaning && !o.meaning.startsWith('constant'))
          lines.push(`  - \`${o.name}\` = ${o.value}: ${o.meaning}`);
      }
    }
  }
  return lines;
}

/** One row per case: the same device, steps and observations (their explanations are the same then). */
function dedupeChanges(changes: BehaviourChange[]): BehaviourChange[] {
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
  const parts = [`**vfio-lens: ${patchTitle(p)}**`, ''];
  const base = output.result.baseline;
  parts.push(`Baseline: ${base.kernel ?? 'not detected'} (${base.detectedFrom})`);
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
  if (others.length)
    parts.push('', ...others.map((f) => `- line ${f.range.start.line + 1}: ${f.message} [${f.code}]`));
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
