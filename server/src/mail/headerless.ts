/**
 * Text without mail headers: a bare diff, a saved web-archive page (maybe a whole thread on one
 * page, as in the seeds), or a decoded mail body. At the top, a web archive may still show the
 * subject and "From: X" / "Date: Y" lines. The page is cut into messages where git's signature
 * ("--" then a version line such as "1.8.3.1") ends a mail, and where an attribution line
 * ("On ..., X wrote:") followed by quoted lines starts a new reply.
 */
import type { DocumentKind } from './types';
import type { DocumentText } from './documentText';
import type { PartialHeaders, RawMessage } from './split';
import { quoteDepthOf } from './quotes';

const SUBJECT_LINE = /^(?:(?:re|aw|fwd?)\s*:\s*)*\[[^\]]*\b(?:PATCH|RFC|PULL)\b[^\]]*\]/i;
const REPLY_SUBJECT = /^(?:re|aw|fwd?)\s*:\s*\S/i;
const GIT_VERSION = /^\d+\.\d+(?:\.\d+)*(?:\.windows\.\d+)?(?:\.[a-z0-9]+)?\s*$/i;
const ATTRIBUTION_END = /\b(?:wrote|writes)\s*:\s*$/i;
const DIFF_START = /^(?:diff --git |Index: |@@ -\d)/m;
/** A paragraph of this many characters on one line: a page whose line breaks were flattened. */
const FLATTENED = 600;
/** How much of the text the kind is recognised from. */
const SAMPLE = 400_000;
const OBFUSCATED = /\[email\s+protected\]|@x{4,}|< truncated lines \d+-\d+ >/;

export function splitHeaderless(
  doc: DocumentText,
  first: number,
): { kind: DocumentKind; raws: RawMessage[] } {
  const top = partialHeaders(doc, first);
  const raws = segments(doc, first, top.bodyStart, top.headers);
  const sample = doc.text.length > SAMPLE ? doc.text.slice(0, SAMPLE) : doc.text;
  let kind: DocumentKind;
  if (top.headers || raws.length > 1 || OBFUSCATED.test(sample) || hasFlattenedLine(doc))
    kind = 'web-archive';
  else if (DIFF_START.test(sample)) kind = 'diff';
  else kind = 'text';
  return { kind, raws };
}

/** A line of FLATTENED+ characters within the first SAMPLE characters. */
function hasFlattenedLine(doc: DocumentText): boolean {
  const { starts, ends, count } = doc;
  for (let i = 0; i < count && starts[i] < SAMPLE; i++) {
    if (Math.min(ends[i], SAMPLE) - starts[i] >= FLATTENED) return true;
  }
  return false;
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
  if (!mayHaveCuts(doc, bodyStart)) {
    // nothing cuts the text (a bare diff, mostly): one segment, as the walk below would give
    return doc.count > first
      ? [
          {
            start: first,
            end: doc.count,
            bodyStart: Math.min(bodyStart, doc.count),
            partial: top,
            mbox: false,
            commit: false,
          },
        ]
      : [];
  }
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
    // only two kinds of line matter: "--"/"-- " and lines ending with ":" (attributions); the
    // character checks keep the other lines (diff lines mostly) free of slices and regexes
    const first = text.charCodeAt(s);
    const last = text.charCodeAt(e - 1);
    if (first !== 45 && last !== 58) {
      if (!content && !isBlank(text, s, e)) content = true;
      continue;
    }
    if (!mayEndAttribution(text, s, e) && !(first === 45 && e - s <= 3)) {
      content = true; // not blank: it has a "-" or a ":"
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

/**
 * Whether segments() can cut anywhere: a signature line ("--" or "-- ") somewhere, or a quoted
 * line (">") after bodyStart for an attribution to introduce. Found with indexOf and the
 * document's list of ">" lines, so a bare diff is not walked line by line to find nothing.
 */
function mayHaveCuts(doc: DocumentText, bodyStart: number): boolean {
  if (doc.linesStartingWith('>', bodyStart, doc.count).length > 0) return true;
  const text = doc.text;
  for (let p = text.indexOf('--'); p >= 0; p = text.indexOf('--', p + 2)) {
    const before = p === 0 ? 10 : text.charCodeAt(p - 1);
    if (before !== 10 && before !== 13) continue;
    let after = p + 2 < text.length ? text.charCodeAt(p + 2) : 10;
    if (after === 32) after = p + 3 < text.length ? text.charCodeAt(p + 3) : 10;
    if (after === 10 || after === 13) return true;
  }
  return false;
}

/** As `text.slice(s, e).trim() === ''`, without the slice for the usual lines. */
function isBlank(text: string, s: number, e: number): boolean {
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9) continue;
    if (c > 32 && c < 160) return false;
    return text.slice(k, e).trim() === ''; // control characters and Unicode spaces: as trim sees them
  }
  return true;
}

/**
 * Whether the line, trimmed, may end with "wrote:" / "writes:" (any case): the cheap test before
 * ATTRIBUTION_END.
 */
function mayEndAttribution(text: string, s: number, e: number): boolean {
  let k = e - 1;
  while (k >= s && isSpace(text.charCodeAt(k))) k--;
  if (k < s || text.charCodeAt(k) !== 58) return false;
  k--;
  while (k >= s && isSpace(text.charCodeAt(k))) k--;
  const c = text.charCodeAt(k) | 32;
  return (c === 101 || c === 115) && k - s >= 4; // "wrot(e)", "write(s)"
}

function isSpace(c: number): boolean {
  return (
    c <= 32 || c === 160 || (c >= 0x1680 && (c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c >= 0x2028))
  );
}
