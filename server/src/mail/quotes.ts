/**
 * Quoting in replies: the quote depth of a line ("> ", ">> ", "> >", ">" with or without a
 * space), runs of quoted lines with the reviewer's text after each, attribution lines
 * ("On Thu, 3 Sep 2020, Matthew Rosato wrote:", possibly over two lines), Outlook's
 * "-----Original Message-----" / "From: ... Sent: ..." blocks, and line views with the prefix
 * removed so that quoted diffs can be read.
 */
import type { LineSource } from '../common/lineSource';
import { PlainLines, QuotedLines, firstChar } from './documentText';
import { displayName } from './headers';

/** Depth of a line's quote prefix and where the last ">" ends. */
export function quoteDepthOf(s: string): { depth: number; end: number } {
  let i = 0;
  let depth = 0;
  let end = 0;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 62 /* > */) {
      depth++;
      i++;
      end = i;
    } else if (c === 32 && depth > 0 && s.charCodeAt(i + 1) === 62) {
      i++;
    } else break;
  }
  return { depth, end };
}

/** Depth of each line of a source (0 for unquoted). */
export function depths(src: LineSource): Uint8Array {
  return quoteDepths(src).depth;
}

/** Zeros shared by the bodies that quote nothing (read only: nobody writes to a depth array). */
let zeros = new Uint8Array(1 << 16);

/** Depth of each line of a source, and the deepest. */
export function quoteDepths(src: LineSource): { depth: Uint8Array; max: number } {
  if (src instanceof PlainLines) {
    // a plain body: only its lines starting with ">" in the document can be quoted
    const candidates = src.quoteCandidates();
    if (candidates.length === 0) {
      // longer than the body: every reader of a depth array stops at the body's line count
      if (zeros.length < src.count) zeros = new Uint8Array(src.count * 2);
      return { depth: zeros, max: 0 };
    }
    const out = new Uint8Array(src.count);
    let max = 0;
    for (const i of candidates) {
      const d = Math.min(255, quoteDepthOf(src.text(i)).depth);
      out[i] = d;
      if (d > max) max = d;
    }
    return { depth: out, max };
  }
  const out = new Uint8Array(src.count);
  let max = 0;
  const flat = src.flat;
  if (flat) {
    const { text, starts, ends } = flat;
    for (let i = 0; i < src.count; i++) {
      if (starts[i] < ends[i] && text.charCodeAt(starts[i]) === 62) {
        out[i] = Math.min(255, quoteDepthOf(src.text(i)).depth);
        if (out[i] > max) max = out[i];
      }
    }
    return { depth: out, max };
  }
  for (let i = 0; i < src.count; i++) {
    if (firstChar(src, i) === 62) {
      out[i] = Math.min(255, quoteDepthOf(src.text(i)).depth);
      if (out[i] > max) max = out[i];
    }
  }
  return { depth: out, max };
}

/** Where `depth` quote markers of a line end (after the separator space, if the block uses one). */
function cutAt(s: string, depth: number, spaced: boolean): number {
  let i = 0;
  let seen = 0;
  while (seen < depth && i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 62) seen++;
    else if (c !== 32) break;
    i++;
  }
  if (spaced && s.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * The lines of `src` quoted at least `depth` deep, with `depth` markers removed. Whether a space
 * follows the marker is decided per run of consecutive quoted lines: a run where some line at
 * exactly this depth has a character other than a space right after its markers (">+", ">@@")
 * was quoted without a space, so a diff's context lines keep their leading space.
 */
export function quotedView(src: LineSource, d: Uint8Array, depth: number): QuotedLines {
  const index: number[] = [];
  const cut: number[] = [];
  const n = src.count;
  for (let i = 0; i < n;) {
    if (d[i] < depth) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && d[i] >= depth) i++;
    let spaced = true;
    for (let k = start; k < i && spaced; k++) {
      if (d[k] !== depth) continue;
      const t = src.text(k);
      const at = cutAt(t, depth, false);
      if (at < t.length && t.charCodeAt(at) !== 32) spaced = false;
    }
    for (let k = start; k < i; k++) {
      index.push(k);
      cut.push(cutAt(src.text(k), depth, spaced));
    }
  }
  return new QuotedLines(src, index, cut);
}

