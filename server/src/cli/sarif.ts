/**
 * SARIF 2.1.0 output of `vfio-lens analyze --format sarif`: one run, one result per finding, a rule
 * with its descriptions for every finding code. Locations are relative references against the
 * uriBaseId SRCROOT (the working directory, given in originalUriBaseIds) for files below it, and
 * file:// URIs for files elsewhere; standard input is an artifact without a location (GitHub code
 * scanning, which needs a uri, cannot place those results; sarif-multitool 5.7.0 throws on such an
 * artifact when it also embeds its contents, so it does not). Columns count UTF-16 code units,
 * as the analysis' LSP ranges do.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range } from '../common/position';
import type { DocumentAnalysis, Finding, Severity } from '../analysis/types';
import { FINDING_CODES } from './findingCodes';
import type { InputDocument } from './io';

export const VFIO_LENS_VERSION = '0.1.0';
const INFORMATION_URI = 'https://example.invalid/vfio-lens';
const HELP_URI = `${INFORMATION_URI}/blob/main/README.md#finding-codes`;
const SRCROOT = 'SRCROOT';
/** Lines of context around a result's region. */
const CONTEXT_LINES = 2;

const SARIF_LEVEL: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

interface ArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  index: number;
}

/** Where an input is, as SARIF says it: relative to SRCROOT below `cwd`, else a file:// URI. */
function locate(file: string, cwd: string): { uri: string; uriBaseId?: string } | undefined {
  if (file === '<stdin>') return undefined;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

function rule(id: string) {
  const doc = FINDING_CODES[id];
  return {
    id,
    name: doc?.name ?? id,
    shortDescription: { text: doc?.short ?? id },
    fullDescription: { text: doc?.full ?? `vfio-lens finding ${id} (not described in this version)` },
    help: { text: doc?.full ?? id },
    helpUri: HELP_URI,
  };
}

/** The document's text by lines, for snippets. */
class Lines {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  }
  /** The text of a range (end exclusive), lines joined by "\n". */
  slice(r: Range): string {
    const out: string[] = [];
    for (let l = r.start.line; l <= r.end.line && l < this.lines.length; l++) {
      const t = this.lines[l];
      const from = l === r.start.line ? r.start.character : 0;
      out.push(l === r.end.line ? t.slice(from, r.end.character) : t.slice(from));
    }
    return out.join('\n');
  }
  /** Whole lines around a range, as a SARIF contextRegion. */
  context(r: Range) {
    const startLine = Math.max(0, r.start.line - CONTEXT_LINES);
    const endLine = Math.min(this.lines.length - 1, r.end.line + CONTEXT_LINES);
    const text = this.lines.slice(startLine, endLine + 1).join('\n') + '\n';
    return { startLine: startLine + 1, endLine: endLine + 1, snippet: { text } };
  }
}

function region(r: Range, lines: Lines) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
    snippet: { text: lines.slice(r) },
  };
}

function result(f: Finding, artifact: ArtifactLocation, lines: Lines, ruleIndex: number) {
  return {
    ruleId: f.code,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact,
          region: region(f.range, lines),
          contextRegion: lines.context(f.range),
        },
      },
    ],
    relatedLocations: f.related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: { artifactLocation: artifact, region: region(r.range, lines) },
    })),
    properties: {
      kind: f.kind,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.diffFile ? { diffFile: f.diffFile } : {}),
      ...(f.function ? { function: f.function } : {}),
      ...(f.decision ? { decision: f.decision } : {}),
      ...(f.changes.length ? { changes: f.changes } : {}),
      ...(f.preExisting ? { preExisting: true } : {}),
    },
  };
}

/** `inputs[i]` is the text `docs[i]` was analysed from. */
export function toSarif(inputs: InputDocument[], docs: DocumentAnalysis[], options: { cwd: string }) {
  const codes = [
    ...new Set([...Object.keys(FINDING_CODES), ...docs.flatMap((d) => d.findings.map((f) => f.code))]),
  ];
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const artifacts = docs.map((d, index) => {
    const where = locate(d.file, options.cwd);
    const length = Buffer.byteLength(inputs[index].text);
    return where ? { location: where, length } : { description: { text: 'standard input' }, length };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vfio-lens',
            fullName: `vfio-lens ${VFIO_LENS_VERSION}`,
            version: VFIO_LENS_VERSION,
            semanticVersion: VFIO_LENS_VERSION,
            informationUri: INFORMATION_URI,
            rules: codes.map(rule),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        artifacts,
        columnKind: 'utf16CodeUnits',
        results: docs.flatMap((d, index) => {
          const where = locate(d.file, options.cwd);
          const artifact: ArtifactLocation = { ...where, index };
          const lines = new Lines(inputs[index].text);
          return d.findings.map((f) => result(f, artifact, lines, ruleIndex.get(f.code)!));
        }),
      },
    ],
  };
}
