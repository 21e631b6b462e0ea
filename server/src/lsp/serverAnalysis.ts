/**
 * What the server keeps of one analysis: everything but the reader's full result, of which it
 * needs only an outline (counts, and the places of messages, file diffs and hunks for the
 * document's symbols, folding ranges and lenses). The reader's result holds views over the whole
 * document; copying it between threads and keeping it per open document cost hundreds of MB.
 */
import type { AnalysisOutput } from '../analysis';
import type { Range } from '../common/position';

/** A message of the document as the outline shows it. */
export interface MessageOutline {
  range: Range;
  /** The first line after its header block (its range's start when it has no headers). */
  bodyLine: number;
  /** The subject without "Re:" and the bracketed tag. */
  title: string;
  subject?: string;
  isReply: boolean;
  author?: string;
  /** The quote blocks of a reply. */
  quotes: Range[];
}

export interface FileOutline {
  path: string;
  range: Range;
  /** Index into `messages`, or -1 for a bare diff. */
  message: number;
  quoteDepth: number;
  added: number;
  removed: number;
}

export interface HunkOutline {
  header: Range;
  range: Range;
  quoteDepth: number;
  /** Index into `files`. */
  file: number;
  /** The function heading git printed after the second @@ ("int pci_iov_add_virtfn(...)"), if any. */
  heading: string;
  oldStart: number;
  newStart: number;
}

export interface ReadOutline {
  kind: AnalysisOutput['read']['kind'];
  lineCount: number;
  patchCount: number;
  fileCount: number;
  /** Messages that are part of a thread: replies, or mails with a [PATCH ...] tag. */
  threadMessages: number;
  messages: MessageOutline[];
  /** Per patch of `result.patches` (same index): its message, and whether it is a cover letter. */
  patches: { message: number; isCover: boolean }[];
  files: FileOutline[];
  /** Every hunk of the document (quoted ones too): its @@ line and its extent. */
  hunks: HunkOutline[];
}

export type ServerAnalysis = Omit<AnalysisOutput, 'read'> & { read: ReadOutline };

const copyRange = (r: Range): Range => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});

/** The server's copy of an analysis: plain data, safe to post between threads. */
export function outlineAnalysis(output: AnalysisOutput): ServerAnalysis {
  const read = output.read;
  const hunks: HunkOutline[] = [];
  const files: FileOutline[] = read.files.map((f, file) => {
    for (const h of f.hunks) {
      hunks.push({
        header: copyRange(h.headerRange),
        range: copyRange(h.range),
        quoteDepth: h.quoteDepth,
        file,
        heading: h.heading,
        oldStart: h.oldStart,
        newStart: h.newStart,
      });
    }
    return {
      path: f.path,
      range: copyRange(f.range),
      message: f.messageIndex,
      quoteDepth: f.quoteDepth,
      added: f.hunks.reduce((n, h) => n + h.added, 0),
      removed: f.hunks.reduce((n, h) => n + h.removed, 0),
    };
  });
  const messages: MessageOutline[] = read.messages.map((m) => ({
    range: copyRange(m.range),
    bodyLine: m.bodyRange.start.line,
    title: m.title,
    ...(m.headers.subject !== undefined ? { subject: m.headers.subject } : {}),
    isReply: m.isReply,
    ...(m.author !== undefined ? { author: m.author } : {}),
    quotes: m.quotes.map((q) => copyRange(q.range)),
  }));
  return {
    result: output.result,
    decisions: output.decisions,
    policies: output.policies,
    ...(output.series ? { series: output.series } : {}),
    read: {
      kind: read.kind,
      lineCount: read.lineCount,
      patchCount: read.patches.length,
      fileCount: read.files.length,
      threadMessages: read.messages.filter((m) => m.isReply || m.tag !== undefined).length,
      messages,
      patches: read.patches.map((p) => ({ message: p.messageIndex, isCover: p.isCover })),
      files,
      hunks,
    },
  };
}
