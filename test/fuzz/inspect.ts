/**
 * What the properties look at in an entry point's output, without serialising it whole (a
 * reader result of a 10 MB document would be a string of hundreds of MB): its JSON size, a digest
 * of its JSON form (same input, same output), and every range in it with the path to it.
 * The walk is iterative, so a deep output cannot overflow the stack of the check itself.
 */
import { createHash } from 'node:crypto';
import type { Position, Range } from '../../server/src/common/position';

export interface Inspection {
  /** Characters of the JSON form, near enough (strings counted without escapes). */
  size: number;
  digest: string;
  /** Ranges in it. */
  rangeCount: number;
}

/** Called for every range met; `path` names where it is (computed only when asked). */
export type RangeVisitor = (range: Range, path: () => string) => void;

interface Frame {
  value: unknown;
  keys: string[] | undefined;
  next: number;
  key: string;
  parent: Frame | undefined;
}

function isPosition(v: unknown): v is Position {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Position).line === 'number' &&
    typeof (v as Position).character === 'number'
  );
}

function isRange(v: unknown): v is Range {
  return (
    typeof v === 'object' && v !== null && isPosition((v as Range).start) && isPosition((v as Range).end)
  );
}

function pathOf(f: Frame | undefined): string {
  const keys: string[] = [];
  for (let p = f; p; p = p.parent) keys.push(p.key);
  return keys.reverse().join('.');
}

/** Walks the JSON form of `value` (toJSON honoured, as JSON.stringify does). */
export function inspect(value: unknown, onRange?: RangeVisitor, rootName = 'result'): Inspection {
  const hash = createHash('sha1');
  let rangeCount = 0;
  let size = 0;
  // the hash is fed in chunks: one update per token costs more than the walk itself
  let chunk = '';
  const feed = (s: string) => {
    chunk += s;
    if (chunk.length > 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  };
  const emit = (s: string) => {
    size += s.length;
    feed(s);
  };
  const open = (v: unknown, key: string, parent: Frame | undefined): Frame | undefined => {
    let x = v;
    if (x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function') {
      x = (x as { toJSON: () => unknown }).toJSON();
    }
    if (x === undefined || typeof x === 'function') {
      emit('null');
      return undefined;
    }
    if (x === null || typeof x !== 'object') {
      if (typeof x === 'string') {
        size += x.length + 2;
        feed('"' + x + '"');
      } else emit(typeof x === 'number' && !Number.isFinite(x) ? 'null' : String(x));
      return undefined;
    }
    const frame: Frame = {
      value: x,
      keys: Array.isArray(x) ? undefined : Object.keys(x),
      next: 0,
      key,
      parent,
    };
    if (isRange(x)) {
      rangeCount++;
      onRange?.(x, () => pathOf(frame));
    }
    emit(Array.isArray(x) ? '[' : '{');
    return frame;
  };
  const stack: Frame[] = [];
  const root = open(value, rootName, undefined);
  if (root) stack.push(root);
  while (stack.length) {
    const f = stack[stack.length - 1];
    const arr = Array.isArray(f.value) ? (f.value as unknown[]) : undefined;
    const count = arr ? arr.length : f.keys!.length;
    if (f.next >= count) {
      emit(arr ? ']' : '}');
      stack.pop();
      continue;
    }
    const i = f.next++;
    if (i > 0) emit(',');
    let child: unknown;
    let key: string;
    if (arr) {
      child = arr[i];
      key = String(i);
    } else {
      key = f.keys![i];
      child = (f.value as Record<string, unknown>)[key];
      if (child === undefined || typeof child === 'function') {
        // JSON.stringify leaves these keys out
        continue;
      }
      emit(JSON.stringify(key) + ':');
    }
    const c = open(child, key, f);
    if (c) stack.push(c);
  }
  hash.update(chunk);
  return { size, digest: hash.digest('hex'), rangeCount };
}

/** The lines of a document as LSP counts them (\r\n, \n and a lone \r end a line), by length. */
export class DocumentGeometry {
  readonly lengths: number[] = [];

  constructor(readonly text: string) {
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.lengths.push(m.index - start);
      start = m.index + m[0].length;
    }
    this.lengths.push(text.length - start);
  }

  contains(p: Position): boolean {
    return (
      Number.isInteger(p.line) &&
      Number.isInteger(p.character) &&
      p.line >= 0 &&
      p.line < this.lengths.length &&
      p.character >= 0 &&
      p.character <= this.lengths[p.line]
    );
  }

  /** Why a range is not a range of this document, or undefined when it is one. */
  problem(r: Range): string | undefined {
    const where = (p: Position) => `${p.line}:${p.character}`;
    if (!this.contains(r.start)) return `starts at ${where(r.start)}, ${this.outside(r.start)}`;
    if (!this.contains(r.end)) return `ends at ${where(r.end)}, ${this.outside(r.end)}`;
    if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))
      return `ends (${where(r.end)}) before it starts (${where(r.start)})`;
    return undefined;
  }

  private outside(p: Position): string {
    if (!(p.line >= 0 && p.line < this.lengths.length))
      return `outside a document of ${this.lengths.length} line(s)`;
    return `past the end of line ${p.line} (${this.lengths[p.line]} characters)`;
  }
}
