/**
 * A plain-text behaviour summary of a document, fit for a reply on the list: no Markdown, lines
 * wrapped at 72 columns with hanging indents.
 */
import { patchTitle } from './decisionText';
import type { ServerAnalysis } from './serverAnalysis';
import { noModelledChangeText } from '../analysis/summaryText';

const WIDTH = 72;

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

export function behaviourSummary(output: ServerAnalysis): string {
  const { result } = output;
  const lines: string[] = [];
  const base = result.baseline;
  lines.push(
    ...wrapLine(
      `vfio-lens behaviour summary (baseline ${base.kernel ?? 'not detected'}: ${base.detectedFrom})`,
      '',
    ),
  );
  const groups: { title: string; patch: number | undefined }[] = result.patches.map((p, i) => ({
    title: patchTitle(p),
    patch: i,
  }));
  groups.push({ title: 'Whole document', patch: undefined });
  for (const g of groups) {
    const findings = result.findings.filter((f) => f.patch === g.patch);
    if (!findings.length) continue;
    lines.push('', ...wrapLine(g.title, ''));
    for (const f of findings) {
      const where = `${f.diffFile ?? f.file}${f.function ? ` ${f.function}()` : ''}, line ${f.range.start.line + 1}`;
      lines.push(...wrapLine(`- ${plain(f.message)} [${f.code}] (${where})`, '  '));
      for (const c of f.changes) {
        lines.push(
          ...wrapLine(`${c.device}: ${c.steps.join('; ')}: ${c.before.text} -> ${c.after.text}`, '      '),
        );
      }
    }
  }
  if (!result.findings.some((f) => f.kind === 'behaviour-change'))
    lines.push('', ...wrapLine(`Behaviour: ${noModelledChangeText(result.findings)}.`, ''));
  return lines.join('\n') + '\n';
}
