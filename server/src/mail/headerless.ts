/**
 * Text without mail headers: a bare diff, a saved web-archive page (maybe a whole thread on one
 * page, as in the seeds), or a decoded mail body. At the top, a web archive may still show the
 * subject and "From: X" / "Date: Y" lines. The page is cut into messages where git's signature
 * ("--" then a version line such as "1.8.3.1") ends a mail, and where an attribution line
 * ("On ..., X wrote:") followed by quoted lines starts a new reply.
 */
import type { DocumentKind } from './types';
import type { DocumentText } from './lines';
import type { PartialHeaders, RawMessage } from './split';
import { quoteDepthOf } from './quotes';

const SUBJECT_LINE = /^(?:(?:re|aw|fwd?)\s*:\s*)*\[[^\]]*\b(?:PATCH|RFC|PULL)\b[^\]]*\]/i;
const REPLY_SUBJECT = /^(?:re|aw|fwd?)\s*:\s*\S/i;
const GIT_VERSION = /^\d+\.\d+(?:\.\d+)*(?:\.windows\.\d+)?(?:\.[a-z0-9]+)?\s*$/i;
const ATTRIBUTION_END = /\b(?:wrote|writes)\s*:\s*$/i;
const DIFF_START = /^(?:diff --git |Index: |@@ -\d)/m;
/** A paragraph of 600+ characters on one line: a page whose line breaks were flattened. */
const FLATTENED = /^[^\n]{600,}$/m;
const OBFUSCATED = /\[email\s+protected\]|@x{4,}|< truncated lines \d+-\d+ >/;

export function splitHeaderless(
  doc: DocumentText,
  first: number,
): { kind: DocumentKind; raws: RawMessage[] } {
  const top = partialHeaders(doc, first);
  const raws = segments(doc, first, top.bodyStart, top.headers);
  const sample = doc.text.length > 400_000 ? doc.text.slice(0, 400_000) : doc.text;
  let kind: DocumentKind;
  if (top.headers || OBFUSCATED.test(sample) || raws.length > 1 || FLATTENED.test(sample))
    kind = 'web-archive';
  else if (DIFF_START.test(sample)) kind = 'diff';
  else kind = 'text';
  return { kind, raws };
}

/** The subject / From / Date lines a web archive keeps at the top of a page, if any. */
function partialHeaders(doc: DocumentText, first: number): { headers?: PartialHeaders; bodyStart: number } {
  const headers: PartialHeaders = {};
  let i = first;
  let seen = false;
  const limit = Math.min(doc.count, first + 8);
  const firstLine = doc.line(first).trim();
  if (firstLine.length < 300 && (SUBJECT_LINE.test(firstLine) || REPLY_SUBJECT.test(firstLine))) {
    headers.subject = firstLine;
    seen = true;
    i++;
  }
  for (; i < limit; i++) {
    const t = doc.line(i).trim();
    if (t === '') continue;
    const m = /^(From|Date):\s*(.*)$/.exec(t);
    if (!m) break;
    if (m[1] === 'From') headers.from = m[2];
    else headers.date = m[2];
    seen = true;
  }
  if (!seen) return { bodyStart: first };
  while (i < doc.count && doc.lineLength(i) === 0) i++;
  return { headers, bodyStart: i };
}

function depthOf(doc: DocumentText, i: number): number {
  return doc.text.charCodeAt(doc.starts[i]) === 62 ? quoteDepthOf(doc.line(i)).depth : 0;
}

function segments(doc: DocumentText, first: number, bodyStart: number, top?: PartialHeaders): RawMessage[] {
  const raws: RawMessage[] = [];
  let start = first;
  let body = bodyStart;
  let content = false; // the current segment has a non-blank body line
  const close = (end: number) => {
    if (end > start) {
      raws.push({
        start,
        end,
        bodyStart: Math.min(body, end),
        partial: raws.length === 0 ? top : undefined,
        mbox: false,
        commit: false,
      });
    }
  };
  const text = doc.text;
  for (let i = bodyStart; i < doc.count; i++) {
    const s = doc.starts[i];
    const e = doc.ends[i];
    if (e === s) continue;
    // only two kinds of line matter: "--"/"-- " and lines ending with ":" (attributions)
    const first = text.charCodeAt(s);
    const last = text.charCodeAt(e - 1);
    if (first !== 45 && last !== 58) {
      if (!content && text.slice(s, e).trim() !== '') content = true;
      continue;
    }
    const t = doc.line(i);
    if ((t === '--' || t === '-- ') && i + 1 < doc.count && GIT_VERSION.test(doc.line(i + 1))) {
      close(i + 2);
      i += 2;
      while (i < doc.count && doc.lineLength(i) === 0) i++;
      start = body = i;
      content = false;
      i--;
      continue;
    }
    const trimmed = t.trim();
    if (content && ATTRIBUTION_END.test(trimmed) && depthOf(doc, i) === 0 && trimmed.length < 300) {
      let next = i + 1;
      while (next < doc.count && doc.lineLength(next) === 0) next++;
      if (next < doc.count && depthOf(doc, next) > 0) {
        const prev = i > 0 ? doc.line(i - 1).trim() : '';
        const at = !/^On\b/i.test(trimmed) && /^On\b/i.test(prev) && !ATTRIBUTION_END.test(prev) ? i - 1 : i;
        if (at > start) {
          close(at);
          start = body = at;
        }
        content = true;
        continue;
      }
    }
    if (trimmed !== '') content = true;
  }
  close(doc.count);
  return raws;
}
