/**
 * One message read in full: headers, MIME-decoded body, quote blocks with the reviewer's text
 * after each, trailers, and the file diffs it writes (quoteDepth 0) or quotes (quoteDepth N,
 * read with N quote markers removed).
 */
import libmime from 'libmime';
import type { FlatLines, LineSource } from '../common/lineSource';
import { parseDiffs, type DiffParseOptions, type FileDiff } from '../diff/index';
import type { Position, Range } from '../common/position';
import type { MailHeaders, Message, QuoteBlock, ReadProblem } from './types';
import { DocumentText, firstChar } from './documentText';
import { displayName, field, mailHeaders } from './headers';
import { decodeBody, plainLines, type BodyPart } from './mime';
import { parseSubject } from './subject';
import type { RawMessage } from './split';
import type { DocumentMemo } from './memo';
import { ORIGINAL_MESSAGE, attributionAt, outlookAuthorAt, quoteDepths, quotedView } from './quotes';

/** A message plus what later stages (series, threading) need of its body. */
export interface ReadMessage {
  message: Message;
  body: LineSource;
  /** Quote depth of each body line [0, body.count) (read only: bodies that quote nothing share one longer zero array). */
  depth: Uint8Array;
  /** The deepest quote of the body (0: it quotes nothing). */
  maxDepth: number;
  /** Body line where Outlook's quoted original starts (everything after it is quoted), if any. */
  originalStart?: number;
  /** Read without mail headers (web-archive text): replies are linked by what they quote. */
  headerless: boolean;
  flowed?: { delSp: boolean };
}

/** Longer trailer names than this ("Suggested-and-reviewed-by-someone:") are not looked for. */
const TRAILER_NAME_MAX = 64;
const DIFF_SIGN = /^(?:diff --git |@@ -\d|--- \S|Index: \S)/;

/** What the reader knows of the whole document when it reads one of its messages. */
export interface DocumentFacts {
  /** The document is web-archive text (blank context lines of its diffs may be gone). */
  webArchive: boolean;
  /** The document is a bare diff: its pseudo-message is no mail, its files carry messageIndex -1. */
  bare: boolean;
  /** What the document's mails repeat (From:, Content-Type), worked out once per document. */
  memo?: DocumentMemo;
}

export function readMessage(
  doc: DocumentText,
  raw: RawMessage,
  index: number,
  problems: ReadProblem[],
  facts: DocumentFacts = { webArchive: false, bare: false },
): ReadMessage {
  const memo = facts.memo;
  const headers: MailHeaders = raw.headers
    ? mailHeaders(raw.headers, memo)
    : { references: [], subject: raw.partial?.subject, from: raw.partial?.from, date: raw.partial?.date };
  const subject = parseSubject(headers.subject);
  let body: LineSource;
  let parts: BodyPart[];
  let flowed: { delSp: boolean } | undefined;
  if (raw.headers) {
    const decoded = decodeBody(
      doc,
      raw.bodyStart,
      raw.end,
      headers.contentType,
      field(raw.headers, 'content-transfer-encoding'),
      problems,
      raw.mbox,
      memo,
    );
    body = decoded.lines;
    parts = decoded.parts;
    flowed = decoded.flowed;
  } else {
    body = plainLines(doc, raw.bodyStart, raw.end, false);
    parts = [{ start: 0, end: body.count, contentType: 'text/plain', transferEncoding: '7bit' }];
  }
  const { depth, max: maxDepth } = quoteDepths(body);
  const lastLine = Math.max(raw.start, raw.end - 1);
  const message: Message = {
    index,
    range: rangeOf(doc, raw.start, lastLine),
    headers,
    title: subject.title,
    tag: subject.tag,
    isReply: subject.isReply,
    author: memo && headers.from ? memo.name(headers.from, displayName) : displayName(headers.from),
    bodyRange: rangeOf(doc, Math.min(raw.bodyStart, lastLine), lastLine),
    files: [],
    quotes: [],
    trailers: [],
  };
  const read: ReadMessage = {
    message,
    body,
    depth,
    maxDepth,
    headerless: !raw.headers && !raw.commit,
    flowed,
  };
  const messageIndex = facts.bare && !raw.headers && !raw.commit ? -1 : index;
  const webArchive = facts.webArchive;
  readQuotes(read);
  if (!message.isReply && !raw.headers && message.quotes.length > 0 && !subject.tag) message.isReply = true;
  if (message.isReply) read.originalStart = outlookOriginal(read);
  const files: FileDiff[] = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const cut =
      read.originalStart !== undefined && read.originalStart < part.end
        ? Math.max(part.start, read.originalStart)
        : part.end;
    collect(files, problems, body, { start: part.start, end: cut, quoteDepth: 0, messageIndex, webArchive });
    if (cut < part.end)
      collect(files, problems, body, { start: cut, end: part.end, quoteDepth: 1, messageIndex, webArchive });
  }
  readQuotedDiffs(read, files, problems, messageIndex, webArchive);
  sortByPlace(files);
  message.files = files;
  readTrailers(read);
  return read;
}

