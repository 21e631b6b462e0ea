/**
 * The properties every entry point must have on any input (issue 13): nothing throws out of it
 * (and no caught crash hides in its problems); every range lies inside the document; the output
 * is at most linear in the input (a constant factor plus a constant, measured in JSON
 * characters); the same input gives the same output; where a budget or bound exists, it holds
 * and says so. Each check throws a PropertyFailure naming what broke; nothing here times a call.
 */
import { analyzeText, type AnalysisOutput } from '../../server/src/analysis/index';
import { MAX_EXPR_DEPTH, parseCExpression } from '../../server/src/csrc/cexpr';
import { hunkImages } from '../../server/src/analysis/applySeries';
import { readCode, type CodeFacts, type SideFacts } from '../../server/src/csrc/codeFacts';
import { expandMacros, MAX_EXPANDED_LENGTH, type MacroDef } from '../../server/src/csrc/macros';
import {
  readConfigPatch,
  type ConfigPatchReading,
  type HunkImages,
} from '../../server/src/csrc/config/index';
import { functionFromHeading } from '../../server/src/csrc/functions';
import { recogniseZpciChanges } from '../../server/src/csrc/zpci/recognise';
import type { ZpciHunkImages, ZpciReading } from '../../server/src/csrc/zpci/types';
import { documentLines, parseDiffs } from '../../server/src/diff/index';
import type { FileDiff } from '../../server/src/diff/types';
import { readDocument } from '../../server/src/mail/index';
import type { ReadResult } from '../../server/src/mail/types';
import type { Expr } from '../../server/src/model/types';
import { DocumentGeometry, inspect, type Inspection } from './inspect';

export class PropertyFailure extends Error {
  constructor(
    readonly entry: string,
    readonly property: string,
    detail: string,
  ) {
    super(`${entry}: ${property}: ${detail}`);
  }
}

/** Output size bound: at most factor x input + constant (JSON characters). */
export interface LinearBound {
  factor: number;
  constant: number;
}

export const BOUNDS: Record<string, LinearBound> = {
  // a hunk line of 2 characters gives a line object with a range: ~110 characters
  reader: { factor: 120, constant: 64 * 1024 },
  diff: { factor: 120, constant: 64 * 1024 },
  // both images of a hunk repeat its lines, with the facts found on them
  csrc: { factor: 300, constant: 64 * 1024 },
  analysis: { factor: 60, constant: 256 * 1024 },
};

/** Calls `fn`; an exception out of it is a failure of the entry point. */
export function noThrow<T>(entry: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = e as Error;
    const where = (err?.stack ?? '').split('\n').slice(0, 4).join(' | ');
    throw new PropertyFailure(
      entry,
      'nothing throws',
      `${err?.name ?? 'throw'}: ${err?.message ?? e} (${where})`,
    );
  }
}

/** Inspects an output, checking each range in it against the document. */
export function inspectInside(entry: string, geometry: DocumentGeometry, output: unknown): Inspection {
  return inspect(output, (range, path) => {
    const problem = geometry.problem(range);
    if (problem)
      throw new PropertyFailure(entry, 'every range lies inside the document', `${path()} ${problem}`);
  });
}

export function checkLinear(
  entry: string,
  inputLength: number,
  outputSize: number,
  bound = BOUNDS[entry],
): void {
  const limit = bound.factor * inputLength + bound.constant;
  if (outputSize > limit) {
    throw new PropertyFailure(
      entry,
      'output at most linear in the input',
      `${outputSize} characters of output for ${inputLength} of input (limit ${bound.factor} x ${inputLength} + ${bound.constant} = ${limit})`,
    );
  }
}

export function checkSame(entry: string, a: Inspection, b: Inspection): void {
  if (a.digest !== b.digest || a.size !== b.size)
    throw new PropertyFailure(
      entry,
      'same input, same output',
      `two runs differ (${a.size} vs ${b.size} characters)`,
    );
}

