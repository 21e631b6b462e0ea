/**
 * The document's structure for the editor: symbols (message -> file -> hunk, as a pull request
 * view lists a change's files), folding ranges (header blocks, file diffs, hunks, quotes) and the
 * line a message's subject is on. All from the reader's outline (serverAnalysis.ts).
 */
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Range,
} from 'vscode-languageserver';
import type { FileOutline, HunkOutline, MessageOutline, ServerAnalysis } from './serverAnalysis';

/** How a document's lines are read here (the server's TextDocument, or a test's lines). */
export interface Lines {
  lineCount: number;
  line(n: number): string;
}

const SUBJECT = /^subject:/i;

/** The line of a message's Subject header, or undefined when it has none. */
export function subjectLine(lines: Lines, m: MessageOutline): number | undefined {
  const end = Math.min(m.bodyLine, lines.lineCount);
  for (let i = m.range.start.line; i < end; i++) if (SUBJECT.test(lines.line(i))) return i;
  return undefined;
}

const lineRange = (line: number, length: number): Range => ({
  start: { line, character: 0 },
  end: { line, character: length },
});

const before = (a: Range['start'], b: Range['start']) =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** `range` grown to hold `inner` (a symbol's range must hold its selection: VS Code refuses it otherwise). */
function holding(range: Range, inner: Range): Range {
  return {
    start: before(inner.start, range.start) ? inner.start : range.start,
    end: before(range.end, inner.end) ? inner.end : range.end,
  };
}

function hunkSymbol(lines: Lines, h: HunkOutline): DocumentSymbol {
  const header = lines.line(h.header.start.line);
  const name = /^[>\s]*(@@[^@]*@@)/.exec(header)?.[1] ?? `@@ -${h.oldStart} +${h.newStart} @@`;
  const selectionRange = lineRange(h.header.start.line, header.length);
  return {
    name,
    detail: h.heading || undefined,
    kind: h.heading ? SymbolKind.Function : SymbolKind.Field,
    range: holding(h.range, selectionRange),
    selectionRange,
  };
}

function fileSymbol(lines: Lines, f: FileOutline, hunks: HunkOutline[]): DocumentSymbol {
  const first = f.range.start.line;
  const selectionRange = lineRange(first, lines.line(first).length);
  return {
    name: f.path,
    detail: `+${f.added} \u2212${f.removed}${f.quoteDepth > 0 ? ' (quoted)' : ''}`,
    kind: SymbolKind.File,
    range: holding(f.range, selectionRange),
    selectionRange,
    children: hunks.map((h) => hunkSymbol(lines, h)),
  };
}

/**
 * message -> file -> hunk. A message is named by its subject (with its [PATCH ...] tag); a bare
 * diff's files are the top level.
 */
export function documentSymbols(output: ServerAnalysis, lines: Lines): DocumentSymbol[] {
  const { messages, files, hunks } = output.read;
  const hunksOf = new Map<number, HunkOutline[]>();
  for (const h of hunks) hunksOf.set(h.file, [...(hunksOf.get(h.file) ?? []), h]);
  const filesOf = new Map<number, DocumentSymbol[]>();
  files.forEach((f, i) => {
    const symbol = fileSymbol(lines, f, hunksOf.get(i) ?? []);
    filesOf.set(f.message, [...(filesOf.get(f.message) ?? []), symbol]);
  });
  const top: DocumentSymbol[] = [...(filesOf.get(-1) ?? [])];
  const patchMessages = new Set(output.read.patches.map((p) => p.message));
  messages.forEach((m, i) => {
    const children = filesOf.get(i) ?? [];
    const name = (m.subject ?? m.title).trim();
    if (!name && !children.length) return;
    const at = subjectLine(lines, m) ?? m.range.start.line;
    const selectionRange = lineRange(at, lines.line(at).length);
    top.push({
      name: name || '(no subject)',
      detail: m.author,
      kind: patchMessages.has(i) ? SymbolKind.Module : SymbolKind.Event,
      range: holding(m.range, selectionRange),
      selectionRange,
      children,
    });
  });
  return top;
}

/** Header blocks, file diffs, hunks and quote blocks: each that spans more than one line. */
export function foldingRanges(output: ServerAnalysis, lines: Lines): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (start: number, end: number, kind?: FoldingRangeKind) => {
    if (end <= start) return;
    out.push(kind ? { startLine: start, endLine: end, kind } : { startLine: start, endLine: end });
  };
  for (const m of output.read.messages) {
    let end = Math.min(m.bodyLine, lines.lineCount) - 1;
    if (end > m.range.start.line && !lines.line(end).trim()) end--; // the blank separator line
    add(m.range.start.line, end);
    for (const q of m.quotes) add(q.start.line, q.end.line, FoldingRangeKind.Comment);
  }
  for (const f of output.read.files) add(f.range.start.line, f.range.end.line);
  for (const h of output.read.hunks) add(h.header.start.line, h.range.end.line);
  return out;
}
