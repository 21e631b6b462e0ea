/**
 * A mail body as the reviewer reads it: the text parts (text/plain, text/x-patch, text/x-diff,
 * or no Content-Type at all) of a possibly multipart body, transfer-decoded (quoted-printable,
 * base64) and charset-converted, every line mapped back to the document. Other parts (HTML,
 * signatures, images) are skipped and named in an info problem.
 */
import libmime from 'libmime';
import { range } from '../common/position';
import { BodyLines, DocumentText, PlainLines } from './documentText';
import type { LineSource } from '../common/lineSource';
import { field, readHeaderBlock } from './headers';
import { pushBase64, pushQuotedPrintable } from './decode';
import type { ReadProblem } from './types';
import type { DocumentMemo } from './memo';

/** A text part inside the body's lines: [start, end) indexes into BodyLines. */
export interface BodyPart {
  start: number;
  end: number;
  contentType: string;
  transferEncoding: string;
}

export interface DecodedBody {
  lines: LineSource;
  parts: BodyPart[];
  /**
   * format=flowed (RFC 3676): the body lines are left as sent (joining flowed lines would merge
   * diff lines that end in a space); only prose taken out of it (reply text) is unflowed.
   */
  flowed?: { delSp: boolean };
}

const READABLE =
  /^(?:text\/plain|text\/x-patch|text\/x-diff|text\/x-diff-patch|text\/diff|text\/patch|application\/x-patch|message\/rfc822)$/i;

interface ContentType {
  type: string;
  params: Record<string, string>;
}

function contentType(value: string | undefined, memo?: DocumentMemo): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  if (memo) return memo.parsed(value, parseContentType);
  return parseContentType(value);
}

