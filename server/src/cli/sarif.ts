/** `vfio-lens analyze --format sarif`: SARIF 2.1.0, one result per finding. */
import type { DocumentAnalysis, Severity } from '../analysis/types';

const SARIF_LEVEL: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarif(docs: DocumentAnalysis[]) {
  const codes = [...new Set(docs.flatMap((d) => d.findings.map((f) => f.code)))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vfio-lens',
            version: '0.1.0',
            informationUri: 'https://example.invalid/vfio-lens',
            rules: codes.map((id) => ({ id, shortDescription: { text: id.replace(/-/g, ' ') } })),
          },
        },
        results: docs.flatMap((d) =>
          d.findings.map((f) => ({
            ruleId: f.code,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: d.file },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
            relatedLocations: f.related.map((r, i) => ({
              id: i,
              message: { text: r.message },
              physicalLocation: {
                artifactLocation: { uri: d.file },
                region: { startLine: r.range.start.line + 1, startColumn: r.range.start.character + 1 },
              },
            })),
            properties: { kind: f.kind, diffFile: f.diffFile, function: f.function, decision: f.decision },
          })),
        ),
      },
    ],
  };
}
