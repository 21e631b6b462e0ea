/**
 * Unified diffs in a run of lines -> file diffs and hunks, each placed in the document.
 *
 * Recognised: `diff --git` with git's extended headers (binary patches skipped), `---`/`+++`
 * pairs without it (quilt's `Index:` + `====`, plain `diff -u`), `@@` hunks. A hunk body is
 * consumed strictly by the counts of its `@@` header, so the `-- ` signature after the last hunk
 * is not a removed line, and a `@@` line outside any file diff is not a hunk. While counts remain,
 * an unmarked line is a context line that lost its leading space (web-archive text). A hunk cut
 * short, or a line that cannot belong, is a problem at its place. Never throws.
 *
 * The hot loop reads the lines with charCodeAt over one string (LineSource.flat) and allocates
 * nothing per body line; hunks build their line objects on first access (see hunk.ts).
 */
import type { Range } from '../common/position';
import type { ReadProblem } from '../common/readProblem';
import { gitHeaderNames, readExtendedHeader, sideName, stripPrefixes } from './fileHeader';
import { LazyHunk } from './hunk';
import { looksLikeHunkHeader, readHunkHeader, type HunkHeader } from './hunkHeader';
import { LineWindow } from './documentLines';
import type { DiffParseOptions, ExtendedHeaders, FileDiff, LineSource } from './types';

const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const BACKSLASH = 92;
const AT = 64;
const LOWER_D = 100;
const UPPER_I = 73;
const UPPER_F = 70;
const LOWER_C = 99;
/** Mailers wrap at 72..80 columns: a shorter @@ line was not wrapped. */
const WRAP_WIDTH = 60;
/** At most this many stray lines between a file's hunk and its next "@@" (see hunkAfterStrayLines). */
const MAX_STRAY_LINES = 12;
/** At most this many wrapped remains between diff --git and its ---/+++ pair. */
const WRAPPED_HEADER_LINES = 3;

const UNPLACED: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Why a hunk body ended. */
const enum Stop {
  CountsDone,
  HeaderArrived,
  LineDoesNotFit,
  EndOfInput,
  Signature,
}

export interface DiffParseResult {
  files: FileDiff[];
  problems: ReadProblem[];
}

export function parseDiffs(src: LineSource, opts: DiffParseOptions): DiffParseResult {
  const files: FileDiff[] = [];
  const problems: ReadProblem[] = [];
  let parser: DiffParser | undefined;
  try {
    parser = new DiffParser(src, opts, files, problems);
    parser.run();
  } catch (err) {
    // A bug of ours must not take the reader down: say where we were and keep what we have.
    const line = parser?.current ?? opts.start ?? 0;
    let at: Range;
    try {
      const p = src.position(line, 0);
      at = { start: p, end: p };
    } catch {
      at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    }
    problems.push({
      message: `diff reader failed here: ${(err as Error)?.message ?? String(err)}`,
      range: at,
      severity: 'error',
    });
  }
  return { files, problems };
}

class DiffParser {
  private readonly w: LineWindow;
  private readonly start: number;
  private readonly end: number;
  private readonly hh: HunkHeader = { oldStart: 0, oldLines: 0, newStart: 0, newLines: 0, headingStart: -1 };
  /** The line being looked at (for the failure message). */
  current = 0;
  // Result of the last consume():
  private cEnd = 0;
  private cStop: Stop = Stop.CountsDone;
  private cOldLeft = 0;
  private cNewLeft = 0;
  private cAdded = 0;
  private cRemoved = 0;

  constructor(
    private readonly src: LineSource,
    private readonly opts: DiffParseOptions,
    private readonly files: FileDiff[],
    private readonly problems: ReadProblem[],
  ) {
    const count = Math.max(0, src.count | 0);
    this.start = Math.min(Math.max(0, (opts.start ?? 0) | 0), count);
    this.end = Math.max(this.start, Math.min(count, (opts.end ?? count) | 0));
    this.w = LineWindow.of(src, this.start, this.end);
  }

