/**
 * The reader's entry point: any text a reviewer has on disk -> messages, patches, file diffs and
 * problems, each placed in the document. Synchronous and total: bad input becomes problems at
 * their place, never an exception.
 */
import type { FileDiff } from '../diff/index';
import type { ReadProblem, ReadResult } from './types';
import { DocumentText } from './documentText';
import { splitDocument } from './split';
import { readMessage, sortByPlace, type ReadMessage } from './message';
import { buildPatches } from './series';
import { linkReplies } from './thread';
import { DocumentMemo } from './memo';

export type * from './types';

const ARCHIVE_CUT = /^\s*< truncated lines (\d+)-(\d+) >\s*$/;

/** A web archive's "< truncated lines N-M >" marker: text is missing there; say so at its place. */
function noteArchiveCuts(doc: DocumentText, problems: ReadProblem[]): void {
  if (!doc.text.includes('< truncated lines ')) return;
  for (let i = 0; i < doc.count; i++) {
    const m = ARCHIVE_CUT.exec(doc.line(i));
    if (!m) continue;
    problems.push({
      message: `the archive left out lines ${m[1]}-${m[2]} here: a diff or quote around it may be incomplete`,
      range: { start: { line: i, character: 0 }, end: { line: i, character: doc.lineLength(i) } },
      severity: 'warning',
    });
  }
}

export function readDocument(text: string): ReadResult {
  const problems: ReadProblem[] = [];
  let lineCount = 0;
  try {
    const doc = new DocumentText(typeof text === 'string' ? text : String(text ?? ''));
    lineCount = doc.count;
    const { kind, raws } = splitDocument(doc, problems);
    // a bare diff is one pseudo-message that is no mail: its files carry messageIndex -1
    const facts = { webArchive: kind === 'web-archive', bare: kind === 'diff', memo: new DocumentMemo() };
    const reads: ReadMessage[] = raws.map((raw, i) => readMessage(doc, raw, i, problems, facts));
    linkReplies(reads);
    const headerless = raws.length > 0 && raws.every((r) => !r.headers && !r.commit);
    const patches = buildPatches(reads, headerless);
    if (kind === 'web-archive' || kind === 'text') noteArchiveCuts(doc, problems);
    const files: FileDiff[] = [];
    for (const r of reads) for (const f of r.message.files) files.push(f);
    sortByPlace(files);
    sortByPlace(problems);
    return { kind, lineCount, messages: reads.map((r) => r.message), patches, files, problems };
  } catch (e) {
    problems.push({
      message: `internal error while reading this document: ${(e as Error)?.message ?? String(e)}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 'error',
    });
    return { kind: 'text', lineCount, messages: [], patches: [], files: [], problems };
  }
}
