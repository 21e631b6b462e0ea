/**
 * What the diff reader produces: file diffs, hunks and hunk lines, each with its place in the
 * document (LSP-style 0-based positions). Diffs found inside mail quotes ("> ") carry quoteDepth > 0.
 */
import type { Range } from '../common/position';

export type HunkLineKind = 'context' | 'added' | 'removed' | 'no-newline';

/**
 * Note for readers of parser output: `Hunk.lines`, `Hunk.preImage`, `Hunk.postImage`,
 * `Hunk.headerRange`, `Hunk.range` and `HunkLine.range` are built on first access (prototype
 * getters), so the parse allocates nothing per body line and little per hunk. Reading them and JSON.stringify (toJSON) work as declared; an object spread
 * (`{ ...hunk }`) does not carry them: copy the fields you need by name.
 */
export interface HunkLine {
  kind: HunkLineKind;
  /** The line's content without the diff marker (and without any quote prefix). */
  text: string;
  /** Where the line's content (after the marker) sits in the document. */
  range: Range;
  /** 1-based line number in the old file (context and removed lines), else undefined. */
  oldLine?: number;
  /** 1-based line number in the new file (context and added lines), else undefined. */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The function heading git printed after the second @@, if any ("int pci_iov_add_virtfn(...)"). */
  heading: string;
  /** The @@ line. */
  headerRange: Range;
  /** From the @@ line to the last body line. */
  range: Range;
  lines: HunkLine[];
  /** The old side's text (context + removed lines, joined with \n). */
  preImage: string;
  /** The new side's text (context + added lines, joined with \n). */
  postImage: string;
  /** 0 for a hunk written in the message itself, N for one quoted N levels deep. */
  quoteDepth: number;
  /** Counts over the body, known without materialising `lines`. */
  added: number;
  removed: number;
  /** Body lines consumed by the counts (context + added + removed; no-newline markers excluded). */
  bodyLines: number;
}

export interface ExtendedHeaders {
  oldMode?: string;
  newMode?: string;
  newFileMode?: string;
  deletedFileMode?: string;
  index?: string;
  similarity?: number;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
}

export interface FileDiff {
  /** Path on the old side without the a/ prefix; undefined for a new file (/dev/null). */
  oldPath?: string;
  /** Path on the new side without the b/ prefix; undefined for a deleted file. */
  newPath?: string;
  /** newPath ?? oldPath: the path a reviewer means. */
  path: string;
  extended: ExtendedHeaders;
  binary: boolean;
  /** From the first header line (diff --git, or ---) to the last hunk line. */
  range: Range;
  hunks: Hunk[];
  quoteDepth: number;
  /**
   * Index into ReadResult.messages of the message holding this diff (a mail of an mbox or thread,
   * a commit of `git log -p`, a message of a web-archive page), or -1 for a bare diff.
   */
  messageIndex: number;
}

export type { FlatLines, LineSource } from '../common/lineSource';

export interface DiffParseOptions {
  /** First line to read (default 0) and one past the last (default count). */
  start?: number;
  end?: number;
  quoteDepth: number;
  messageIndex: number;
  /**
   * The lines come from a web-archive copy, which drops blank context lines: a hunk that comes
   * up short there is a warning, not an error.
   */
  webArchive?: boolean;
}