  run(): void {
    const { w, end } = this;
    const { flat, starts, ends, texts, base } = w;
    /** A line that may open the next file diff (quilt's Index:, a plain "diff -u a b"). */
    let pending = -1;
    let i = this.start;
    while (i < end) {
      const s = starts[i - base];
      const e = ends[i - base];
      if (e - s < 4) {
        i++;
        continue;
      }
      const text = texts === undefined ? flat : texts[i - base];
      const c0 = text.charCodeAt(s);
      if (c0 === LOWER_D && text.startsWith('diff ', s)) {
        this.current = i;
        if (text.startsWith('diff --git ', s)) {
          i = this.readGitFile(i);
          pending = -1;
          continue;
        }
        // "diff -u a b" (plain diff), or "diff --cc" (a merge: its "@@@" hunks are not read)
        pending = i;
      } else if (c0 === MINUS && this.isSidePair(i) && this.isHunkHeaderAt(i + 2)) {
        // without diff --git, a ---/+++ pair is a file header only when a hunk follows it
        this.current = i;
        i = this.readPlainFile(pending >= 0 && i - pending <= 2 ? pending : i, i);
        pending = -1;
        continue;
      } else if (c0 === AT && looksLikeHunkHeader(text, s, e)) {
        this.problem(
          i,
          `"@@" line outside any file diff (no diff --git or ---/+++ header before it): not read as a hunk`,
          'info',
        );
      } else if (c0 === UPPER_I && text.startsWith('Index: ', s)) {
        pending = i;
      }
      i++;
    }
  }

  private isHunkHeaderAt(j: number): boolean {
    if (j >= this.end) return false;
    const { flat, starts, ends, texts, base } = this.w;
    return looksLikeHunkHeader(
      texts === undefined ? flat : texts[j - base],
      starts[j - base],
      ends[j - base],
    );
  }

  /** Lines i and i+1 are "--- X" and "+++ Y". */
  private isSidePair(i: number): boolean {
    if (i + 1 >= this.end) return false;
    const { flat, starts, ends, texts, base } = this.w;
    const s = starts[i - base];
    if (ends[i - base] - s < 4 || !(texts === undefined ? flat : texts[i - base]).startsWith('--- ', s))
      return false;
    const s2 = starts[i + 1 - base];
    return (
      ends[i + 1 - base] - s2 >= 4 &&
      (texts === undefined ? flat : texts[i + 1 - base]).startsWith('+++ ', s2)
    );
  }

  private lineText(i: number): string {
    return this.w.line(i);
  }

  private startsWith(i: number, prefix: string): boolean {
    const s = this.w.startOf(i);
    return this.w.endOf(i) - s >= prefix.length && this.w.str(i).startsWith(prefix, s);
  }

  private readGitFile(header: number): number {
    const extended: ExtendedHeaders = {};
    let binary = false;
    let j = header + 1;
    const { w, end } = this;
    const { flat, starts, ends, texts, base } = w;
    while (j < end) {
      const text = texts === undefined ? flat : texts[j - base];
      const s = starts[j - base];
      const e = ends[j - base];
      if (readExtendedHeader(text, s, e, extended)) {
        j++;
      } else if (s < e && text.charCodeAt(s) === MINUS && this.isSidePair(j) && this.isHunkHeaderAt(j + 2)) {
        // the usual end of the header: "---", "+++" and an "@@" (no wrapped remains to look for)
        break;
      } else if (text.startsWith('Binary files ', s)) {
        binary = true;
        j++;
      } else if (text.startsWith('GIT binary patch', s)) {
        binary = true;
        j = this.skipBinaryPatch(j + 1);
      } else {
        const pair = this.wrappedHeaderEnd(j);
        if (pair < 0) break;
        this.problem(
          j,
          `unrecognised line in the file header of line ${this.lineNo(header)} (wrapped by the mailer?): skipped`,
          'warning',
        );
        j = pair;
      }
    }
    let sides: [string | undefined, string | undefined];
    if (this.isSidePair(j)) {
      sides = stripPrefixes(this.sideAt(j), this.sideAt(j + 1));
      j += 2;
    } else {
      if (j < end && this.startsWith(j, '--- ')) {
        this.problem(j, `"---" line without the "+++" line that must follow it`, 'warning');
      }
      const names = gitHeaderNames(this.lineText(header).slice('diff --git '.length));
      sides = stripPrefixes(names.oldName, names.newName);
      // rename/copy lines name both sides without prefixes
      sides[0] = extended.renameFrom ?? extended.copyFrom ?? sides[0];
      sides[1] = extended.renameTo ?? extended.copyTo ?? sides[1];
      if (extended.newFileMode !== undefined) sides[0] = undefined;
      if (extended.deletedFileMode !== undefined) sides[1] = undefined;
    }
    return this.finishFile(header, j, sides[0], sides[1], extended, binary);
  }

