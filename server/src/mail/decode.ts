/**
 * Transfer decodings of a body with every decoded line mapped back to the encoded text it came
 * from. The decoding itself is libmime's (libqp, libbase64, its charset tables); this file only
 * keeps track of where each decoded line sits in the document:
 * - quoted-printable: soft line breaks ("=" at the end) join encoded lines into one logical
 *   line; a character of it maps to its encoded line and column by walking the "=XX" escapes;
 * - base64: every 4 encoded characters are 3 bytes, so a decoded line's byte offset maps to an
 *   encoded character of the concatenated base64 text, and that to a line and column.
 */
import * as libqp from 'libqp';
import * as libbase64 from 'libbase64';
import charsets from 'libmime/lib/charset';
import type { Position } from '../common/position';
import type { BodyLines, DecodedLineMap, DocumentText } from './documentText';

function isUtf8(charset: string): boolean {
  return /^(?:utf-?8|us-ascii|ascii|)$/i.test(charset);
}

export function decodeCharset(buf: Buffer, charset: string): string {
  if (isUtf8(charset)) return buf.toString('utf8');
  try {
    return charsets.decode(buf, charset);
  } catch {
    return buf.toString('latin1');
  }
}

/** UTF-16 code units a byte adds to the decoded text (UTF-8: lead bytes count, continuations not). */
function unitsOfByte(b: number, utf8: boolean): number {
  if (!utf8 || b < 0x80) return 1;
  if (b < 0xc0) return 0;
  return b >= 0xf0 ? 2 : 1;
}

/** One encoded line's share of a quoted-printable logical line. */
interface QpSegment {
  line: number;
  /** The encoded text of the line without its soft-break "=". */
  text: string;
}

/**
 * Where each decoded UTF-16 unit of one quoted-printable logical line sits in the encoded text:
 * the start of every encoded character (a plain one or an "=XX" escape) with the decoded units
 * before it, built once on first use and shared by the logical line's decoded lines, so that a
 * body joined by soft breaks into one logical line of N lines costs N lookups, not N walks.
 */
class QpLayout {
  private lines?: Int32Array;
  private cols?: Int32Array;
  private before?: Float64Array;

  constructor(
    private readonly segments: QpSegment[],
    private readonly utf8: boolean,
  ) {}

  private build(): void {
    let count = 0;
    for (const seg of this.segments) count += seg.text.length;
    const lines = new Int32Array(count);
    const cols = new Int32Array(count);
    const before = new Float64Array(count);
    let k = 0;
    let units = 0;
    for (const seg of this.segments) {
      const t = seg.text;
      let col = 0;
      while (col < t.length) {
        lines[k] = seg.line;
        cols[k] = col;
        before[k++] = units;
        if (t.charCodeAt(col) === 61 /* = */ && isHexPair(t, col + 1)) {
          units += unitsOfByte(parseInt(t.substr(col + 1, 2), 16), this.utf8);
          col += 3;
        } else {
          units += 1;
          col += 1;
        }
      }
    }
    this.lines = lines.subarray(0, k);
    this.cols = cols.subarray(0, k);
    this.before = before.subarray(0, k);
  }

  /** The encoded place of decoded unit `want`: the first encoded character with that many units before it. */
  position(want: number): Position {
    if (!this.before) this.build();
    const before = this.before!;
    let lo = 0;
    let hi = before.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before[mid] < want) lo = mid + 1;
      else hi = mid;
    }
    if (lo < before.length) return { line: this.lines![lo], character: this.cols![lo] };
    const last = this.segments[this.segments.length - 1];
    return { line: last.line, character: last.text.length };
  }
}