function collect(
  files: FileDiff[],
  problems: ReadProblem[],
  src: LineSource,
  opts: DiffParseOptions & { start: number; end: number },
): void {
  if (opts.end <= opts.start) return;
  let any = false;
  // the diff parser acts on no line before the first one starting with one of these characters
  let first = -1;
  const flat = src.flat;
  for (let i = opts.start; i < opts.end && !any; i++) {
    const c = flat
      ? flat.starts[i] < flat.ends[i]
        ? flat.text.charCodeAt(flat.starts[i])
        : -1
      : firstChar(src, i);
    // d(iff --git), @(@ -), -(-- a/), I(ndex:)
    if (c === 100 || c === 64 || c === 45 || c === 73) {
      if (first < 0) first = i;
      any = DIFF_SIGN.test(src.text(i));
    }
  }
  if (!any) return;
  try {
    const r = parseDiffs(src, { ...opts, start: first });
    for (const f of r.files) files.push(f);
    for (const p of r.problems) problems.push(p);
  } catch (e) {
    problems.push({
      message: `the diff reader failed here: ${(e as Error).message}`,
      range: { start: src.position(opts.start, 0), end: src.position(opts.start, 0) },
      severity: 'error',
    });
  }
}

/** Runs of quoted lines; for each, the attribution before it and the reviewer's text after it. */
function readQuotes(read: ReadMessage): void {
  const { body, depth, message } = read;
  if (read.maxDepth === 0) return;
  const n = body.count;
  const blocks: { start: number; end: number }[] = [];
  for (let i = 0; i < n;) {
    if (depth[i] === 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && depth[i] > 0) i++;
    blocks.push({ start, end: i });
  }
  for (let k = 0; k < blocks.length; k++) {
    const { start, end } = blocks[k];
    let min = 255;
    for (let i = start; i < end; i++) min = Math.min(min, depth[i]);
    const block: QuoteBlock = { depth: min, range: lineRange(body, start, end - 1) };
    let a = start - 1;
    while (a >= 0 && body.text(a).trim() === '' && depth[a] === 0) a--;
    const attribution = a >= 0 && depth[a] === 0 ? attributionAt(body, a) : undefined;
    if (attribution) {
      block.attribution = lineRange(body, attribution.start, a);
      block.author = attribution.name;
    }
    // Outlook names the quoted mail in a "From: ... Sent: ..." header, inside the quote or just above it
    let outlook = outlookAuthorAt(body, start, end);
    for (let j = a; !outlook && !attribution && j >= 0 && j > a - 6 && depth[j] === 0; j--) {
      outlook = outlookAuthorAt(body, j, start);
    }
    if (outlook && !block.author) block.author = outlook;
    const replyEnd = k + 1 < blocks.length ? blocks[k + 1].start : n;
    let r0 = end;
    while (r0 < replyEnd && body.text(r0).trim() === '') r0++;
    let r1 = replyEnd - 1;
    // the next block's attribution is not reply text
    if (k + 1 < blocks.length) {
      while (r1 >= r0 && body.text(r1).trim() === '') r1--;
      if (r1 >= r0 && attributionAt(body, r1)) r1 = (attributionAt(body, r1)?.start ?? r1) - 1;
    }
    while (r1 >= r0 && body.text(r1).trim() === '') r1--;
    if (r1 >= r0) {
      block.replyRange = lineRange(body, r0, r1);
      const texts: string[] = [];
      for (let i = r0; i <= r1; i++) texts.push(body.text(i));
      block.replyText = read.flowed ? unflow(texts.join('\n'), read.flowed.delSp) : texts.join('\n');
    }
    message.quotes.push(block);
  }
}

/** A format=flowed reviewer's paragraph as one line per paragraph (libmime's RFC 3676 decoding). */
function unflow(text: string, delSp: boolean): string {
  try {
    return libmime.decodeFlowed(text, delSp);
  } catch {
    return text;
  }
}

/** Outlook's unprefixed quote of the original mail ("-----Original Message-----" or From:/Sent:). */
function outlookOriginal(read: ReadMessage): number | undefined {
  const { body, depth, message } = read;
  for (let i = 1; i < body.count; i++) {
    if (depth[i] !== 0) continue;
    const c = firstChar(body, i);
    if (c !== 45 && c !== 70 && c !== 32) continue;
    const t = body.text(i);
    let author: string | undefined;
    let at = -1;
    if (ORIGINAL_MESSAGE.test(t)) {
      at = i;
      for (let j = i + 1; j < Math.min(body.count, i + 3) && !author; j++)
        author = outlookAuthorAt(body, j, body.count);
    } else if (c === 70 && t.startsWith('From:')) {
      author = outlookAuthorAt(body, i, body.count);
      if (author) at = i;
    }
    if (at < 0) continue;
    message.quotes.push({ depth: 1, range: lineRange(body, at, body.count - 1), author, outlook: true });
    message.quotes.sort((a, b) => comparePos(a.range.start, b.range.start));
    return at;
  }
  return undefined;
}