  /** The name on the "--- X" / "+++ Y" line i (see sideName). */
  private sideAt(i: number): string | undefined {
    const { flat, starts, ends, texts, base } = this.w;
    return sideName(
      (texts === undefined ? flat : texts[i - base]).slice(starts[i - base] + 4, ends[i - base]),
    );
  }

  /**
   * A mailer may wrap a long header line (diff --git, index): when a "---"/"+++" pair follows
   * within a few lines that are no header themselves, those lines are the wrapped remains.
   */
  private wrappedHeaderEnd(j: number): number {
    const s0 = this.w.startOf(j);
    const e0 = this.w.endOf(j);
    const t0 = this.w.str(j);
    if (s0 === e0 || t0.startsWith('diff ', s0) || this.isHeaderLine(t0, t0.charCodeAt(s0), s0, e0, j))
      return -1;
    for (let k = j + 1; k <= j + WRAPPED_HEADER_LINES && k < this.end; k++) {
      if (this.isSidePair(k)) return k;
      const s = this.w.startOf(k);
      const e = this.w.endOf(k);
      if (s === e || this.isHeaderLine(this.w.str(k), this.w.str(k).charCodeAt(s), s, e, k)) return -1;
    }
    return -1;
  }

  private readPlainFile(header: number, sides: number): number {
    const names = stripPrefixes(this.sideAt(sides), this.sideAt(sides + 1));
    return this.finishFile(header, sides + 2, names[0], names[1], {}, false);
  }

  /** Reads the hunks from line j on and records the file diff; returns the line after it. */
  private finishFile(
    header: number,
    j: number,
    oldPath: string | undefined,
    newPath: string | undefined,
    extended: ExtendedHeaders,
    binary: boolean,
  ): number {
    const file: FileDiff = {
      oldPath,
      newPath,
      path: newPath ?? oldPath ?? '',
      extended,
      binary,
      range: UNPLACED, // placed below, once its last line is known
      hunks: [],
      quoteDepth: this.opts.quoteDepth,
      messageIndex: this.opts.messageIndex,
    };
    this.files.push(file);
    const headerEnd = j;
    const { flat, starts, ends, texts, base } = this.w;
    const end = this.end;
    while (j < end) {
      const text = texts === undefined ? flat : texts[j - base];
      const s = starts[j - base];
      const e = ends[j - base];
      if (!looksLikeHunkHeader(text, s, e)) {
        // stray lines (a line the mailer wrapped, a miscounted hunk) before this file's next @@
        const next = file.hunks.length > 0 ? this.hunkAfterStrayLines(j) : -1;
        if (next < 0) break;
        const h = file.hunks[file.hunks.length - 1].headerRange.start;
        this.problem(
          j,
          `${next - j === 1 ? `line ${this.lineNo(j)} does` : `lines ${this.lineNo(j)}-${this.lineNo(next - 1)} do`} ` +
            `not fit the hunk at line ${h.line + 1} (a line wrapped by the mailer, or miscounted?): ` +
            `skipped; the "@@" at line ${this.lineNo(next)} still belongs to ${file.path}`,
          'warning',
        );
        j = next;
        continue;
      }
      this.current = j;
      if (!readHunkHeader(text, s, e, this.hh)) {
        this.problem(j, `malformed hunk header: expected "@@ -a,b +c,d @@"`, 'error');
        j++;
        break;
      }
      j = this.readHunk(file, j);
    }
    if (j < end) this.checkLeftover(j);
    file.range = this.span(header, (file.hunks.length > 0 ? j : headerEnd) - 1);
    return j;
  }