function isHexPair(t: string, at: number): boolean {
  return at + 2 <= t.length && isHex(t.charCodeAt(at)) && isHex(t.charCodeAt(at + 1));
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

class QpLineMap implements DecodedLineMap {
  constructor(
    private readonly layout: QpLayout,
    /** Decoded UTF-16 offset of this decoded line inside the logical line. */
    private readonly offset: number,
  ) {}

  position(ch: number): Position {
    return this.layout.position(this.offset + ch);
  }
}

function toBinaryIfWide(s: string): string {
  // Raw 8-bit characters in a QP body (sloppy mailers): keep their UTF-8 bytes through libqp.
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('binary') : s;
}

/** The line without trailing spaces and tabs (what /[ \t]+$/ removes, without its retry at every space of a run). */
export function trimSpacesAndTabs(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Appends the quoted-printable decoding of document lines [start, end) to `out`. */
export function pushQuotedPrintable(
  doc: DocumentText,
  start: number,
  end: number,
  charset: string,
  out: BodyLines,
): void {
  const utf8 = isUtf8(charset);
  let i = start;
  while (i < end) {
    const segments: QpSegment[] = [];
    let escapes = false;
    for (; i < end; i++) {
      const raw = trimSpacesAndTabs(doc.line(i));
      const soft = raw.endsWith('=');
      const text = soft ? raw.slice(0, -1) : raw;
      if (text.includes('=')) escapes = true;
      segments.push({ line: i, text });
      if (!soft) {
        i++;
        break;
      }
    }
    if (segments.length === 1 && !escapes) {
      out.pushPlain(segments[0].line, 0);
      continue;
    }
    const encoded = segments.map((s) => s.text).join('');
    const decoded = decodeCharset(libqp.decode(toBinaryIfWide(encoded)), charset);
    let offset = 0;
    const layout = new QpLayout(segments, utf8);
    for (const piece of decoded.split(/\r\n|\r|\n/)) {
      out.pushDecoded(piece, new QpLineMap(layout, offset), segments[0].line);
      offset += piece.length + 1;
    }
  }
}

class Base64LineMap implements DecodedLineMap {
  constructor(
    private readonly layout: Base64Layout,
    private readonly byteStart: number,
    private readonly text: string,
    private readonly utf8: boolean,
  ) {}

  position(ch: number): Position {
    const prefix = this.text.slice(0, Math.max(0, ch));
    const bytes = this.byteStart + (this.utf8 ? Buffer.byteLength(prefix, 'utf8') : prefix.length);
    return this.layout.positionOfChar(Math.floor(bytes / 3) * 4 + (bytes % 3));
  }
}

/** Where each character of the concatenated base64 text sits in the document. */
class Base64Layout {
  /** Offset in the concatenated text where each encoded line starts. */
  readonly cum: number[] = [];
  readonly lines: number[] = [];
  readonly cols: number[] = [];
  readonly lens: number[] = [];

  positionOfChar(k: number): Position {
    let lo = 0;
    let hi = this.cum.length - 1;
    if (hi < 0) return { line: 0, character: 0 };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cum[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    const within = Math.min(k - this.cum[lo], this.lens[lo]);
    return { line: this.lines[lo], character: this.cols[lo] + within };
  }
}

/** Appends the base64 decoding of document lines [start, end) to `out`, line by decoded line. */
export function pushBase64(
  doc: DocumentText,
  start: number,
  end: number,
  charset: string,
  out: BodyLines,
): void {
  const layout = new Base64Layout();
  const chunks: string[] = [];
  let total = 0;
  for (let i = start; i < end; i++) {
    const raw = doc.line(i);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (!text) continue;
    layout.cum.push(total);
    layout.lines.push(i);
    layout.cols.push(lead);
    layout.lens.push(text.length);
    chunks.push(text);
    total += text.length;
  }
  const buf = libbase64.decode(chunks.join(''));
  const utf8 = isUtf8(charset);
  let a = 0;
  while (a <= buf.length) {
    let b = buf.indexOf(10, a);
    if (b < 0) b = buf.length;
    let stop = b;
    if (stop > a && buf[stop - 1] === 13) stop--;
    if (b === buf.length && a === b) break; // no empty line after a final newline
    const text = decodeCharset(buf.subarray(a, stop), charset);
    const at = layout.positionOfChar(Math.floor(a / 3) * 4);
    out.pushDecoded(text, new Base64LineMap(layout, a, text, utf8), at.line);
    a = b + 1;
  }
}
