/**
 * What the server keeps of one analysis: everything but the reader's full result, of which it
 * needs only an outline (counts and hunk places). The reader's result holds views over the whole
 * document; copying it between threads and keeping it per open document cost hundreds of MB.
 */
import type { AnalysisOutput } from '../analysis';
import type { Range } from '../common/position';

export interface ReadOutline {
  kind: AnalysisOutput['read']['kind'];
  lineCount: number;
  patchCount: number;
  fileCount: number;
  /** Messages that are part of a thread: replies, or mails with a [PATCH ...] tag. */
  threadMessages: number;
  /** Every hunk of the document (quoted ones too): its @@ line and its extent. */
  hunks: { header: Range; range: Range; quoteDepth: number }[];
}

export type ServerAnalysis = Omit<AnalysisOutput, 'read'> & { read: ReadOutline };

const copyRange = (r: Range): Range => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});

/** The server's copy of an analysis: plain data, safe to post between threads. */
export function outlineAnalysis(output: AnalysisOutput): ServerAnalysis {
  const read = output.read;
  const hunks: ReadOutline['hunks'] = [];
  for (const file of read.files) {
    for (const h of file.hunks) {
      hunks.push({ header: copyRange(h.headerRange), range: copyRange(h.range), quoteDepth: h.quoteDepth });
    }
  }
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
      hunks,
    },
  };
}