const ATTRIBUTION_END = /(?:\bwrote|\bwrites|\bschrieb|\ba écrit|\bskrev)\s*:\s*$/i;

/** An attribution line (or two) ending at line `i`: the quoted author's name, if it is one. */
export function attributionAt(src: LineSource, i: number): { start: number; name?: string } | undefined {
  const t = src.text(i).trim();
  if (t.length > 300 || !ATTRIBUTION_END.test(t)) return undefined;
  if (!/^On\b/i.test(t) && i > 0) {
    const prev = src.text(i - 1).trim();
    if (/^On\b/i.test(prev) && prev.length < 160 && !ATTRIBUTION_END.test(prev)) {
      return { start: i - 1, name: attributionName(prev + ' ' + t) };
    }
  }
  return { start: i, name: attributionName(t) };
}

const isSpace = (c: string) => /\s/.test(c);

/**
 * What /([^,]*?)\s*<[^>]*>\s*$/ captures, in one pass: the text before the "<address>" that ends
 * the line, back to the last comma (the expression retried every start and every split: cubic
 * in the length, 75 ms for an attribution line of 300 spaces).
 */
export function nameBeforeAddress(body: string): string | undefined {
  let last = body.length - 1;
  while (last >= 0 && isSpace(body[last])) last--;
  if (last < 0 || body[last] !== '>') return undefined;
  // the first "<" after the ">" before the last one opens the address
  const open = body.indexOf('<', body.lastIndexOf('>', last - 1) + 1);
  if (open < 0 || open >= last) return undefined;
  let end = open;
  while (end > 0 && isSpace(body[end - 1])) end--;
  const start = end === 0 ? 0 : body.lastIndexOf(',', end - 1) + 1;
  return body.slice(start, end);
}

function attributionName(text: string): string | undefined {
  let body = text.replace(ATTRIBUTION_END, '').trim();
  if (/^On\b/i.test(body)) {
    // "On <date>, <name> <addr>" or "On <date> <name> <addr>" (two-line form joined)
    const named = nameBeforeAddress(body);
    if (named !== undefined && named.trim()) {
      const before = named.trim();
      const comma = before.lastIndexOf(', ');
      const name = comma >= 0 ? before.slice(comma + 2) : stripDate(before);
      return displayName(name);
    }
    const comma = body.lastIndexOf(', ');
    body = comma >= 0 ? body.slice(comma + 2) : body;
    return displayName(body);
  }
  return displayName(body.replace(/^.*\bAm\b.*?,\s*/, ''));
}

/** "On Thu, 3 Sep 2020 13:10:02 -0400 Matthew Rosato" -> "Matthew Rosato" (two-line form). */
function stripDate(s: string): string {
  const m = /^.*(?:[+-]\d{4}|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?|\b\d{4})\s+(.+)$/.exec(s);
  return m ? m[1] : s;
}

/**
 * The author named by an Outlook header block starting at line `i` ("From: X", then "Sent:"
 * within three lines), with `depth` quote markers before each line.
 */
export function outlookAuthorAt(src: LineSource, i: number, end: number): string | undefined {
  const strip = (s: string) => s.replace(/^[>\s]*/, '');
  const first = strip(src.text(i));
  const m = /^From:\s*(.+?)(?:\s+Sent:.*)?$/i.exec(first);
  if (!m) return undefined;
  let from = m[1];
  for (let j = i; j < Math.min(end, i + 4); j++) {
    const t = strip(src.text(j));
    if (/^(?:From:.*\s)?Sent:\s/i.test(t)) return displayName(from);
    // "From: x On Behalf\n> Of Name" wraps
    if (j > i) from += ' ' + t;
  }
  return undefined;
}

export const ORIGINAL_MESSAGE = /^\s*-{3,}\s*Original Message\s*-{3,}\s*$/i;