/** Problems that are a crash the reader caught: a property failure all the same. */
const CAUGHT_CRASH = /^(internal error while reading|diff reader failed here)/;

function checkNoCaughtCrash(entry: string, problems: { message: string }[]): void {
  const crash = problems.find((p) => CAUGHT_CRASH.test(p.message));
  if (crash) throw new PropertyFailure(entry, 'nothing throws', `caught and reported: ${crash.message}`);
}

export interface Checked<T> {
  output: T;
  inspection: Inspection;
}

/** The reader: readDocument over any text. */
export function checkReader(text: string): Checked<ReadResult> {
  const run = () => noThrow('reader', () => readDocument(text));
  const output = run();
  checkNoCaughtCrash('reader', output.problems);
  const seen = inspectInside('reader', new DocumentGeometry(text), output);
  checkLinear('reader', text.length, seen.size);
  checkSame('reader', seen, inspect(run()));
  return { output, inspection: seen };
}

/** The diff reader alone, over the raw document. */
export function checkDiff(text: string): Checked<FileDiff[]> {
  const run = () =>
    noThrow('diff', () => parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: -1 }));
  const output = run();
  checkNoCaughtCrash('diff', output.problems);
  const seen = inspectInside('diff', new DocumentGeometry(text), output);
  checkLinear('diff', text.length, seen.size);
  checkSame('diff', seen, inspect(run()));
  return { output: output.files, inspection: seen };
}

/** Depth and node count of an expression (iterative: the check must not be what overflows). */
export function exprShape(e: Expr): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    nodes++;
    if (d > depth) depth = d;
    switch (x.kind) {
      case 'unary':
        stack.push([x.arg, d + 1]);
        break;
      case 'binary':
        stack.push([x.left, d + 1], [x.right, d + 1]);
        break;
      case 'cond':
        stack.push([x.test, d + 1], [x.then, d + 1], [x.else, d + 1]);
        break;
      case 'call':
        for (const a of x.args) stack.push([a, d + 1]);
        break;
    }
  }
  return { depth, nodes };
}

/** C extraction: parseCExpression over a text; the expression it gives is bounded. */
export function checkExpression(text: string): Expr {
  const run = () => noThrow('csrc', () => parseCExpression(text));
  const e = run();
  const shape = exprShape(e);
  if (shape.depth > MAX_EXPR_DEPTH)
    throw new PropertyFailure(
      'csrc',
      'recursion over C is bounded',
      `expression ${shape.depth} deep (bound ${MAX_EXPR_DEPTH})`,
    );
  if (shape.nodes > text.length + 1)
    throw new PropertyFailure(
      'csrc',
      'output at most linear in the input',
      `${shape.nodes} nodes from ${text.length} characters`,
    );
  checkSame('csrc', inspect(e), inspect(run()));
  return e;
}

/** Macro expansion: bounded output, no exception, same answer twice. */
export function checkExpansion(text: string, macros: MacroDef[]): string {
  const run = () => noThrow('csrc', () => expandMacros(text, macros));
  const out = run();
  const limit = Math.max(text.length, MAX_EXPANDED_LENGTH);
  if (out.length > limit)
    throw new PropertyFailure(
      'csrc',
      'output at most linear in the input',
      `expansion of ${text.length} characters gave ${out.length} (bound ${limit})`,
    );
  if (run() !== out) throw new PropertyFailure('csrc', 'same input, same output', 'two expansions differ');
  return out;
}

function checkSideIndices(side: SideFacts, where: string): void {
  const n = side.image.length;
  const bad = (i: number) => !Number.isInteger(i) || i < 0 || i >= n;
  const lists: [string, number[]][] = [
    ...side.decisions.map((c): [string, number[]] => ['decision', c.lines]),
    ...side.setters.map((c): [string, number[]] => ['setter', c.lines]),
    ...side.definitions.map((c): [string, number[]] => ['definition', c.lines]),
    ...side.macros.map((c): [string, number[]] => ['macro', c.lines]),
    ['unexplained', side.unexplained.map((u) => u.line)],
  ];
  for (const [what, lines] of lists) {
    const i = lines.find(bad);
    if (i !== undefined)
      throw new PropertyFailure(
        'csrc',
        'every range lies inside the document',
        `${where}: ${what} on image line ${i} of ${n}`,
      );
  }
}

