/**
 * The document's lines (LSP style: "\r\n", "\n" and a lone "\r" each end a line) and the line
 * views the mail layer hands to the diff parser: a body (after mboxrd ">From " unescaping and
 * MIME decoding) and a quote with its "> " prefix removed, each line mapped back to the document.
 */
import type { Position } from '../common/position';
import type { LineSource } from '../diff/types';

/** The document split into lines, kept as one string plus the offset where each line starts. */
export class DocumentText {
  readonly starts: number[] = [];
  /** Offset one past the last character of each line's content (before its terminator). */
  readonly ends: number[] = [];

  constructor(readonly text: string) {
    const n = text.length;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        this.starts.push(start);
        this.ends.push(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    if (start < n || n === 0 || this.starts.length === 0) {
      this.starts.push(start);
      this.ends.push(n);
    } else {
      // text ends with a line terminator: LSP still has an empty last line there
      this.starts.push(n);
      this.ends.push(n);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  lineLength(i: number): number {
    return this.ends[i] - this.starts[i];
  }
}

/** Where one decoded line came from, for lines whose text is not a plain slice of the document. */
export interface DecodedLineMap {
  position(ch: number): Position;
}

/**
 * A body's lines: each either a slice of a document line starting at a column (plain text, or an
 * mboxrd ">From " line with its first ">" dropped), or decoded text with its own map back to the
 * encoded lines.
 */
export class BodyLines implements LineSource {
  readonly texts: string[] = [];
  readonly docLine: number[] = [];
  readonly docCol: number[] = [];
  readonly decoded: (DecodedLineMap | undefined)[] = [];

  get count(): number {
    return this.texts.length;
  }

  text(i: number): string {
    return this.texts[i];
  }

  position(i: number, ch: number): Position {
    const map = this.decoded[i];
    if (map) return map.position(ch);
    return { line: this.docLine[i], character: this.docCol[i] + ch };
  }

  pushPlain(text: string, line: number, col: number): void {
    this.texts.push(text);
    this.docLine.push(line);
    this.docCol.push(col);
    this.decoded.push(undefined);
  }

  pushDecoded(text: string, map: DecodedLineMap, firstLine: number): void {
    this.texts.push(text);
    this.docLine.push(firstLine);
    this.docCol.push(0);
    this.decoded.push(map);
  }

  /** The document line a body line starts on (for ranges of messages and quotes). */
  startLine(i: number): number {
    return this.docLine[i];
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
}
