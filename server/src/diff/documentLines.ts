/**
 * Line views the diff parser reads through: `documentLines` indexes a raw document (one pass of
 * indexOf('\n'), CRLF-aware), `flatLinesOf` gives any LineSource the flat form the parser's hot
 * loop works on.
 */
import type { Position } from '../common/position';
import type { FlatLines, LineSource } from './types';

const CR = 13;
const LF = 10;

/** The lines of a raw document: line i is document line i, character ch is document character ch. */
export class DocumentLines implements LineSource {
  readonly count: number;
  readonly flat: FlatLines;

  constructor(readonly document: string) {
    const index = document.indexOf('\r') < 0 ? indexLf(document) : indexAnyTerminator(document);
    this.count = index.count;
    this.flat = {
      text: document,
      starts: index.starts.subarray(0, index.count),
      ends: index.ends.subarray(0, index.count),
    };
  }

  text(i: number): string {
    return this.document.slice(this.flat.starts[i], this.flat.ends[i]);
  }

  position(i: number, ch: number): Position {
    return { line: i, character: ch };
  }
}

interface LineIndex {
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

function grow(index: LineIndex): void {
  const cap = index.starts.length * 2;
  const s2 = new Int32Array(cap);
  s2.set(index.starts);
  const e2 = new Int32Array(cap);
  e2.set(index.ends);
  index.starts = s2;
  index.ends = e2;
}

/** No \r anywhere: one indexOf('\n') per line. A final terminator opens no extra line. */
function indexLf(doc: string): LineIndex {
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let count = 0;
  let pos = 0;
  while (true) {
    const nl = doc.indexOf('\n', pos);
    if (count === starts.length) {
      const index = { starts, ends, count };
      grow(index);
      starts = index.starts;
      ends = index.ends;
    }
    if (nl < 0) {
      if (pos < doc.length || count === 0) {
        starts[count] = pos;
        ends[count++] = doc.length;
      }
      return { starts, ends, count };
    }
    starts[count] = pos;
    ends[count++] = nl;
    pos = nl + 1;
  }
}

/** With \r: "\r\n", "\n" and a lone "\r" each end a line (LSP's rule). */
function indexAnyTerminator(doc: string): LineIndex {
  const index: LineIndex = { starts: new Int32Array(1024), ends: new Int32Array(1024), count: 0 };
  const n = doc.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = doc.charCodeAt(i);
    if (c !== LF && c !== CR) continue;
    if (index.count === index.starts.length) grow(index);
    index.starts[index.count] = start;
    index.ends[index.count++] = i;
    if (c === CR && i + 1 < n && doc.charCodeAt(i + 1) === LF) i++;
    start = i + 1;
  }
  if (start < n || index.count === 0) {
    if (index.count === index.starts.length) grow(index);
    index.starts[index.count] = start;
    index.ends[index.count++] = n;
  }
  return index;
}

/** The fast helper for the plain text case: a LineSource over the raw string. */
export function documentLines(text: string): LineSource {
  return new DocumentLines(text);
}

/**
 * Lines [start, end) of a source as the parser reads them: line j lives in `str(j)` between
 * `startOf(j)` and `endOf(j)`. With the source's flat view that is one string for all lines and
 * no copy; without it, each line's own string (joining them would cost more than the parse).
 */
export class LineWindow {
  private constructor(
    /** The string holding every line (flat view), or '' when `texts` holds them one by one. */
    readonly flat: string,
    /** Offsets of line j at [j - base]: into `flat`, or 0 and the length of texts[j - base]. */
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    readonly texts: string[] | undefined,
    readonly base: number,
  ) {}

  static of(src: LineSource, start: number, end: number): LineWindow {
    if (src.flat) return new LineWindow(src.flat.text, src.flat.starts, src.flat.ends, undefined, 0);
    const n = Math.max(0, end - start);
    const texts: string[] = [];
    const ends = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      let t = src.text(start + k);
      if (typeof t !== 'string') t = '';
      texts.push(t);
      ends[k] = t.length;
    }
    return new LineWindow('', new Int32Array(n), ends, texts, start);
  }

  str(j: number): string {
    return this.texts === undefined ? this.flat : this.texts[j - this.base];
  }

  startOf(j: number): number {
    return this.starts[j - this.base];
  }

  endOf(j: number): number {
    return this.ends[j - this.base];
  }

  line(j: number): string {
    return this.texts === undefined
      ? this.flat.slice(this.starts[j], this.ends[j])
      : this.texts[j - this.base];
  }
}
