/**
 * Lints on a plain C file (no patch, so no before/after): the whole file is read as if every line
 * were new, so the decision points and marker setters it holds are recognised exactly as in a
 * hunk, and the lints that need no "before" apply: is_virtfn deciding Command MEMORY, a dev_flags
 * bit that collides, is_virtfn set without physfn, and "MSE" in its comments.
 */
import type { Hunk, HunkLine } from '../diff/types';
import { readHunk } from '../csrc/hunkFacts';
import { DEFAULT_BASELINE } from './baseline';
import { cParserReady } from '../csrc/treeSitter';
import type { KernelId } from '../model/index';
import { runLints } from './lints';
import type { Finding } from './types';

function wholeFileHunk(text: string): Hunk {
  const raw = text.split('\n').map((t) => t.replace(/\r$/, ''));
  const lines: HunkLine[] = raw.map((t, i) => ({
    kind: 'added',
    text: t,
    range: { start: { line: i, character: 0 }, end: { line: i, character: t.length } },
    newLine: i + 1,
  }));
  const end = { line: Math.max(0, raw.length - 1), character: raw[raw.length - 1]?.length ?? 0 };
  return {
    oldStart: 0,
    oldLines: 0,
    newStart: 1,
    newLines: raw.length,
    heading: '',
    headerRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    range: { start: { line: 0, character: 0 }, end },
    lines,
    preImage: '',
    postImage: raw.join('\n'),
    quoteDepth: 0,
    added: raw.length,
    removed: 0,
    bodyLines: raw.length,
  };
}

/**
 * The lints of a C file. Until tree-sitter-c is loaded (the language server loads it at
 * initialize and analyses open documents again once it is ready) only the wording check runs.
 */
export function analyzeCSource(text: string, file: string, baseline: KernelId | 'auto' = 'auto'): Finding[] {
  const hunk = wholeFileHunk(text);
  const path = file.replace(/^file:\/\//, '');
  const kernel = baseline === 'auto' ? DEFAULT_BASELINE : baseline;
  const lints = runLints({
    readings: cParserReady() ? [{ facts: readHunk(hunk) }] : [],
    macros: [],
    baseline: kernel,
    effects: [],
    devices: [],
    prose: [hunk.lines.map((l) => ({ text: l.text, range: l.range }))],
  });
  return lints.map((l) => ({
    code: l.code,
    kind: 'lint',
    severity: l.severity,
    message: l.message,
    file,
    range: l.range,
    diffFile: path,
    changes: [],
    related: l.related,
  }));
}
