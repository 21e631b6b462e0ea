/**
 * The `@@ -a,b +c,d @@ heading` line, read with charCodeAt (no regex): counts default to 1 when
 * omitted, the heading is git's function context after the second @@.
 */

export interface HunkHeader {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Offset in the text where the heading starts (after "@@ "), or -1 when there is none. */
  headingStart: number;
}

const AT = 64;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
/** Larger counts are nonsense; capping keeps arithmetic exact. */
const MAX_COUNT = 1e9;

/** True when text[s..e) starts with "@@ -" (a hunk header candidate, maybe malformed). */
export function looksLikeHunkHeader(text: string, s: number, e: number): boolean {
  return (
    e - s >= 4 &&
    text.charCodeAt(s) === AT &&
    text.charCodeAt(s + 1) === AT &&
    text.charCodeAt(s + 2) === SPACE &&
    text.charCodeAt(s + 3) === MINUS
  );
}

/** The value readNumber() read last (a module-level slot: no allocation per number). */
let parsed = 0;

/**
 * Reads the decimal digits at text[p..e) into `parsed` (saturating at MAX_COUNT); returns the
 * position after them, or -1 when there is no digit.
 */
function readNumber(text: string, p: number, e: number): number {
  let n = 0;
  const from = p;
  for (; p < e; p++) {
    const d = text.charCodeAt(p) - ZERO;
    if (d < 0 || d > 9) break;
    if (n < MAX_COUNT) n = n * 10 + d;
  }
  if (p === from) return -1;
  parsed = n;
  return p;
}

/** Reads the header of text[s..e) into `out`; false when the line is not a well-formed header. */
export function readHunkHeader(text: string, s: number, e: number, out: HunkHeader): boolean {
  if (!looksLikeHunkHeader(text, s, e)) return false;
  // -a[,b] +c[,d]
  let p = readNumber(text, s + 4, e);
  if (p < 0) return false;
  out.oldStart = parsed;
  out.oldLines = 1;
  if (p < e && text.charCodeAt(p) === COMMA) {
    p = readNumber(text, p + 1, e);
    if (p < 0) return false;
    out.oldLines = parsed;
  }
  if (p + 1 >= e || text.charCodeAt(p) !== SPACE || text.charCodeAt(p + 1) !== PLUS) return false;
  p = readNumber(text, p + 2, e);
  if (p < 0) return false;
  out.newStart = parsed;
  out.newLines = 1;
  if (p < e && text.charCodeAt(p) === COMMA) {
    p = readNumber(text, p + 1, e);
    if (p < 0) return false;
    out.newLines = parsed;
  }
  if (
    p + 3 > e ||
    text.charCodeAt(p) !== SPACE ||
    text.charCodeAt(p + 1) !== AT ||
    text.charCodeAt(p + 2) !== AT
  ) {
    return false;
  }
  p += 3;
  out.headingStart = -1;
  if (p < e) {
    const c = text.charCodeAt(p);
    if (c !== SPACE && c !== TAB) return false; // "@@@" (combined diff) or garbage
    if (p + 1 < e) out.headingStart = p + 1;
  }
  return true;
}
