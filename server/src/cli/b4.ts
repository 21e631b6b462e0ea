/** `vfio-lens analyze --format b4`: b4's review check protocol, one JSON object per document. */
import { SEVERITY_RANK as RANK } from '../analysis/attribute';
import type { AnalysisOutput } from '../analysis/index';

/** b4's review check protocol: pass / warn / fail with a one-line summary and details. */
export function toB4(outputs: AnalysisOutput[]) {
  return outputs.map(({ result: d }) => {
    const worst = d.findings.reduce((w, f) => Math.max(w, RANK[f.severity]), -1);
    const status = worst >= RANK.error ? 'fail' : worst >= RANK.warning ? 'warn' : 'pass';
    const changes = d.findings.filter((f) => f.kind === 'behaviour-change');
    const summary =
      changes.length === 0
        ? `no change in vfio-pci Command-register behaviour (baseline ${d.baseline.kernel})`
        : `${changes.length} decision(s) change behaviour for ${[
            ...new Set(changes.flatMap((f) => f.changes.map((c) => c.device))),
          ].join(', ')} (baseline ${d.baseline.kernel})`;
    const details = d.findings
      .filter((f) => f.severity !== 'hint')
      .map((f) => `${f.range.start.line + 1}: ${f.severity}: ${f.message} [${f.code}]`)
      .join('\n');
    return { tool: 'vfio-lens', status, summary, details };
  });
}