  private readHunk(file: FileDiff, h: number): number {
    const { w, end } = this;
    const hh = this.hh;
    const oldN = hh.oldLines;
    const newN = hh.newLines;
    const he = w.ends[h - w.base];
    let heading = hh.headingStart >= 0 ? w.str(h).slice(hh.headingStart, he) : '';
    let body = h + 1;
    this.consume(body, oldN, newN);
    if (
      body < end &&
      he - w.starts[h - w.base] >= WRAP_WIDTH &&
      this.isUnmarked(body) &&
      !this.endsCleanly()
    ) {
      // A mailer may have wrapped a long @@ line: try the next line as the rest of the heading.
      const first = {
        end: this.cEnd,
        stop: this.cStop,
        o: this.cOldLeft,
        n: this.cNewLeft,
        a: this.cAdded,
        r: this.cRemoved,
      };
      this.consume(body + 1, oldN, newN);
      if (this.endsCleanly()) {
        heading += this.lineText(body);
        this.problem(
          body,
          `hunk header wrapped by the mailer: line ${this.lineNo(body)} read as the rest of the heading of line ${this.lineNo(h)}`,
          'warning',
        );
        body++;
      } else {
        this.cEnd = first.end;
        this.cStop = first.stop;
        this.cOldLeft = first.o;
        this.cNewLeft = first.n;
        this.cAdded = first.a;
        this.cRemoved = first.r;
      }
    }
    const j = this.cEnd;
    if (this.cStop !== Stop.CountsDone) this.reportShortHunk(h, j, oldN, newN);
    const hunk = new LazyHunk(
      this.src,
      this.w,
      h,
      body,
      j,
      hh.oldStart,
      oldN,
      hh.newStart,
      newN,
      heading,
      this.opts.quoteDepth,
      this.cAdded,
      this.cRemoved,
      oldN - this.cOldLeft + this.cAdded,
    );
    file.hunks.push(hunk);
    return j;
  }

  /**
   * The hot loop: consumes body lines from `from` until both counts are used up, then any
   * "\ No newline" markers. Results in the c* fields.
   */
  private consume(from: number, oldN: number, newN: number): void {
    const { w, end } = this;
    const { flat, starts, ends, texts, base } = w;
    let o = oldN;
    let n = newN;
    let added = 0;
    let removed = 0;
    let j = from;
    let stop = Stop.CountsDone;
    while (o > 0 || n > 0) {
      if (j >= end) {
        stop = Stop.EndOfInput;
        break;
      }
      const text = texts === undefined ? flat : texts[j - base];
      const s = starts[j - base];
      const e = ends[j - base];
      const c = s < e ? text.charCodeAt(s) : SPACE; // an empty line is a blank context line
      if (c === SPACE) {
        if (o === 0 || n === 0) {
          stop = Stop.LineDoesNotFit;
          break;
        }
        o--;
        n--;
      } else if (c === PLUS) {
        if (n === 0) {
          stop = Stop.LineDoesNotFit;
          break;
        }
        n--;
        added++;
      } else if (c === MINUS) {
        if (o === 0) {
          stop = Stop.LineDoesNotFit;
          break;
        }
        if (e - s <= 4 && e - s >= 2 && text.charCodeAt(s + 1) === MINUS && this.isSignature(j)) {
          stop = Stop.Signature;
          break;
        }
        if (
          e - s >= 4 &&
          text.charCodeAt(s + 1) === MINUS &&
          text.charCodeAt(s + 2) === MINUS &&
          this.isNextFileHeader(j)
        ) {
          stop = Stop.HeaderArrived;
          break;
        }
        o--;
        removed++;
      } else if (c !== BACKSLASH) {
        // Unmarked: the next header, or a context line that lost its leading space.
        if (this.isHeaderLine(text, c, s, e, j)) {
          stop = Stop.HeaderArrived;
          break;
        }
        if (o === 0 || n === 0) {
          stop = Stop.LineDoesNotFit;
          break;
        }
        o--;
        n--;
      }
      j++;
    }
    if (stop === Stop.CountsDone) {
      while (
        j < end &&
        starts[j - base] < ends[j - base] &&
        (texts === undefined ? flat : texts[j - base]).charCodeAt(starts[j - base]) === BACKSLASH
      )
        j++;
    }
    this.cEnd = j;
    this.cStop = stop;
    this.cOldLeft = o;
    this.cNewLeft = n;
    this.cAdded = added;
    this.cRemoved = removed;
  }

