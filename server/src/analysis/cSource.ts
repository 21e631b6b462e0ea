/**
 * Lints on a plain C file (no patch, so no before/after): csrc reads the file's lines as a new
 * image with nothing before it, so the decision points and marker setters it holds are recognised
 * exactly as in a hunk, and the lints that need no "before" apply: is_virtfn deciding Command
 * MEMORY, a dev_flags bit that collides, is_virtfn set without physfn, and "MSE" in its comments.
 */
import { readCode, type ImageLine } from '../csrc/codeFacts';
import { DEFAULT_BASELINE } from './baseline';
import { cParserReady } from '../csrc/treeSitter';
import type { KernelId } from '../model/index';
import { runLints } from './lints';
import { cappedRelated } from './related';
import type { Finding } from './types';

/** A C file as csrc reads it: every line new (there is no before). */
function fileImage(text: string): ImageLine[] {
  return text.split('\n').map((raw, line) => {
    const t = raw.replace(/\r$/, '');
    return {
      text: t,
      range: { start: { line, character: 0 }, end: { line, character: t.length } },
      changed: true,
    };
  });
}

/**
 * The lints of a C file. Where tree-sitter-c is not loaded only the wording check runs (the
 * analysis worker and the in-process fallback load it before their first job).
 */
export function analyzeCSource(text: string, file: string, baseline: KernelId | 'auto' = 'auto'): Finding[] {
  const image = fileImage(text);
  const path = file.replace(/^file:\/\//, '');
  const kernel = baseline === 'auto' ? DEFAULT_BASELINE : baseline;
  const lints = runLints({
    readings: cParserReady() ? [{ facts: readCode({ heading: '', pre: [], post: image }) }] : [],
    macros: [],
    baseline: kernel,
    effects: [],
    devices: [],
    prose: [image],
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
    related: cappedRelated(l.related),
  }));
}
