/**
 * The document's lines (LSP style: "\r\n", "\n" and a lone "\r" each end a line) and the line
 * views the mail layer hands to the diff parser: a body (after mboxrd ">From " unescaping and
 * MIME decoding) and a quote with its "> " prefix removed, each line mapped back to the document.
 */
import type { Position } from '../common/position';
import type { FlatLines, LineSource } from '../common/lineSource';

/** The document split into lines, kept as one string plus the offset where each line starts. */
export class DocumentText {
  readonly starts: Int32Array;
  /** Offset one past the last character of each line's content (before its terminator). */
  readonly ends: Int32Array;
  readonly count: number;
  /** Lines by their first character code, for the codes asked for (">" and "F" from the start). */
  private readonly byFirst = new Map<number, number[]>();

  constructor(readonly text: string) {
    const index = indexLines(text);
    this.starts = index.starts;
    this.ends = index.ends;
    this.count = index.starts.length;
    this.byFirst.set(62, index.quoteLike);
    this.byFirst.set(70, index.fromLike);
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  lineLength(i: number): number {
    return this.ends[i] - this.starts[i];
  }

  /**
   * Lines of [from, to) whose text starts with `prefix` (not empty), in order. The document's
   * lines are walked once per first character looked for (">" and "F" start few lines of a
   * patch mail); each call then picks its range out of that list, so a message does not walk
   * its own lines again.
   */
  linesStartingWith(prefix: string, from: number, to: number): number[] {
    const code = prefix.charCodeAt(0);
    let all = this.byFirst.get(code);
    if (!all) {
      all = this.linesStartingWithCode(code);
      this.byFirst.set(code, all);
    }
    to = Math.min(to, this.count);
    if (from >= to || all.length === 0) return [];
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    const { text, starts } = this;
    for (let k = lo; k < all.length && all[k] < to; k++) {
      const line = all[k];
      if (prefix.length === 1 || text.startsWith(prefix, starts[line])) out.push(line);
    }
    return out;
  }

  private linesStartingWithCode(code: number): number[] {
    const out: number[] = [];
    const { text, starts, ends } = this;
    for (let i = 0; i < this.count; i++) {
      if (starts[i] < ends[i] && text.charCodeAt(starts[i]) === code) out.push(i);
    }
    return out;
  }
}

interface LineIndex {
  starts: Int32Array;
  ends: Int32Array;
  /** Lines starting with ">" and with "F". */
  quoteLike: number[];
  fromLike: number[];
}

/** The line index of a document (a plain function: it is optimised as such, not only on stack replacement). */
function indexLines(text: string): LineIndex {
  const len = text.length;
  // a first guess at the line count (most patch lines are 20..80 characters) saves regrowing
  let cap = Math.max(1024, (len >>> 5) + 16);
  let starts = new Int32Array(cap);
  let ends: Int32Array<ArrayBuffer>;
  let n = 0;
  let start = 0;
  const quoteLike: number[] = [];
  const fromLike: number[] = [];
  const marked: number[] = [];
  const cr = text.indexOf('\r');
  if (cr < 0 || !hasLoneCr(text, cr)) {
    // the common case: "\n" or "\r\n" line ends. One indexOf per line; the start, end and
    // first character of each line are recorded in the same loop (no second pass).
    ends = new Int32Array(cap);
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (n === cap) {
        cap *= 2;
        starts = grown(starts, cap);
        ends = grown(ends, cap);
      }
      starts[n] = start;
      ends[n] = cr >= 0 && nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      // the lines the mail layer looks for by their first character, ">" and "From ", in one
      // list (one push site: a mail's first line is one, so the optimised loop has seen it)
      const c0 = text.charCodeAt(start);
      if (c0 === 62 || c0 === 70) marked.push(n);
      n++;
      start = nl + 1;
    }
    // LSP: after a final terminator there is still an empty last line
    if (n === cap) {
      cap += 1;
      starts = grown(starts, cap);
      ends = grown(ends, cap);
    }
    const last = start < len ? text.charCodeAt(start) : -1;
    if (last === 62 || last === 70) marked.push(n);
    starts[n] = start;
    ends[n++] = len;
    for (let k = 0; k < marked.length; k++) {
      const line = marked[k];
      if (text.charCodeAt(starts[line]) === 62) quoteLike.push(line);
      else fromLike.push(line);
    }
  } else {
    ends = new Int32Array(cap);
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (n === cap) {
        cap *= 2;
        starts = grown(starts, cap);
        ends = grown(ends, cap);
      }
      const c0 = text.charCodeAt(start);
      if (start < i && c0 === 62) quoteLike.push(n);
      else if (start < i && c0 === 70) fromLike.push(n);
      starts[n] = start;
      ends[n++] = i;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    // LSP: after a final terminator there is still an empty last line
    if (n === cap) {
      cap += 1;
      starts = grown(starts, cap);
      ends = grown(ends, cap);
    }
    if (start < len && text.charCodeAt(start) === 62) quoteLike.push(n);
    else if (start < len && text.charCodeAt(start) === 70) fromLike.push(n);
    starts[n] = start;
    ends[n++] = len;
  }
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n), quoteLike, fromLike };
}