function parseContentType(value: string): ContentType {
  if (!/["\\*]/.test(value)) return simpleContentType(value);
  try {
    const parsed = libmime.parseHeaderValue(value);
    return { type: (parsed.value || 'text/plain').toLowerCase(), params: parsed.params ?? {} };
  } catch {
    return { type: 'text/plain', params: {} };
  }
}

/**
 * "text/plain; charset=utf-8; format=flowed" without quotes, escapes or RFC 2231 continuations:
 * what libmime.parseHeaderValue gives, without its character-by-character walk.
 */
function simpleContentType(value: string): ContentType {
  const parts = value.split(';');
  const params: Record<string, string> = {};
  for (let k = 1; k < parts.length; k++) {
    const p = parts[k];
    const eq = p.indexOf('=');
    const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (key) params[key] = eq < 0 ? '' : p.slice(eq + 1).trim();
  }
  return { type: (parts[0].trim() || 'text/plain').toLowerCase(), params };
}

/**
 * Decodes document lines [start, end) of a message body whose headers said `ctValue` and
 * `cteValue`.
 */
export function decodeBody(
  doc: DocumentText,
  start: number,
  end: number,
  ctValue: string | undefined,
  cteValue: string | undefined,
  problems: ReadProblem[],
  unescapeFrom: boolean,
  memo?: DocumentMemo,
): DecodedBody {
  const ct = contentType(ctValue, memo);
  const cte = (cteValue ?? '7bit').trim().toLowerCase();
  if (
    !ct.type.startsWith('multipart/') &&
    READABLE.test(ct.type) &&
    cte !== 'base64' &&
    cte !== 'quoted-printable'
  ) {
    // the common case: one plain text body, read straight from the document
    const lines = plainLines(doc, start, end, unescapeFrom);
    const flowed = /^flowed$/i.test(ct.params.format ?? '')
      ? { delSp: /^yes$/i.test(ct.params.delsp ?? '') }
      : undefined;
    return {
      lines,
      parts: [{ start: 0, end: lines.count, contentType: ct.type, transferEncoding: cte }],
      flowed,
    };
  }
  const body = new BodyLines(doc);
  const out = { lines: body, parts: [] as BodyPart[] };
  readPart(doc, start, end, ct, (cteValue ?? '7bit').trim().toLowerCase(), out, problems, unescapeFrom, 0);
  return out;
}

/**
 * A problem's place at the start of document line `line`: a part whose headers run to the end of
 * the document starts past its last line, so its problem goes on the last line there is.
 */
function lineStart(doc: DocumentText, line: number) {
  const at = Math.max(0, Math.min(line, doc.count - 1));
  return range(at, 0, at, 0);
}

function readPart(
  doc: DocumentText,
  start: number,
  end: number,
  ct: ContentType,
  cte: string,
  out: { lines: BodyLines; parts: BodyPart[] },
  problems: ReadProblem[],
  unescapeFrom: boolean,
  depth: number,
): void {
  if (ct.type.startsWith('multipart/') && depth < 8) {
    const boundary = ct.params.boundary;
    if (!boundary) {
      problems.push({
        message: `${ct.type} body without a boundary parameter: read as plain text`,
        range: lineStart(doc, start),
        severity: 'warning',
      });
      readLeaf(doc, start, end, { type: 'text/plain', params: {} }, '7bit', out, problems, unescapeFrom);
      return;
    }
    readMultipart(doc, start, end, boundary, out, problems, unescapeFrom, depth);
    return;
  }
  if (!READABLE.test(ct.type)) {
    problems.push({
      message: `skipped a ${ct.type} part (only text/plain, text/x-patch and text/x-diff parts are read)`,
      range: lineStart(doc, start),
      severity: 'info',
    });
    return;
  }
  readLeaf(doc, start, end, ct, cte, out, problems, unescapeFrom);
}

function readMultipart(
  doc: DocumentText,
  start: number,
  end: number,
  boundary: string,
  out: { lines: BodyLines; parts: BodyPart[] },
  problems: ReadProblem[],
  unescapeFrom: boolean,
  depth: number,
): void {
  const open = '--' + boundary;
  const close = open + '--';
  let partStart = -1;
  let closed = false;
  const flush = (partEnd: number) => {
    if (partStart < 0) return;
    const hb = readHeaderBlock(doc, partStart, partEnd);
    const bodyStart = hb.blankSeparated ? hb.end + 1 : hb.end;
    const ct = contentType(field(hb, 'content-type'));
    const cte = (field(hb, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    readPart(doc, bodyStart, partEnd, ct, cte, out, problems, unescapeFrom, depth + 1);
  };
  for (let i = start; i < end; i++) {
    if (doc.text.charCodeAt(doc.starts[i]) !== 45 /* - */) continue;
    const line = doc.line(i).trimEnd();
    if (line === close) {
      flush(i);
      partStart = -1;
      closed = true;
      break;
    }
    if (line === open) {
      flush(i);
      partStart = i + 1;
    }
  }
  if (!closed) {
    flush(end);
    problems.push({
      message: `multipart body never closes with "${close}"`,
      range: lineStart(doc, Math.max(start, end - 1)),
      severity: 'warning',
    });
  }
}

function readLeaf(
  doc: DocumentText,
  start: number,
  end: number,
  ct: ContentType,
  cte: string,
  out: { lines: BodyLines; parts: BodyPart[] },
  problems: ReadProblem[],
  unescapeFrom: boolean,
): void {
  const charset = (ct.params.charset ?? 'utf-8').trim();
  const lines = out.lines;
  const first = lines.count;
  try {
    if (cte === 'quoted-printable') pushQuotedPrintable(doc, start, end, charset, lines);
    else if (cte === 'base64') pushBase64(doc, start, end, charset, lines);
    else pushPlainLines(doc, start, end, lines, unescapeFrom);
  } catch (e) {
    problems.push({
      message: `could not decode the ${cte} body (${(e as Error).message}): read as it stands`,
      range: lineStart(doc, start),
      severity: 'warning',
    });
    lines.truncate(first);
    pushPlainLines(doc, start, end, lines, unescapeFrom);
  }
  out.parts.push({ start: first, end: lines.count, contentType: ct.type, transferEncoding: cte });
}

/** A plain body as a view of the document; in an mbox, ">From " lines lose one ">". */
export function plainLines(doc: DocumentText, start: number, end: number, unescapeFrom: boolean): PlainLines {
  let unescaped: Set<number> | undefined;
  // only lines starting with ">" can be unescaped, and only they can be quoted
  const quoteLike = doc.linesStartingWith('>', start, end);
  if (unescapeFrom) {
    for (let k = 0; k < quoteLike.length; k++) {
      const i = quoteLike[k];
      if (isEscapedFrom(doc, i)) (unescaped ??= new Set<number>()).add(i - start);
    }
  }
  return new PlainLines(doc, start, end, unescaped, quoteLike);
}

/** mboxrd's ">From " (">>From ", ...): a line that loses its first ">". */
function isEscapedFrom(doc: DocumentText, i: number): boolean {
  const text = doc.text;
  let k = doc.starts[i];
  if (text.charCodeAt(k) !== 62) return false;
  while (text.charCodeAt(k) === 62) k++;
  return k + 5 <= doc.ends[i] && text.startsWith('From ', k);
}

/** Plain 7bit/8bit lines; in an mbox, ">From " (mboxrd: ">>From " too) loses one ">". */
function pushPlainLines(
  doc: DocumentText,
  start: number,
  end: number,
  lines: BodyLines,
  unescapeFrom: boolean,
): void {
  for (let i = start; i < end; i++) lines.pushPlain(i, unescapeFrom && isEscapedFrom(doc, i) ? 1 : 0);
}
