/**
 * The review lints that make sense on a plain C file (no patch, so no before/after): today the
 * "MSE" wording check of the analysis, over the file's lines. The patch lints (is_virtfn used for
 * the Command-MEMORY question, dev_flags collisions, ...) need hunks and stay with patches.
 */
import { lintMse } from '../analysis/lints';
import type { Finding } from '../analysis/types';

export function cSourceLints(uri: string, text: string): Finding[] {
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