function hasLoneCr(text: string, from: number): boolean {
  for (let at = from; at >= 0; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 10) return true;
  }
  return false;
}

function grown(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** The first character code of line i of a source (-1 for an empty line), without slicing it. */
export function firstChar(src: LineSource, i: number): number {
  const flat = src.flat;
  if (flat) return flat.starts[i] < flat.ends[i] ? flat.text.charCodeAt(flat.starts[i]) : -1;
  const t = src.text(i);
  return t.length ? t.charCodeAt(0) : -1;
}

const NONE: ReadonlySet<number> = new Set();

/**
 * A plain body: document lines [start, end) as they stand, except mbox ">From " lines, which lose
 * their first ">" (mboxrd unescaping). Its flat form is the document's own line index (no copy
 * unless a line was unescaped).
 */
export class PlainLines implements LineSource {
  readonly count: number;
  private flatCache?: FlatLines;

  constructor(
    private readonly doc: DocumentText,
    private readonly start: number,
    end: number,
    /** Body lines (relative) that lost a leading ">" to mboxrd unescaping. */
    private readonly unescaped: ReadonlySet<number> = NONE,
    /**
     * The document lines of [start, end) that start with ">" (the only ones that can be quoted),
     * when the caller found them already; else found on demand.
     */
    private quoteLike?: number[],
  ) {
    this.count = Math.max(0, end - start);
  }

  /** Body lines (relative) whose document line starts with ">", in order. */
  quoteCandidates(): number[] {
    this.quoteLike ??= this.doc.linesStartingWith('>', this.start, this.start + this.count);
    return this.quoteLike.length === 0 ? this.quoteLike : this.quoteLike.map((line) => line - this.start);
  }

  text(i: number): string {
    const line = this.start + i;
    const col = this.unescaped.size > 0 && this.unescaped.has(i) ? 1 : 0;
    return this.doc.text.slice(this.doc.starts[line] + col, this.doc.ends[line]);
  }

  position(i: number, ch: number): Position {
    const col = this.unescaped.size > 0 && this.unescaped.has(i) ? 1 : 0;
    return { line: this.start + i, character: ch + col };
  }

  get flat(): FlatLines {
    if (this.flatCache) return this.flatCache;
    let starts = this.doc.starts.subarray(this.start, this.start + this.count);
    if (this.unescaped.size > 0) {
      starts = starts.slice();
      for (const i of this.unescaped) starts[i]++;
    }
    this.flatCache = {
      text: this.doc.text,
      starts,
      ends: this.doc.ends.subarray(this.start, this.start + this.count),
    };
    return this.flatCache;
  }
}

/** Where one decoded line came from, for lines whose text is not a plain slice of the document. */
export interface DecodedLineMap {
  position(ch: number): Position;
}

/**
 * A body's lines: each either a slice of a document line starting at a column (plain text, or an
 * mboxrd ">From " line with its first ">" dropped), or decoded text with its own map back to the
 * encoded lines. Offers the diff parser the flat fast path (one string plus offsets): the
 * document itself when no line was decoded, else the decoded lines joined once.
 */
export class BodyLines implements LineSource {
  private readonly docLine: number[] = [];
  private readonly docCol: number[] = [];
  /** Decoded lines only (sparse): their text and their map. */
  private readonly decodedText = new Map<number, string>();
  private readonly decoded = new Map<number, DecodedLineMap>();
  private flatCache?: FlatLines;

  constructor(private readonly doc: DocumentText) {}

  get count(): number {
    return this.docLine.length;
  }

  text(i: number): string {
    if (this.decoded.size > 0) {
      const t = this.decodedText.get(i);
      if (t !== undefined) return t;
    }
    const line = this.docLine[i];
    return this.doc.text.slice(this.doc.starts[line] + this.docCol[i], this.doc.ends[line]);
  }

  position(i: number, ch: number): Position {
    const map = this.decoded.size > 0 ? this.decoded.get(i) : undefined;
    if (map) return map.position(ch);
    return { line: this.docLine[i], character: this.docCol[i] + ch };
  }

  get flat(): FlatLines {
    if (this.flatCache) return this.flatCache;
    const n = this.count;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    if (this.decoded.size === 0) {
      for (let i = 0; i < n; i++) {
        const line = this.docLine[i];
        starts[i] = Math.min(this.doc.starts[line] + this.docCol[i], this.doc.ends[line]);
        ends[i] = this.doc.ends[line];
      }
      this.flatCache = { text: this.doc.text, starts, ends };
    } else {
      const parts: string[] = new Array(n);
      let off = 0;
      for (let i = 0; i < n; i++) {
        const t = this.text(i);
        parts[i] = t;
        starts[i] = off;
        off += t.length;
        ends[i] = off;
        off += 1;
      }
      this.flatCache = { text: parts.join('\n'), starts, ends };
    }
    return this.flatCache;
  }

  pushPlain(line: number, col: number): void {
    this.docLine.push(line);
    this.docCol.push(col);
    this.flatCache = undefined;
  }

  pushDecoded(text: string, map: DecodedLineMap, firstLine: number): void {
    const i = this.docLine.length;
    this.docLine.push(firstLine);
    this.docCol.push(0);
    this.decodedText.set(i, text);
    this.decoded.set(i, map);
    this.flatCache = undefined;
  }

  /** Drops lines from `count` on (a decoding that failed half-way). */
  truncate(count: number): void {
    for (let i = count; i < this.docLine.length; i++) {
      this.decodedText.delete(i);
      this.decoded.delete(i);
    }
    this.docLine.length = count;
    this.docCol.length = count;
    this.flatCache = undefined;
  }
}

/** A run of a source's lines seen with a quote prefix of `cut[i]` characters removed. */
export class QuotedLines implements LineSource {
  constructor(
    private readonly parent: LineSource,
    private readonly index: number[],
    private readonly cut: number[],
  ) {}

  get count(): number {
    return this.index.length;
  }

  text(i: number): string {
    return this.parent.text(this.index[i]).slice(this.cut[i]);
  }

  position(i: number, ch: number): Position {
    return this.parent.position(this.index[i], this.cut[i] + ch);
  }

  get flat(): FlatLines | undefined {
    const p = this.parent.flat;
    if (!p) return undefined;
    const n = this.index.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = this.index[i];
      ends[i] = p.ends[k];
      starts[i] = Math.min(p.starts[k] + this.cut[i], ends[i]);
    }
    Object.defineProperty(this, 'flat', { value: { text: p.text, starts, ends } });
    return this.flat;
  }
}
