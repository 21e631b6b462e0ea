/**
 * Character classes of C text as JavaScript's regular expressions see them (`\w`, `\s`), for
 * the scans that replace a regular expression which would backtrack (csrc/macros.ts,
 * csrc/functions.ts): each scan looks at a character once.
 */
/** A character of an identifier (what `\w` matches). */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** What `\s` matches (JavaScript's white space and line terminators). */
export function isSpaceCode(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A character that may start an identifier (`[A-Za-z_]`). */
export function isIdentifierStartCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The identifier (`[A-Za-z_]\w*`) that ends right before `end`, spaces between allowed: what
 * `/([A-Za-z_]\w*)\s*$/` finds in text.slice(0, end), in one backward scan (the expression
 * retries every start in a run of word characters: quadratic on a long heading).
 */
export function identifierBefore(text: string, end: number): string | undefined {
  let k = end;
  while (k > 0 && isSpaceCode(text.charCodeAt(k - 1))) k--;
  const runEnd = k;
  let start = -1;
  while (k > 0 && isWordCode(text.charCodeAt(k - 1))) {
    k--;
    if (isIdentifierStartCode(text.charCodeAt(k))) start = k;
  }
  return start < 0 ? undefined : text.slice(start, runEnd);
}
