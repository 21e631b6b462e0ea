/**
 * The readers the reader benchmarks compare (vfio-lens and its JS peers) and how their readings
 * are judged: each tool's file diffs as (path, hunks, lines, added, removed), compared file by
 * file with vfio-lens's reading (reader.bench.ts and cold.bench.ts share them).
 */
import parseDiff from 'parse-diff';
import gitDiffParser from 'gitdiff-parser';
import { parsePatch } from 'diff';
import { documentLines } from '../../server/src/diff/documentLines';
import { parseDiffs } from '../../server/src/diff/parse';
import type { FileDiff } from '../../server/src/diff/types';
import { readDocument } from '../../server/src/mail/index';

/** Keeps the materialised lines observable, so the work cannot be optimised away. */
let _sink = 0;

/** One file diff as the tools are compared on. */
export interface FileCount {
  path: string;
  hunks: number;
  lines: number;
  added: number;
  removed: number;
}

/** A JS tool: parse the text, then (outside the timing) its file diffs for the comparison. */
export interface Tool {
  name: string;
  run(text: string): unknown;
  files(result: unknown): FileCount[];
}

function normPath(p: string | undefined): string {
  if (!p) return '';
  let s = p.trim();
  const tab = s.indexOf('\t');
  if (tab >= 0) s = s.slice(0, tab);
  s = s.replace(/^["']|["']$/g, '');
  if (s === '/dev/null') return '';
  return s.replace(/^[ab]\//, '');
}

function pick(newName: string | undefined, oldName: string | undefined): string {
  return normPath(newName) || normPath(oldName);
}

export function vfioFiles(files: FileDiff[]): FileCount[] {
  return files
    .filter((f) => f.quoteDepth === 0)
    .map((f) => {
      let lines = 0;
      let added = 0;
      let removed = 0;
      for (const h of f.hunks) {
        lines += h.bodyLines;
        added += h.added;
        removed += h.removed;
      }
      return { path: f.path, hunks: f.hunks.length, lines, added, removed };
    });
}

export const tools: Tool[] = [
  {
    name: 'vfio-lens readDocument',
    run: (text) => readDocument(text),
    files: (r) => vfioFiles((r as ReturnType<typeof readDocument>).files),
  },
  {
    name: 'vfio-lens parseDiffs',
    run: (text) => parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: -1 }),
    files: (r) => vfioFiles((r as ReturnType<typeof parseDiffs>).files),
  },
  {
    name: 'vfio-lens parseDiffs + lines',
    run: (text) => {
      const r = parseDiffs(documentLines(text), { quoteDepth: 0, messageIndex: -1 });
      for (const f of r.files) for (const h of f.hunks) _sink += h.lines.length;
      return r;
    },
    files: (r) => vfioFiles((r as ReturnType<typeof parseDiffs>).files),
  },
  {
    name: 'parse-diff',
    run: (text) => parseDiff(text),
    files: (r) =>
      (r as parseDiff.File[]).map((f) => {
        let lines = 0;
        let added = 0;
        let removed = 0;
        for (const c of f.chunks) {
          for (const ch of c.changes) {
            if (ch.content.startsWith('\\')) continue; // its "\ No newline" entries
            lines++;
            if (ch.type === 'add') added++;
            else if (ch.type === 'del') removed++;
          }
        }
        return { path: pick(f.to, f.from), hunks: f.chunks.length, lines, added, removed };
      }),
  },
  {
    name: 'gitdiff-parser',
    run: (text) => gitDiffParser.parse(text),
    files: (r) =>
      (r as ReturnType<typeof gitDiffParser.parse>).map((f) => {
        let lines = 0;
        let added = 0;
        let removed = 0;
        for (const h of f.hunks) {
          for (const ch of h.changes) {
            lines++;
            if (ch.type === 'insert') added++;
            else if (ch.type === 'delete') removed++;
          }
        }
        return {
          path: pick(f.type === 'delete' ? '' : f.newPath, f.oldPath),
          hunks: f.hunks.length,
          lines,
          added,
          removed,
        };
      }),
  },
  {
    name: 'jsdiff parsePatch',
    run: (text) => parsePatch(text),
    files: (r) =>
      (r as ReturnType<typeof parsePatch>).map((f) => {
        let lines = 0;
        let added = 0;
        let removed = 0;
        for (const h of f.hunks) {
          for (const l of h.lines) {
            if (l.startsWith('\\')) continue;
            lines++;
            if (l.startsWith('+')) added++;
            else if (l.startsWith('-')) removed++;
          }
        }
        return { path: pick(f.newFileName, f.oldFileName), hunks: f.hunks.length, lines, added, removed };
      }),
  },
];

function key(f: FileCount, withHunks: boolean): string {
  return withHunks ? `${f.path}|${f.hunks}|${f.lines}|${f.added}|${f.removed}` : `${f.added}|${f.removed}`;
}

/** How many file diffs differ between two readings (multiset difference, larger side). */
export function filesDiffering(ref: FileCount[], got: FileCount[], withHunks: boolean): number {
  const bag = new Map<string, number>();
  for (const f of ref) bag.set(key(f, withHunks), (bag.get(key(f, withHunks)) ?? 0) + 1);
  let extra = 0;
  for (const f of got) {
    const k = key(f, withHunks);
    const n = bag.get(k) ?? 0;
    if (n > 0) bag.set(k, n - 1);
    else extra++;
  }
  let missing = 0;
  for (const n of bag.values()) missing += n;
  return Math.max(extra, missing);
}

export function totals(files: FileCount[]): {
  files: number;
  hunks: number;
  lines: number;
  added: number;
  removed: number;
} {
  const t = { files: files.length, hunks: 0, lines: 0, added: 0, removed: 0 };
  for (const f of files) {
    t.hunks += f.hunks;
    t.lines += f.lines;
    t.added += f.added;
    t.removed += f.removed;
  }
  return t;
}

/** Files with neither a name nor a hunk are a tool's artefact of leading text, not file diffs. */
export function meaningful(files: FileCount[]): FileCount[] {
  return files.filter((f) => f.path !== '' || f.hunks > 0);
}

export function verdict(ref: FileCount[], got: FileCount[], withHunks = true): string {
  const n = filesDiffering(ref, meaningful(got), withHunks);
  return n === 0 ? 'correct' : `wrong (${n} files differ)`;
}

/** The README's reference totals of corpus/bench a and b (clean git output: exact). */
export const BENCH_REFERENCES: Record<
  'a' | 'b',
  { files: number; hunks: number; lines: number; added: number; removed: number }
> = {
  a: { files: 1805, hunks: 4334, lines: 80965, added: 36640, removed: 13699 },
  b: { files: 2067, hunks: 9742, lines: 310457, added: 171241, removed: 59974 },
};
