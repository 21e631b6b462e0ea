/**
 * A hunk as the parser leaves it: counts, heading and positions are read at parse time; the
 * per-line objects and the pre/post images are built from the source on first access (the parse
 * itself allocates nothing per body line). Assigning the lazy fields replaces them.
 */
import type { Range } from '../common/position';
import type { LineWindow } from './documentLines';
import type { Hunk, HunkLine, HunkLineKind, LineSource } from './types';

const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const BACKSLASH = 92;

/** How a body line is read: its kind and the length of its marker (0 for a stripped context line). */
export function bodyLineKind(c0: number): HunkLineKind {
  if (c0 === PLUS) return 'added';
  if (c0 === MINUS) return 'removed';
  if (c0 === BACKSLASH) return 'no-newline';
  return 'context';
}

function markerLength(text: string, s: number, e: number): number {
  if (s >= e) return 0;
  const c0 = text.charCodeAt(s);
  if (c0 === SPACE || c0 === PLUS || c0 === MINUS) return 1;
  if (c0 === BACKSLASH) return s + 1 < e && text.charCodeAt(s + 1) === SPACE ? 2 : 1;
  return 0; // web-archive text: a context line that lost its leading space
}

export class LazyHunk implements Hunk {
  heading: string;
  private header?: Range;
  private extent?: Range;
  private materialised?: HunkLine[];
  private pre?: string;
  private post?: string;

  constructor(
    private readonly src: LineSource,
    private readonly w: LineWindow,
    /** Source line indices: the @@ line, the first body line, one past the last body line. */
    readonly headerLine: number,
    readonly bodyStart: number,
    readonly bodyEnd: number,
    public oldStart: number,
    public oldLines: number,
    public newStart: number,
    public newLines: number,
    heading: string,
    public quoteDepth: number,
    public added: number,
    public removed: number,
    public bodyLines: number,
  ) {
    this.heading = heading;
  }

  /** The @@ line (placed through the source on first access). */
  get headerRange(): Range {
    if (this.header === undefined) this.place();
    return this.header as Range;
  }
  set headerRange(r: Range) {
    this.header = r;
  }

  /** From the @@ line to the last body line (placed through the source on first access). */
  get range(): Range {
    if (this.extent === undefined) this.place();
    return this.extent as Range;
  }
  set range(r: Range) {
    this.extent = r;
  }

  private place(): void {
    const { w, src, headerLine, bodyStart, bodyEnd } = this;
    const header = this.header ?? {
      start: src.position(headerLine, 0),
      end: src.position(headerLine, w.endOf(headerLine) - w.startOf(headerLine)),
    };
    this.header = header;
    if (this.extent === undefined) {
      const last = bodyEnd > bodyStart ? bodyEnd - 1 : headerLine;
      this.extent = {
        start: header.start,
        end: last === headerLine ? header.end : src.position(last, w.endOf(last) - w.startOf(last)),
      };
    }
  }

  get lines(): HunkLine[] {
    if (this.materialised === undefined) this.materialised = this.buildLines();
    return this.materialised;
  }
  set lines(v: HunkLine[]) {
    this.materialised = v;
  }

  get preImage(): string {
    if (this.pre === undefined) this.pre = this.image(PLUS);
    return this.pre;
  }
  set preImage(v: string) {
    this.pre = v;
  }

  get postImage(): string {
    if (this.post === undefined) this.post = this.image(MINUS);
    return this.post;
  }
  set postImage(v: string) {
    this.post = v;
  }

  /** JSON.stringify sees the lazy fields too. */
  toJSON(): Hunk {
    return {
      oldStart: this.oldStart,
      oldLines: this.oldLines,
      newStart: this.newStart,
      newLines: this.newLines,
      heading: this.heading,
      headerRange: this.headerRange,
      range: this.range,
      lines: this.lines,
      preImage: this.preImage,
      postImage: this.postImage,
      quoteDepth: this.quoteDepth,
      added: this.added,
      removed: this.removed,
      bodyLines: this.bodyLines,
    };
  }

  private buildLines(): HunkLine[] {
    const w = this.w;
    const out: HunkLine[] = [];
    let oldLine = this.oldStart;
    let newLine = this.newStart;
    for (let i = this.bodyStart; i < this.bodyEnd; i++) {
      const text = w.str(i);
      const s = w.startOf(i);
      const e = w.endOf(i);
      const c0 = s < e ? text.charCodeAt(s) : -1;
      const kind = bodyLineKind(c0);
      const m = markerLength(text, s, e);
      const content = text.slice(s + m, e);
      if (kind === 'context') out.push(new BodyLine(kind, content, oldLine++, newLine++, this.src, i, m));
      else if (kind === 'removed')
        out.push(new BodyLine(kind, content, oldLine++, undefined, this.src, i, m));
      else if (kind === 'added') out.push(new BodyLine(kind, content, undefined, newLine++, this.src, i, m));
      else out.push(new BodyLine(kind, content, undefined, undefined, this.src, i, m));
    }
    return out;
  }

  /** The old side (skip = '+') or the new side (skip = '-'), lines joined with \n. */
  private image(skip: number): string {
    const w = this.w;
    const parts: string[] = [];
    for (let i = this.bodyStart; i < this.bodyEnd; i++) {
      const text = w.str(i);
      const s = w.startOf(i);
      const e = w.endOf(i);
      const c0 = s < e ? text.charCodeAt(s) : -1;
      if (c0 === skip || c0 === BACKSLASH) continue;
      parts.push(text.slice(s + markerLength(text, s, e), e));
    }
    return parts.join('\n');
  }
}

/** A body line: its range is worked out through the source on first access. */
class BodyLine implements HunkLine {
  private placed?: Range;

  constructor(
    public kind: HunkLineKind,
    public text: string,
    public oldLine: number | undefined,
    public newLine: number | undefined,
    private readonly src: LineSource,
    private readonly line: number,
    private readonly marker: number,
  ) {}

  get range(): Range {
    if (this.placed === undefined) {
      this.placed = {
        start: this.src.position(this.line, this.marker),
        end: this.src.position(this.line, this.marker + this.text.length),
      };
    }
    return this.placed;
  }
  set range(r: Range) {
    this.placed = r;
  }

  toJSON(): HunkLine {
    const out: HunkLine = { kind: this.kind, text: this.text, range: this.range };
    if (this.oldLine !== undefined) out.oldLine = this.oldLine;
    if (this.newLine !== undefined) out.newLine = this.newLine;
    return out;
  }
}
