/**
 * Findings -> LSP diagnostics: source "vfio-lens", the finding's code and severity, related
 * places. The severities are the settings' already (shownAnalysis, analysis/severity.ts).
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { applySeverities } from '../analysis/severity';
import { usefulness } from '../analysis/related';
import type { Finding, RelatedInfo, Severity } from '../analysis/types';
import type { AnalysedDocument } from './documentAnalyses';
import type { VfioLensSettings } from './settings';

export const SOURCE = 'vfio-lens';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const shown = new WeakMap<AnalysedDocument, { key: string; doc: AnalysedDocument }>();

/**
 * An analysis as the settings show it: its findings under the severity overrides ("off" ones left
 * out). Every feature (diagnostics, hovers, inlay hints, summaries, Explain) reads this view, so a
 * severity change needs no new analysis. The view is kept per analysis and severities.
 */
export function shownAnalysis(
  doc: AnalysedDocument | undefined,
  settings: VfioLensSettings,
): AnalysedDocument | undefined {
  if (!doc || Object.keys(settings.severity).length === 0) return doc;
  const key = JSON.stringify(settings.severity);
  const hit = shown.get(doc);
  if (hit && hit.key === key) return hit.doc;
  const state = doc.state;
  let view = doc;
  if (state.kind === 'analysed' || state.kind === 'not-a-patch') {
    const result = {
      ...state.output.result,
      findings: applySeverities(state.output.result.findings, settings.severity),
    };
    view = { ...doc, state: { ...state, output: { ...state.output, result } } };
  } else if (state.kind === 'c-source') {
    view = { ...doc, state: { ...state, findings: applySeverities(state.findings, settings.severity) } };
  }
  shown.set(doc, { key, doc: view });
  return view;
}

/**
 * The most related places one diagnostic shows (issue 14): the Problems panel and the peek view
 * give each a row, and six to eight of them buried the findings. The finding keeps its own list
 * (up to MAX_RELATED, analysis/related.ts) for `vfio-lens analyze`, JSON and SARIF.
 */
export const DIAGNOSTIC_RELATED = 2;

/** How many places an entry stands for: itself, or for a "more" entry the places it counts. */
const placesIn = (r: RelatedInfo) => (r.kind === 'more' ? (r.count ?? 1) : 1);

/**
 * The related places a diagnostic shows: at most DIAGNOSTIC_RELATED, the most useful first (in
 * the finding's order within one kind). When more exist, the last one shown counts the rest, on
 * the first place left out.
 */
export function diagnosticRelated(related: readonly RelatedInfo[]): RelatedInfo[] {
  const ranked = related
    .map((r, i) => ({ r, i }))
    .sort((a, b) => usefulness(a.r) - usefulness(b.r) || a.i - b.i)
    .map((x) => x.r);
  if (ranked.length <= DIAGNOSTIC_RELATED) return ranked;
  const shown = ranked.slice(0, DIAGNOSTIC_RELATED - 1);
  const rest = ranked.slice(DIAGNOSTIC_RELATED - 1);
  const left = rest.reduce((n, r) => n + placesIn(r), 0);
  const listed = rest.filter((r) => r.kind !== 'more').length;
  const where = listed === left ? 'lists them' : `lists ${listed} of them`;
  const first = rest[0];
  return [
    ...shown,
    {
      range: first.range,
      message: `${left} more related places: \`vfio-lens analyze\` ${where}; the first: ${first.message}`,
      kind: 'more',
      count: left,
    },
  ];
}

export function findingToDiagnostic(uri: string, finding: Finding, severity: Severity): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = diagnosticRelated(finding.related).map((r) => ({
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

/** The diagnostics of one analysed document as shown (what push and pull both send). */
export function diagnosticsFor(result: AnalysedDocument | undefined): Diagnostic[] {
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
    case 'failed':
      // no findings is not "nothing to say": the user learns the analysis did not happen, and why
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Warning,
          source: SOURCE,
          code: 'analysis-failed',
          message:
            `vfio-lens could not analyse this document (${state.message}); ` +
            'it shows no findings because none were computed, not because there are none.',
        },
      ];
    case 'analysed':
    case 'c-source': {
      const findings = state.kind === 'analysed' ? state.output.result.findings : state.findings;
      return findings.map((f) => findingToDiagnostic(result.uri, f, f.severity));
    }
    default:
      return [];
  }
}
