/**
 * What the server made of one document, in a few fields (vfioLens/documentStatus, which the VS Code
 * client's status bar shows) and in one log line per analysis (the output channel, as clangd and
 * ESLint log theirs): the baseline and how it was chosen, patches, findings by severity, time.
 */
import type { Finding } from '../analysis/types';
import type { AnalysedDocument } from './documentAnalyses';
import type { DocumentStatus } from './protocol';
import { changedDevices } from './editorHints';
import { patchSides } from './patchNames';

function bySeverity(findings: readonly Finding[]): DocumentStatus['findings'] {
  const n = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) n[f.severity]++;
  return n;
}

/** The status of an analysed document as shown (its severities already the settings'). */
export function documentStatus(doc: AnalysedDocument, baselineSetting: string): DocumentStatus {
  const base = { uri: doc.uri, version: doc.version };
  const none = { error: 0, warning: 0, information: 0, hint: 0 };
  const state = doc.state;
  switch (state.kind) {
    case 'analysed':
    case 'not-a-patch': {
      const r = state.output.result;
      const how = r.baseline.detected ? 'detected' : baselineSetting !== 'auto' ? 'set' : 'assumed';
      return {
        ...base,
        state: state.kind,
        baseline: { kernel: r.baseline.kernel, how, detectedFrom: r.baseline.detectedFrom },
        patches: r.patches.length,
        changedDevices: changedDevices(r.findings.flatMap((f) => f.changes)).devices,
        ...(state.kind === 'analysed' ? { sides: patchSides(state.output, doc.uri) } : {}),
        findings: state.kind === 'analysed' ? bySeverity(r.findings) : none,
        ...(state.kind === 'analysed' ? { ms: Math.round(state.ms) } : {}),
      };
    }
    case 'c-source':
      return {
        ...base,
        state: 'c-source',
        patches: 0,
        changedDevices: [],
        findings: bySeverity(state.findings),
      };
    case 'too-large':
      return {
        ...base,
        state: 'too-large',
        patches: 0,
        changedDevices: [],
        findings: none,
        message: `${state.bytes} bytes, over vfioLens.maxDocumentSize (${state.limit})`,
      };
    case 'failed':
      return {
        ...base,
        state: 'failed',
        patches: 0,
        changedDevices: [],
        findings: none,
        message: state.message,
      };
  }
}

/** One line for the output channel: "analysed x.mbox (version 3) in 212 ms: baseline v5.8 (detected), 4 patches, 11 findings (1 warning, 10 information)". */
export function statusLine(s: DocumentStatus): string {
  const name = s.uri.replace(/^.*\//, '');
  const head = `${name} (version ${s.version})`;
  if (s.state === 'failed') return `analysis of ${head} failed: ${s.message ?? ''}`;
  if (s.state === 'too-large') return `not analysed: ${head}: ${s.message ?? ''}`;
  if (s.state === 'not-a-patch') return `${head}: no patch or mail in this text, nothing to analyse`;
  const counts = Object.entries(s.findings)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const total = Object.values(s.findings).reduce((a, b) => a + b, 0);
  const findings = `${total} finding${total === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''}`;
  if (s.state === 'c-source') return `linted ${head} (C source): ${findings}`;
  const baseline = s.baseline ? `baseline ${s.baseline.kernel ?? 'none'} (${s.baseline.how})` : 'no baseline';
  return `analysed ${head} in ${s.ms ?? 0} ms: ${baseline}, ${s.patches} patch${s.patches === 1 ? '' : 'es'}, ${findings}`;
}
