/** A plain-text behaviour summary of a document, fit for a reply on the list (no Markdown). */
import type { ServerAnalysis } from './serverAnalysis';
import { patchTitle } from './decisionText';

export function behaviourSummary(output: ServerAnalysis): string {
  const { result } = output;
  const lines: string[] = [];
  const base = result.baseline;
  lines.push(`vfio-lens behaviour summary (baseline ${base.kernel ?? 'not detected'}: ${base.detectedFrom})`);
  const groups: { title: string; patch: number | undefined }[] = result.patches.map((p, i) => ({
    title: patchTitle(p),
    patch: i,
  }));
  groups.push({ title: 'Whole document', patch: undefined });
  let any = false;
  for (const g of groups) {
    const findings = result.findings.filter((f) => f.patch === g.patch);
    if (!findings.length) continue;
    any = true;
    lines.push('', g.title);
    for (const f of findings) {
      const where = `${f.diffFile ?? f.file}${f.function ? ` ${f.function}()` : ''}, line ${f.range.start.line + 1}`;
      lines.push(`  - ${f.message} [${f.code}] (${where})`);
      for (const c of f.changes)
        lines.push(`      ${c.device}: ${c.steps.join('; ')}: ${c.before} -> ${c.after}`);
    }
  }
  if (!any) lines.push('', 'No behaviour change of vfio-pci Command-register emulation found.');
  return lines.join('\n') + '\n';
}
