/** Findings -> LSP diagnostics: source "vfio-lens", the finding's code, severity per settings, related places. */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import type { Finding, Severity } from '../analysis/types';
import type { AnalysedDocument } from './documentAnalyses';
import type { SeveritySetting, VfioLensSettings } from './settings';

export const SOURCE = 'vfio-lens';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity a finding gets under the settings: by code first, then by kind, else its own. */
export function severityOf(finding: Finding, settings: VfioLensSettings): SeveritySetting {
  return settings.severity[finding.code] ?? settings.severity[finding.kind] ?? finding.severity;
}

export function findingToDiagnostic(uri: string, finding: Finding, severity: Severity): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri, range: r.range },
    message: r.message,
  }));
  return {
    range: finding.range,
    severity: LSP_SEVERITY[severity],
    source: SOURCE,
    code: finding.code,
    message: finding.message,
    ...(relatedInformation.length ? { relatedInformation } : {}),
    data: { kind: finding.kind, patch: finding.patch, decision: finding.decision },
  };
}

/** The diagnostics of one analysed document (what push and pull both send). */
export function diagnosticsFor(
  result: AnalysedDocument | undefined,
  settings: VfioLensSettings,
): Diagnostic[] {
  if (!result) return [];
  const state = result.state;
  switch (state.kind) {
    case 'too-large':
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Information,
          source: SOURCE,
          code: 'document-too-large',
          message:
            `vfio-lens did not analyse this document: it is ${state.bytes.toLocaleString('en-US')} bytes, ` +
            `over the limit of ${state.limit.toLocaleString('en-US')} bytes set by vfioLens.maxDocumentSize.`,
        },
      ];
    case 'analysed':
    case 'c-source': {
      const out: Diagnostic[] = [];
      const findings = state.kind === 'analysed' ? state.output.result.findings : state.findings;
      for (const f of findings) {
        const sev = severityOf(f, settings);
        if (sev !== 'off') out.push(findingToDiagnostic(result.uri, f, sev));
      }
      return out;
    }
    default:
      return [];
  }
}
