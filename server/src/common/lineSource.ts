/**
 * A view of lines for a reader: the document's own lines, or the lines of a decoded body or of a
 * quote, each mapped back to the document. The mail layer builds these, the diff parser reads
 * through them; both import it from here, so neither imports the other's internals.
 */
import type { Position } from './position';

/**
 * The lines the diff parser reads: the document's own lines, or the lines of a decoded body
 * (base64, quoted-printable) or of a quote with its "> " prefix removed, each mapped back to the
 * document. The mail layer builds these; the diff parser only reads through this view.
 */
export interface LineSource {
  /** Number of lines. */
  readonly count: number;
  /** The text of line i, without line terminator and without any quote prefix. */
  text(i: number): string;
  /** The document position of character `ch` of line i (through quote prefixes and decoding). */
  position(i: number, ch: number): Position;
  /**
   * Optional fast path: the same lines as offsets into one string, so the parser can read them
   * with charCodeAt instead of allocating each line. A quote view over the document can give the
   * document itself with `starts` past the "> " prefix; a decoded body gives its decoded string.
   */
  readonly flat?: FlatLines;
}

/** Line i is `text.slice(starts[i], ends[i])` (no terminator, no trailing \r, no quote prefix). */
export interface FlatLines {
  readonly text: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}
