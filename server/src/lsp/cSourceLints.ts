/**
 * The review lints that make sense on a plain C file (no patch, so no before/after): the
 * analysis reads the whole file as new code (decision points, marker setters, dev_flags bits) and
 * applies the lints that need no "before", plus the "MSE" wording check (analysis/cSource.ts).
 */
import { analyzeCSource } from '../analysis/cSource';
import type { Finding } from '../analysis/types';

export function cSourceLints(uri: string, text: string): Finding[] {
  return analyzeCSource(text, uri);
}