  /** An unmarked line that opens something new: a hunk, a git file diff, a quilt Index:. */
  private isHeaderLine(text: string, c: number, s: number, e: number, j: number): boolean {
    if (c === AT) return looksLikeHunkHeader(text, s, e);
    if (c === LOWER_D) return text.startsWith('diff --git ', s);
    if (c === UPPER_I)
      return text.startsWith('Index: ', s) && j + 1 < this.end && this.startsWith(j + 1, '====');
    return false;
  }

  /**
   * "-- " (or "--" where trailing blanks were stripped) followed by a git version line
   * ("2.39.0", "1.8.3.1"): format-patch's signature, met while counts remain.
   */
  private isSignature(j: number): boolean {
    const w = this.w;
    const t = w.str(j);
    const s = w.startOf(j);
    const len = w.endOf(j) - s;
    if (!(len === 2 || (len === 3 && t.charCodeAt(s + 2) === SPACE))) return false;
    if (j + 1 >= this.end) return true;
    const t2 = w.str(j + 1);
    const s2 = w.startOf(j + 1);
    const e2 = w.endOf(j + 1);
    let p = s2;
    while (p < e2 && t2.charCodeAt(p) >= 48 && t2.charCodeAt(p) <= 57) p++;
    return p > s2 && p < e2 && t2.charCodeAt(p) === 46;
  }

  /** "--- X" + "+++ Y" + "@@ -": a new file's header, even while counts remain. */
  private isNextFileHeader(j: number): boolean {
    if (!this.isSidePair(j) || j + 2 >= this.end) return false;
    return looksLikeHunkHeader(this.w.str(j + 2), this.w.startOf(j + 2), this.w.endOf(j + 2));
  }

  private isUnmarked(j: number): boolean {
    const text = this.w.str(j);
    const s = this.w.startOf(j);
    const e = this.w.endOf(j);
    if (s >= e) return false;
    const c = text.charCodeAt(s);
    return (
      c !== SPACE && c !== PLUS && c !== MINUS && c !== BACKSLASH && !this.isHeaderLine(text, c, s, e, j)
    );
  }

  /**
   * The last consume() used its counts exactly and the line after it does not look like body
   * (here a " x" line counts as body too: it is how a wrapped hunk's last context line shows).
   */
  private endsCleanly(): boolean {
    if (this.cStop !== Stop.CountsDone) return false;
    if (this.cEnd >= this.end) return true;
    const s = this.w.startOf(this.cEnd);
    const e = this.w.endOf(this.cEnd);
    if (e - s >= 2 && this.w.str(this.cEnd).charCodeAt(s) === SPACE) return false;
    return !this.looksLikeBody(this.cEnd);
  }

  /** A line that reads as a hunk line (" x", "+x", "-x"), not a signature or a rule. */
  private looksLikeBody(j: number): boolean {
    const text = this.w.str(j);
    const s = this.w.startOf(j);
    const e = this.w.endOf(j);
    if (s >= e) return false;
    const c = text.charCodeAt(s);
    if (c === PLUS) return !text.startsWith('+++', s);
    if (c === MINUS)
      return !(
        text.startsWith('--', s) &&
        (e - s === 2 || text.charCodeAt(s + 2) === SPACE || text.charCodeAt(s + 2) === MINUS)
      );
    return false; // " x" may be indented prose (git log -p indents messages); not a sure sign
  }