/** C extraction over every hunk the reader finds: readCode on its images, and the expressions and macros it reads. */
export function checkCsrc(text: string, read: ReadResult): CodeFacts[] {
  const out: CodeFacts[] = [];
  const geometry = new DocumentGeometry(text);
  let hunkText = 0;
  for (const [fi, file] of read.files.entries()) {
    let earlier: string | undefined;
    for (const [hi, hunk] of file.hunks.entries()) {
      const where = `file ${fi} hunk ${hi}`;
      const facts = noThrow('csrc', () => readCode(hunkImages(hunk), earlier));
      const again = noThrow('csrc', () => readCode(hunkImages(hunk), earlier));
      earlier = facts.functionName;
      checkSideIndices(facts.pre, `${where} pre-image`);
      checkSideIndices(facts.post, `${where} post-image`);
      const seen = inspectInside('csrc', geometry, facts);
      checkSame('csrc', seen, inspect(again));
      const size = hunk.preImage.length + hunk.postImage.length + hunk.lines.length;
      hunkText += size;
      checkLinear('csrc', size, seen.size);
      const macros = [...facts.pre.macros, ...facts.post.macros];
      for (const c of [...facts.pre.decisions, ...facts.post.decisions]) {
        checkExpression(c.expression);
        checkExpression(checkExpansion(c.expression, macros));
      }
      for (const s of facts.post.setters)
        if (s.condition) checkExpression(checkExpansion(s.condition, macros));
      out.push(facts);
    }
  }
  void hunkText;
  return out;
}

/** Every hunk the reader found, as the two images the config-space and zPCI readers take. */
function imagesOfDocument(read: ReadResult): HunkImages[] {
  const out: HunkImages[] = [];
  for (const file of read.files) {
    for (const hunk of file.hunks) {
      const pre: HunkImages['pre'] = [];
      const post: HunkImages['post'] = [];
      for (const l of hunk.lines) {
        if (l.kind === 'no-newline') continue;
        if (l.kind !== 'added') pre.push({ text: l.text, changed: l.kind === 'removed' });
        if (l.kind !== 'removed') post.push({ text: l.text, changed: l.kind === 'added' });
      }
      const fn = functionFromHeading(hunk.heading);
      out.push({ file: file.path, heading: hunk.heading, functionName: fn, pre, post });
    }
  }
  return out;
}

/** Image lines and hunk indices a reading names lie inside what it was given. */
function checkPlaces(
  entry: string,
  hunks: readonly { pre: unknown[]; post: unknown[] }[],
  places: { hunk: number; pre: number[]; post: number[] }[],
): void {
  for (const p of places) {
    const h = hunks[p.hunk];
    const bad = (lines: number[], n: number) => lines.find((i) => !Number.isInteger(i) || i < 0 || i >= n);
    const where =
      h === undefined
        ? `hunk ${p.hunk} of ${hunks.length}`
        : bad(p.pre, h.pre.length) !== undefined
          ? `pre-image line ${bad(p.pre, h.pre.length)} of ${h.pre.length} in hunk ${p.hunk}`
          : bad(p.post, h.post.length) !== undefined
            ? `post-image line ${bad(p.post, h.post.length)} of ${h.post.length} in hunk ${p.hunk}`
            : undefined;
    if (where) throw new PropertyFailure(entry, 'every range lies inside the document', where);
  }
}

const imageSize = (hunks: readonly HunkImages[]) =>
  hunks.reduce((n, h) => n + [...h.pre, ...h.post].reduce((m, l) => m + l.text.length + 1, 0), 0);

