/** Helpers for the diff parser's tests: parse a text, and read a range back out of it. */
import type { Range } from '../../../server/src/common/position';
import { documentLines } from '../../../server/src/diff/documentLines';
import { parseDiffs, type DiffParseResult } from '../../../server/src/diff/parse';

export function parse(text: string): DiffParseResult {
  return parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: -1 });
}

/** Lines written as an array, joined with \n (and a final \n). */
export function doc(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** The text a single-line range covers in `text` (lines split on \r\n or \n). */
export function textAt(text: string, r: Range): string {
  const lines = text.split(/\r?\n/);
  if (r.start.line !== r.end.line) throw new Error(`range spans lines ${r.start.line}..${r.end.line}`);
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

/** Counts as the corpus README gives them. */
export function countsOf(result: { files: DiffParseResult['files'] }): {
  files: number;
  hunks: number;
  lines: number;
  added: number;
  removed: number;
} {
  let hunks = 0;
  let lines = 0;
  let added = 0;
  let removed = 0;
  for (const f of result.files) {
    for (const h of f.hunks) {
      hunks++;
      lines += h.bodyLines;
      added += h.added;
      removed += h.removed;
    }
  }
  return { files: result.files.length, hunks, lines, added, removed };
}