  /**
   * After a hunk, lines that fit no hunk, then a "@@" line: the file diff goes on with that hunk
   * (an "@@" after a file header and its hunks continues the file). Returns the "@@" line, or -1
   * when something that ends the file diff comes first: a file header, the mail signature, an
   * mbox "From " line, a "commit" line, or more than MAX_STRAY_LINES lines.
   */
  private hunkAfterStrayLines(j: number): number {
    const { w, end } = this;
    for (let k = j; k < end && k - j <= MAX_STRAY_LINES; k++) {
      const text = w.str(k);
      const s = w.startOf(k);
      const e = w.endOf(k);
      if (s === e) continue;
      const c = text.charCodeAt(s);
      if (c === AT) {
        if (looksLikeHunkHeader(text, s, e)) return k > j ? k : -1;
      } else if (c === MINUS) {
        if (this.isSignature(k) || this.isSidePair(k) || text.startsWith('---', s)) return -1;
      } else if (c === LOWER_D || c === UPPER_I) {
        if (this.isHeaderLine(text, c, s, e, k) || text.startsWith('diff ', s)) return -1;
      } else if (c === UPPER_F || c === LOWER_C) {
        if (text.startsWith('From ', s) || text.startsWith('commit ', s)) return -1;
      }
    }
    return -1;
  }

  /** After a file's last hunk: a line that reads like one more body line means the counts were short. */
  private checkLeftover(j: number): void {
    if (this.looksLikeBody(j)) {
      this.problem(
        j,
        `line ${this.lineNo(j)} reads like a hunk line, but the hunk before it has used up the counts of its @@ header`,
        'warning',
      );
    }
  }

  private reportShortHunk(h: number, j: number, oldN: number, newN: number): void {
    const foundOld = oldN - this.cOldLeft;
    const foundNew = newN - this.cNewLeft;
    const where =
      this.cStop === Stop.EndOfInput
        ? 'before the end of the input'
        : this.cStop === Stop.HeaderArrived
          ? 'before the next header'
          : this.cStop === Stop.Signature
            ? 'before the mail signature'
            : `before line ${this.lineNo(j)}, which cannot belong to it`;
    const what =
      foundNew === newN
        ? `announces ${oldN} old lines, found ${foundOld}`
        : foundOld === oldN
          ? `announces ${newN} new lines, found ${foundNew}`
          : `announces ${oldN} old and ${newN} new lines, found ${foundOld} and ${foundNew}`;
    const at = this.cStop === Stop.EndOfInput ? Math.max(h, j - 1) : j;
    if (this.opts.quoteDepth > 0) {
      // Reviewers trim the hunks they quote: worth knowing, not a defect of the document.
      this.problem(
        at,
        `quoted hunk at line ${this.lineNo(h)} ${what} ${where} (trimmed in the reply?)`,
        'info',
      );
    } else if (this.opts.webArchive) {
      this.problem(
        at,
        `hunk at line ${this.lineNo(h)} ${what} ${where} (a web-archive copy drops blank lines)`,
        'warning',
      );
    } else {
      this.problem(at, `hunk at line ${this.lineNo(h)} ${what} ${where}`, 'error');
    }
  }

  /** git's "GIT binary patch": literal/delta blocks of base85 lines, each ended by an empty line. */
  private skipBinaryPatch(j: number): number {
    while (j < this.end && (this.startsWith(j, 'literal ') || this.startsWith(j, 'delta '))) {
      j++;
      while (j < this.end && this.w.startOf(j) < this.w.endOf(j)) j++;
      if (j < this.end) j++; // the empty line closing the block
    }
    return j;
  }

  /** 1-based document line number of source line i, for messages. */
  private lineNo(i: number): number {
    return this.src.position(i, 0).line + 1;
  }

  private span(first: number, last: number): Range {
    const l = Math.max(first, last);
    return {
      start: this.src.position(first, 0),
      end: this.src.position(l, this.w.endOf(l) - this.w.startOf(l)),
    };
  }

  private problem(i: number, message: string, severity: ReadProblem['severity']): void {
    const line = Math.min(Math.max(i, this.start), Math.max(this.start, this.end - 1));
    const range: Range =
      this.end > this.start
        ? {
            start: this.src.position(line, 0),
            end: this.src.position(line, this.w.endOf(line) - this.w.startOf(line)),
          }
        : { start: this.src.position(line, 0), end: this.src.position(line, 0) };
    this.problems.push({ message, range, severity });
  }
}