/** csrc/config: readConfigPatch over every hunk of the document (any file, any C). */
export function checkConfig(read: ReadResult): ConfigPatchReading {
  const hunks = imagesOfDocument(read);
  const run = () => noThrow('config', () => readConfigPatch(hunks));
  const output = run();
  checkPlaces(
    'config',
    hunks,
    output.changes.flatMap((c) =>
      c.places.map((p) => ({
        hunk: p.hunk,
        pre: p.side === 'pre' ? p.lines : [],
        post: p.side === 'post' ? p.lines : [],
      })),
    ),
  );
  const view = (o: ConfigPatchReading) => ({ changes: o.changes, facts: o.sides.map((s) => s.facts) });
  const seen = inspect(view(output));
  checkLinear('config', imageSize(hunks), seen.size, BOUNDS.csrc);
  checkSame('config', seen, inspect(view(run())));
  return output;
}

/** csrc/zpci: recogniseZpciChanges over every hunk of the document. */
export function checkZpci(read: ReadResult): ZpciReading {
  const hunks: ZpciHunkImages[] = imagesOfDocument(read).map(({ functionName, ...h }) => ({
    ...h,
    ...(functionName ? { function: functionName } : {}),
  }));
  const run = () => noThrow('zpci', () => recogniseZpciChanges(hunks));
  const output = run();
  checkPlaces(
    'zpci',
    hunks,
    output.changes.map((c) => ({ hunk: c.place.hunk, pre: c.place.preLines, post: c.place.postLines })),
  );
  // the versions before and after are the model's tables (a constant), edited by the changes
  const view = (o: ZpciReading) => ({
    changes: o.changes,
    lints: o.lints,
    drift: o.drift,
    problems: o.problems,
  });
  const seen = inspect(view(output));
  checkLinear('zpci', imageSize(hunks), seen.size, BOUNDS.csrc);
  checkSame('zpci', seen, inspect(view(run())));
  return output;
}

/** What of an analysis the properties look at: the findings and the decision sites. */
const analysisView = (o: AnalysisOutput) => ({ result: o.result, decisions: o.decisions });

/** The analysis: analyzeText as the CLI calls it. */
export function checkAnalysis(text: string): Checked<AnalysisOutput> {
  const run = () => noThrow('analysis', () => analyzeText(text, { file: 'fuzz' }));
  const output = run();
  const findings = output.result.findings;
  const geometry = new DocumentGeometry(text);
  // a finding out of the document is named by its code (which part of the analysis put it there)
  for (const [i, f] of findings.entries()) {
    for (const r of [f.range, ...f.related.map((x) => x.range)]) {
      const problem = geometry.problem(r);
      if (problem)
        throw new PropertyFailure(
          'analysis',
          'every range lies inside the document',
          `finding ${i} (${f.code}) ${problem}`,
        );
    }
  }
  const seen = inspectInside('analysis', geometry, analysisView(output));
  {
    const limit = BOUNDS.analysis.factor * text.length + BOUNDS.analysis.constant;
    const related = findings.reduce((n, f) => n + inspect(f.related).size, 0);
    if (seen.size > limit && seen.size - related <= limit)
      throw new PropertyFailure(
        'analysis',
        'output at most linear in the input',
        `${seen.size} characters of output for ${text.length} of input (limit ${limit}), ${related} of them related information lists`,
      );
    // each behaviour change explains both its traces with the decision's whole expression, twice
    const explained = findings.reduce((n, f) => n + (f.changes.length ? inspect(f.changes).size : 0), 0);
    if (seen.size > limit && seen.size - explained <= limit)
      throw new PropertyFailure(
        'analysis',
        'output at most linear in the input',
        `${seen.size} characters of output for ${text.length} of input (limit ${limit}), ${explained} of them the behaviour changes' explanations`,
      );
    checkLinear('analysis', text.length, seen.size);
  }
  checkSame('analysis', seen, inspect(analysisView(run())));
  return { output, inspection: seen };
}
