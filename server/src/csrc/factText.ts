/**
 * The texts readHunk keeps of the C it reads, each in time linear in the text: whitespace folded,
 * wrapping parentheses stripped in one pass, long fact texts cut, and whether a node's text holds
 * a pattern, asked of the positions of the pattern's matches in the whole source.
 */
/** Whitespace folded to single spaces, trimmed. */
export const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The text without the parentheses that wrap all of it (`((a || b))` -> `a || b`), in one pass:
 * each opening parenthesis' match is found once, so 10,000 of them cost 10,000 steps, not 10^8.
 * An opening parenthesis left open wraps to the end, as the old depth scan read it.
 */
export function stripParens(s: string): string {
  const t = s.trim();
  const match = new Int32Array(t.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 40) open.push(i);
    else if (c === 41 && open.length) match[open.pop()!] = i;
  }
  let lo = 0;
  let hi = t.length - 1;
  // strip while the text starts with "(" whose match is its last character (or past it: unclosed)
  while (
    lo < hi &&
    t.charCodeAt(lo) === 40 &&
    t.charCodeAt(hi) === 41 &&
    (match[lo] < 0 || match[lo] >= hi)
  ) {
    lo++;
    hi--;
    while (lo <= hi && /\s/.test(t[lo])) lo++;
    while (hi >= lo && /\s/.test(t[hi])) hi--;
  }
  return t.slice(lo, hi + 1);
}

/** Where the matches of a pattern lie in a text: whether a node's text holds one, without slicing it. */
export class Occurrences {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(text: string, pattern: RegExp) {
    for (const m of text.matchAll(pattern)) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
    }
  }

  /** Whether a match lies wholly in [start, end). */
  within(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.starts.length && this.ends[lo] <= end;
  }
}

/** A fact's text as written, whitespace folded; past MAX_FACT_TEXT cut with an ellipsis (linear in total). */
const MAX_FACT_TEXT = 512;
export function factText(text: string): string {
  if (text.length <= 2 * MAX_FACT_TEXT) {
    const folded = fold(text);
    return folded.length <= MAX_FACT_TEXT ? folded : folded.slice(0, MAX_FACT_TEXT) + '…';
  }
  // only the beginning is folded: a chain of assignments would fold its whole rest per link
  const folded = fold(text.slice(0, 2 * MAX_FACT_TEXT));
  return (folded.length > MAX_FACT_TEXT ? folded.slice(0, MAX_FACT_TEXT) : folded) + '…';
}