/**
 * Diffs inside "> " quotes, one view per depth: every line quoted at least that deep, with that
 * many markers removed. A reviewer's comments between quoted pieces of a diff are left out of the
 * view, so a hunk interrupted by a comment still reads as one hunk.
 */
function readQuotedDiffs(
  read: ReadMessage,
  files: FileDiff[],
  problems: ReadProblem[],
  messageIndex: number,
  webArchive: boolean,
): void {
  const { body, depth } = read;
  for (let d = 1; d <= read.maxDepth; d++) {
    const view = quotedView(body, depth, d);
    collect(files, problems, view, { start: 0, end: view.count, quoteDepth: d, messageIndex, webArchive });
  }
}

/** Trailers (Signed-off-by, Reviewed-by, Fixes, ...) of the message's own text, up to its diff. */
function readTrailers(read: ReadMessage): void {
  const { body, depth, message } = read;
  const flat = body.flat;
  for (let i = 0; i < body.count; i++) {
    if (depth[i] !== 0) continue;
    const c = flat
      ? flat.starts[i] < flat.ends[i]
        ? flat.text.charCodeAt(flat.starts[i])
        : -1
      : firstChar(body, i);
    // the commit message ends at "---" or at the first diff
    if (c === 45 || c === 100 || c === 64) {
      if (
        isLine(flat, body, i, '---') ||
        startsLine(flat, body, i, 'diff --git ') ||
        startsLine(flat, body, i, '@@ -')
      )
        break;
      continue;
    }
    if (c < 65 || c > 90) continue;
    const t = flat
      ? trailerIn(flat.text, flat.starts[i], flat.ends[i], body, i)
      : trailerIn(body.text(i), 0, body.text(i).length, body, i);
    if (t) message.trailers.push(t);
  }
}

/** A trailer whose range is placed through its body on first access (most are never asked). */
class LineTrailer {
  private placed?: Range;

  constructor(
    public name: string,
    public value: string,
    private readonly body: LineSource,
    private readonly line: number,
    private readonly length: number,
  ) {}

  get range(): Range {
    this.placed ??= {
      start: this.body.position(this.line, 0),
      end: this.body.position(this.line, this.length),
    };
    return this.placed;
  }
  set range(r: Range) {
    this.placed = r;
  }

  toJSON(): { name: string; value: string; range: Range } {
    return { name: this.name, value: this.value, range: this.range };
  }
}

/** A trailer line ("Name-by: value", Fixes:, Link:, ...), matched in place at a line start (sticky). */
const TRAILER_AT = /([A-Z][A-Za-z]*(?:-[A-Za-z]+)*-by|Fixes|Link|Closes|Cc|Message-I[dD]):\s*(\S.*)/y;

/**
 * The trailer on text[s, e) (body line i), matched in place by the regex engine (no copy of the
 * line; the engine is fast from the first read on, where a character walk in JavaScript is slow
 * until it is optimised).
 */
function trailerIn(text: string, s: number, e: number, body: LineSource, i: number): LineTrailer | undefined {
  if (e - s > 300) return undefined;
  TRAILER_AT.lastIndex = s;
  const m = TRAILER_AT.exec(text);
  // the match ends where the line ends; the name's ":" comes early enough
  if (!m || TRAILER_AT.lastIndex !== e || m[1].length >= TRAILER_NAME_MAX) return undefined;
  return new LineTrailer(m[1], m[2].trim(), body, i, e - s);
}

function startsLine(flat: FlatLines | undefined, body: LineSource, i: number, prefix: string): boolean {
  if (!flat) return body.text(i).startsWith(prefix);
  return flat.ends[i] - flat.starts[i] >= prefix.length && flat.text.startsWith(prefix, flat.starts[i]);
}

function isLine(flat: FlatLines | undefined, body: LineSource, i: number, whole: string): boolean {
  if (!flat) return body.text(i) === whole;
  return flat.ends[i] - flat.starts[i] === whole.length && flat.text.startsWith(whole, flat.starts[i]);
}

export function lineRange(src: LineSource, first: number, last: number): Range {
  return { start: src.position(first, 0), end: src.position(last, src.text(last).length) };
}

function rangeOf(doc: DocumentText, first: number, last: number): Range {
  return { start: { line: first, character: 0 }, end: { line: last, character: doc.lineLength(last) } };
}

/** Sorts things by where they start in the document; most lists come in order already. */
export function sortByPlace<T extends { range: Range }>(list: T[]): void {
  for (let k = 1; k < list.length; k++) {
    if (comparePos(list[k - 1].range.start, list[k].range.start) > 0) {
      list.sort((a, b) => comparePos(a.range.start, b.range.start));
      return;
    }
  }
}

export function comparePos(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}
