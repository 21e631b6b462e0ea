/**
 * The analysis entry points used by the CLI and the language server.
 * (Being built: issue 4. The shapes in ./types are the contract.)
 */
import { initCParser } from '../csrc/treeSitter';
import type { ReadResult } from '../mail/types';
import type { PolicySpec } from '../model/types';
import type { AnalyzeOptions, DocumentAnalysis } from './types';
import type { Range } from '../common/position';

/** A changed decision line of a patch: where it is and what it said before and after. */
export interface DecisionSite {
  range: Range;
  patch?: number;
  decision: string;
  diffFile: string;
  function?: string;
  before: string | null;
  after: string | null;
}

export interface AnalysisOutput {
  result: DocumentAnalysis;
  read: ReadResult;
  /** The changed decision lines (for hovers, inlay hints, code lenses and "Explain"). */
  decisions: DecisionSite[];
  /** The kernel logic before and after each patch (index = position in result.patches), and for the whole series. */
  policies: { before: PolicySpec; after: PolicySpec }[];
  series?: { before: PolicySpec; after: PolicySpec };
}

/** Must be awaited once before analyzeText (loads tree-sitter-c). */
export async function initAnalysis(): Promise<void> {
  await initCParser();
}

export function analyzeText(_text: string, _options: AnalyzeOptions): AnalysisOutput {
  throw new Error('analysis not built yet');
}
