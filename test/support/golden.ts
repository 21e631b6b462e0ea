/**
 * The findings of every corpus and seed file, kept under test/golden/ so that a change of any
 * code, range, severity or message shows up as a test failure (and, when it is meant, as a diff
 * of the golden made by `npm run golden:update`). A golden holds what the analysis says, not the
 * mail: no subject, and every long text (a message quoting a reviewer, a C expression) cut into
 * pieces of at most PIECE characters, so no line of a golden is a line copied from ../shared.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initAnalysis } from '../../server/src/analysis/index';
import { corpusRealFiles, projectRoot, seedFiles, sharedPath } from './shared';

export const GOLDEN_DIR = path.join(projectRoot, 'test', 'golden');
const PIECE = 60;

/** A text as it is kept: itself when short, else pieces (at spaces where it can) that join to it. */
export type Kept = string | string[];

export function keep(text: string): Kept {
  if (text.length <= PIECE) return text;
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > PIECE) {
    const space = rest.lastIndexOf(' ', PIECE - 1);
    const cut = space > PIECE / 2 ? space + 1 : PIECE;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

export const joined = (k: Kept): string => (typeof k === 'string' ? k : k.join(''));

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
const span = (r: Range) => [r.start.line, r.start.character, r.end.line, r.end.character];

/** A change side as `analyze --format json` writes it: the text of today, or the object that carries it. */
type Side = string | { text: string };
const sideText = (s: Side) => (typeof s === 'string' ? s : s.text);

interface JsonFinding {
  code: string;
  kind: string;
  severity: string;
  message: string;
  range: Range;
  patch?: number;
  diffFile?: string;
  function?: string;
  decision?: string;
  hint?: string;
  preExisting?: boolean;
  changes: { device: string; steps: string[]; before: Side; after: Side; internal?: boolean }[];
  related: { range: Range; message: string }[];
}

export interface JsonDocument {
  file: string;
  baseline: { kernel: string | null; detectedFrom: string };
  patches: { index?: number; total?: number; version: number; range: Range }[];
  findings: JsonFinding[];
  outsideScope?: { hunks: number; files: string[] };
}

/** The golden of one document of `analyze --format json` (or of the same result in process). */
export function goldenOf(doc: JsonDocument): unknown {
  return {
    file: path.basename(doc.file),
    baseline: { kernel: doc.baseline.kernel, detectedFrom: keep(doc.baseline.detectedFrom) },
    patches: doc.patches.map((p) => ({
      index: p.index,
      total: p.total,
      version: p.version,
      range: span(p.range),
    })),
    findings: doc.findings.map((f) => ({
      code: f.code,
      kind: f.kind,
      severity: f.severity,
      range: span(f.range),
      message: keep(f.message),
      patch: f.patch,
      diffFile: f.diffFile,
      function: f.function,
      decision: f.decision,
      hint: f.hint === undefined ? undefined : keep(f.hint),
      preExisting: f.preExisting,
      changes: f.changes.map((c) => ({
        device: c.device,
        steps: c.steps.join('; '),
        before: keep(sideText(c.before)),
        after: keep(sideText(c.after)),
        internal: c.internal,
      })),
      related: f.related.map((r) => ({ range: span(r.range), message: keep(r.message) })),
    })),
    outsideScope: doc.outsideScope,
  };
}

/** The golden's text: one JSON value, plain data (undefined fields left out, as the CLI does). */
export function goldenText(doc: JsonDocument): string {
  return JSON.stringify(goldenOf(JSON.parse(JSON.stringify(doc)) as JsonDocument), null, 1) + '\n';
}

/** Every corpus and seed file, by the path the CLI is given. */
export function goldenInputs(): string[] {
  return [
    ...seedFiles().map((f) => sharedPath('seeds', f)),
    ...corpusRealFiles().map((f) => sharedPath('corpus', 'real', f)),
  ];
}

export const goldenFile = (input: string) => path.join(GOLDEN_DIR, `${path.basename(input)}.json`);

/** What the analysis says of one input now, as JSON of `analyze` would carry it. */
export async function analysedNow(input: string): Promise<JsonDocument> {
  await initAnalysis();
  const text = fs.readFileSync(input, 'utf8');
  return analyzeText(text, { file: input }).result as unknown as JsonDocument;
}
