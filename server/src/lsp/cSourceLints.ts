/**
 * The review lints that make sense on a plain C file (no patch, so no before/after): the
 * analysis reads the whole file as new code (decision points, marker setters, dev_flags bits) and
 * applies the lints that need no "before", plus the "MSE" wording check. Until tree-sitter-c is
 * loaded (the server starts loading it at initialize) only the wording check runs; the server
 * re-analyses open documents once it is ready.
 */
import { analyzeCSource } from '../analysis/cSource';
import { lintMse } from '../analysis/lints';
import type { Finding } from '../analysis/types';
import { cParserReady } from '../csrc/treeSitter';

export function cSourceLints(uri: string, text: string): Finding[] {
  if (cParserReady()) return analyzeCSource(text, uri);
  const lines = text.split(/\r?\n/).map((t, line) => ({
    text: t,
    range: { start: { line, character: 0 }, end: { line, character: t.length } },
  }));
  return lintMse(lines).map((l) => ({
    code: l.code,
    kind: 'lint',
    severity: l.severity,
    message: l.message,
    file: uri,
    range: l.range,
    changes: [],
    related: l.related,
  }));
}
