/**
 * Line views the diff parser reads through: `documentLines` indexes a raw document (one pass of
 * indexOf('\n'), CRLF-aware), `flatLinesOf` gives any LineSource the flat form the parser's hot
 * loop works on.
 */
import type { Position } from '../common/position';
import type { FlatLines, LineSource } from './types';

const CR = 13;

/** The lines of a raw document: line i is document line i, character ch is document character ch. */
export class DocumentLines implements LineSource {
  readonly count: number;
  readonly flat: FlatLines;

  constructor(readonly document: string) {
    let cap = 1024;
    let starts = new Int32Array(cap);
    let ends = new Int32Array(cap);
    let n = 0;
    let pos = 0;
    const len = document.length;
    while (true) {
      const nl = document.indexOf('\n', pos);
      if (n === cap) {
        cap *= 2;
        const s2 = new Int32Array(cap);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(cap);
        e2.set(ends);
        ends = e2;
      }
      if (nl < 0) {
        // The last line, unless the document ends with a terminator (no empty line after it).
        if (pos < len || n === 0) {
          starts[n] = pos;
          ends[n] = len > pos && document.charCodeAt(len - 1) === CR ? len - 1 : len;
          n++;
        }
        break;
      }
      starts[n] = pos;
      ends[n] = nl > pos && document.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      n++;
      pos = nl + 1;
    }
    this.count = n;
    this.flat = { text: document, starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
  }

  text(i: number): string {
    return this.document.slice(this.flat.starts[i], this.flat.ends[i]);
  }

  position(i: number, ch: number): Position {
    return { line: i, character: ch };
  }
}

/** The fast helper for the plain text case: a LineSource over the raw string. */
export function documentLines(text: string): LineSource {
  return new DocumentLines(text);
}

/**
 * The flat form of lines [start, end) of a source: its own `flat` when it has one, else the
 * lines joined into one string (offsets then indexed by i - start through `base`).
 */
export interface FlatWindow {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  /** Subtract from a source line index to index starts/ends. */
  base: number;
}

export function flatLinesOf(src: LineSource, start: number, end: number): FlatWindow {
  if (src.flat) return { text: src.flat.text, starts: src.flat.starts, ends: src.flat.ends, base: 0 };
  const n = Math.max(0, end - start);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const parts: string[] = new Array(n);
  let off = 0;
  for (let k = 0; k < n; k++) {
    let t = src.text(start + k);
    if (typeof t !== 'string') t = '';
    parts[k] = t;
    starts[k] = off;
    off += t.length;
    ends[k] = off;
    off += 1;
  }
  return { text: parts.join('\n'), starts, ends, base: start };
}
