/**
 * The one wording of "nothing changed" in every summary (CLI text, b4, the LSP's summary and
 * replies): never a bare "no change", always "in what vfio-lens models", and how many changes the
 * model does not cover when there are any.
 */
import type { Finding } from './types';

/** The changes of a list the model does not cover (its `unmodeled-change` findings). */
export function notModelledCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.kind === 'unmodeled-change').length;
}

/** "N changes it does not model" (singular for one). */
export function notModelledText(n: number): string {
  return `${n} change${n === 1 ? '' : 's'} it does not model`;
}

/** "no change in what vfio-lens models", then "; N changes it does not model" when N > 0. */
export function noModelledChangeText(findings: readonly Finding[]): string {
  const n = notModelledCount(findings);
  return n
    ? `no change in what vfio-lens models; ${notModelledText(n)}`
    : 'no change in what vfio-lens models';
}
