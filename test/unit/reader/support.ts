/** Helpers for the reader tests over ../shared: the manifest, and position checks against the raw text. */
import { readShared } from '../../support/shared';
import type { ReadResult } from '../../../server/src/mail/types';
import type { Range } from '../../../server/src/common/position';
import { countStats } from '../../../server/src/cli/stats';

/** MANIFEST.tsv rows: file -> the subjects listed in its notes ("subjects: A || B"). */
export function manifestSubjects(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rows = readShared('corpus', 'MANIFEST.tsv').split('\n').slice(1);
  for (const row of rows) {
    const cols = row.split('\t');
    if (cols.length < 7) continue;
    const notes = cols[6];
    const at = notes.indexOf('subjects: ');
    if (at < 0) continue;
    out.set(
      cols[0],
      notes
        .slice(at + 'subjects: '.length)
        .split(' || ')
        .map((s) => s.trim()),
    );
  }
  return out;
}

export function isReplySubject(s: string): boolean {
  return /^(?:re|aw|fwd?)\s*:/i.test(s);
}

/** The document's lines split the way LSP counts them. */
export function documentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function textAt(lines: string[], r: Range): string | undefined {
  if (r.start.line !== r.end.line) return undefined;
  return lines[r.start.line]?.slice(r.start.character, r.end.character);
}

/** Hunk lines whose range does not hold their text (expected only where a body was decoded). */
export function misplacedLines(
  result: ReadResult,
  lines: string[],
): { message: number; line: number; text: string; range: Range }[] {
  const out: { message: number; line: number; text: string; range: Range }[] = [];
  for (const f of result.files) {
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.kind === 'no-newline') continue;
        if (textAt(lines, l.range) !== l.text)
          out.push({ message: f.messageIndex, line: l.range.start.line, text: l.text, range: l.range });
      }
    }
  }
  return out;
}

/** The README's reference counts per bench file: file diffs / hunks / hunk-body lines (+added / -removed). */
export function benchReference(file: string): {
  files: number;
  hunks: number;
  lines: number;
  added?: number;
  removed?: number;
} {
  const readme = readShared('corpus', 'README.md');
  const row = readme.split('\n').find((l) => l.startsWith(`| ${file} |`));
  if (!row) throw new Error(`no reference row for ${file} in corpus/README.md`);
  const cell = row
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean)
    .pop()!;
  const n = (s: string) => Number(s.replace(/,/g, ''));
  const m = /^([\d,]+) \/ ([\d,]+) \/ ([\d,]+)(?: \(\+([\d,]+) \/ -([\d,]+)\))?$/.exec(cell);
  if (!m) throw new Error(`cannot read the reference counts "${cell}"`);
  return {
    files: n(m[1]),
    hunks: n(m[2]),
    lines: n(m[3]),
    added: m[4] ? n(m[4]) : undefined,
    removed: m[5] ? n(m[5]) : undefined,
  };
}

/** The totals as `vfio-lens stats` counts them (every hunk-body line, "\\ No newline" markers included). */
export function totals(result: ReadResult): {
  files: number;
  hunks: number;
  lines: number;
  added: number;
  removed: number;
} {
  const s = countStats('', result, 0);
  return { files: s.files, hunks: s.hunks, lines: s.hunkLines, added: s.added, removed: s.removed };
}
