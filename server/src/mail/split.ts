/**
 * Recognises what a document is and cuts it into raw messages: mbox separator lines (mboxo,
 * mboxrd, git format-patch's "From <sha> Mon Sep 17 00:00:00 2001"), a single mail or .eml,
 * `git log -p` / `git show` commits, a bare diff, or headerless web-archive text (which may hold
 * a whole thread: see headerless.ts).
 */
import type { DocumentKind, ReadProblem } from './types';
import type { DocumentText } from './documentText';
import { HeaderBlock, isHeaderLine, readHeaderBlock } from './headers';
import { splitHeaderless } from './headerless';

export interface PartialHeaders {
  subject?: string;
  from?: string;
  date?: string;
}

export interface RawMessage {
  /** Document lines [start, end). */
  start: number;
  end: number;
  bodyStart: number;
  /** Full RFC 2822 headers (mail, mbox), or undefined. */
  headers?: HeaderBlock;
  /** What a web archive or a git commit header still shows. */
  partial?: PartialHeaders;
  /** An mbox body: ">From " lines are unescaped. */
  mbox: boolean;
  /** A `git log -p` / `git show` commit. */
  commit: boolean;
}

/** Fields that only mail headers have: two of them (or From/Subject before a blank line) make a mail. */
const MAIL_FIELDS = new Set([
  'from',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'received',
  'return-path',
  'mime-version',
  'content-type',
  'in-reply-to',
  'references',
  'delivered-to',
  'x-mailer',
  'content-transfer-encoding',
]);

const COMMIT_LINE = /^commit [0-9a-f]{7,64}\b/;

export function splitDocument(
  doc: DocumentText,
  problems: ReadProblem[],
): { kind: DocumentKind; raws: RawMessage[] } {
  let first = 0;
  while (first < doc.count && doc.lineLength(first) === 0) first++;
  if (first >= doc.count) return { kind: 'text', raws: [] };
  const line = doc.line(first);
  if (line.startsWith('From ') && first + 1 < doc.count && isHeaderLine(doc.line(first + 1))) {
    const raws = splitMbox(doc, first, problems);
    return { kind: raws.length > 1 ? 'mbox' : 'mail', raws };
  }
  if (isHeaderLine(line) && !/^(?:re|aw|sv|fwd?)\s*:/i.test(line)) {
    const hb = readHeaderBlock(doc, first, doc.count);
    let known = 0;
    for (let i = first; i < hb.end; i++) {
      const m = /^([!-9;-~]+):/.exec(doc.line(i));
      if (m && MAIL_FIELDS.has(m[1].toLowerCase())) known++;
    }
    if (known >= 2 || (hb.blankSeparated && (hb.fields.has('from') || hb.fields.has('subject')))) {
      return { kind: 'mail', raws: [mailAt(doc, first, doc.count, hb, false)] };
    }
  }
  if (COMMIT_LINE.test(line)) return { kind: 'diff', raws: splitCommits(doc, first) };
  return splitHeaderless(doc, first);
}

function mailAt(doc: DocumentText, start: number, end: number, hb: HeaderBlock, mbox: boolean): RawMessage {
  const bodyStart = hb.blankSeparated ? hb.end + 1 : hb.end;
  return { start, end, bodyStart: Math.min(bodyStart, end), headers: hb, mbox, commit: false };
}

function splitMbox(doc: DocumentText, first: number, problems: ReadProblem[]): RawMessage[] {
  const seps: number[] = [];
  // "From " at the start of a line, and a header line right after it
  for (const i of doc.linesStartingWith('From ', first, doc.count - 1)) {
    if (isHeaderLine(doc.line(i + 1))) seps.push(i);
  }
  const raws: RawMessage[] = [];
  for (let k = 0; k < seps.length; k++) {
    const start = seps[k];
    const end = k + 1 < seps.length ? seps[k + 1] : doc.count;
    const hb = readHeaderBlock(doc, start + 1, end);
    if (!hb.blankSeparated) {
      // on the first line after the headers, or at the end of the last one when they run to the end
      const at =
        hb.end < doc.count
          ? { line: hb.end, character: 0 }
          : { line: hb.end - 1, character: doc.lineLength(hb.end - 1) };
      problems.push({
        message: 'the mail headers end without the blank line that separates them from the body',
        range: { start: at, end: at },
        severity: 'warning',
      });
    }
    raws.push(mailAt(doc, start, end, hb, true));
  }
  return raws;
}

function splitCommits(doc: DocumentText, first: number): RawMessage[] {
  const starts: number[] = [];
  for (let i = first; i < doc.count; i++) {
    if (doc.text.charCodeAt(doc.starts[i]) === 99 /* c */ && COMMIT_LINE.test(doc.line(i))) {
      const next = i + 1 < doc.count ? doc.line(i + 1) : '';
      if (/^(?:Author|Merge|Date|Commit):/.test(next)) starts.push(i);
    }
  }
  if (starts.length === 0 || starts[0] !== first) starts.unshift(first);
  return starts.map((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : doc.count;
    const hb = readHeaderBlock(doc, start + 1, end);
    const bodyStart = Math.min(end, hb.blankSeparated ? hb.end + 1 : hb.end);
    let subject: string | undefined;
    for (let i = bodyStart; i < end; i++) {
      const t = doc.line(i).trim();
      if (t) {
        if (!t.startsWith('diff --git')) subject = t;
        break;
      }
    }
    return {
      start,
      end,
      bodyStart,
      partial: { subject, from: hb.fields.get('author')?.[0], date: hb.fields.get('date')?.[0] },
      mbox: false,
      commit: true,
    };
  });
}
