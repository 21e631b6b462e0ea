/** The status-bar text of a document's status (vfioLens/documentStatus): pure, for the unit tests. */
import type { DocumentStatus } from '../../server/src/lsp/protocol';

export interface StatusText {
  text: string;
  tooltip: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "vfio-lens: v5.8 (detected)"; undefined where vfio-lens has nothing to say (not a patch). */
export function documentStatusText(s: DocumentStatus): StatusText | undefined {
  const findings = Object.values(s.findings).reduce((a, b) => a + b, 0);
  switch (s.state) {
    case 'not-a-patch':
      return undefined;
    case 'c-source':
      return {
        text: 'vfio-lens: C lints',
        tooltip: `C source: ${plural(findings, 'finding')}. Click: show the output.`,
      };
    case 'too-large':
    case 'failed':
      return {
        text: `$(warning) vfio-lens: ${s.state === 'failed' ? 'analysis failed' : 'not analysed'}`,
        tooltip: `${s.message ?? ''}. Click: show the output.`,
      };
    case 'analysed': {
      const b = s.baseline;
      const kernel = b?.kernel ?? 'no baseline';
      const from = b?.how === 'detected' && b.detectedFrom ? ` from ${b.detectedFrom}` : '';
      return {
        text: `vfio-lens: ${kernel}${b ? ` (${b.how})` : ''}`,
        tooltip:
          `Baseline ${kernel}${b ? `, ${b.how}${from}` : ''}; ${plural(s.patches, 'patch', 'patches')}, ` +
          `${plural(findings, 'finding')}. Click: show the output.`,
      };
    }
  }
}
