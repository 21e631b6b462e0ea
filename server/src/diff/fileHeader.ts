/**
 * The lines before a file's hunks: `diff --git a/X b/Y`, git's extended headers (a table: one row
 * per header kind), `--- X` / `+++ Y` with their a/ b/ prefixes, /dev/null sides, C-quoted names
 * and the timestamps of plain `diff -u`.
 */
import type { ExtendedHeaders } from './types';

interface ExtendedHeaderKind {
  prefix: string;
  apply(h: ExtendedHeaders, value: string): void;
}

/** git's extended header lines (git-diff(1), "extended header lines"). */
const extendedHeaderKinds: ExtendedHeaderKind[] = [
  { prefix: 'index ', apply: (h, v) => (h.index = v) },
  { prefix: 'old mode ', apply: (h, v) => (h.oldMode = v) },
  { prefix: 'new mode ', apply: (h, v) => (h.newMode = v) },
  { prefix: 'new file mode ', apply: (h, v) => (h.newFileMode = v) },
  { prefix: 'deleted file mode ', apply: (h, v) => (h.deletedFileMode = v) },
  { prefix: 'similarity index ', apply: (h, v) => (h.similarity = parseInt(v, 10)) },
  { prefix: 'dissimilarity index ', apply: () => undefined },
  { prefix: 'rename from ', apply: (h, v) => (h.renameFrom = unquotePath(v)) },
  { prefix: 'rename to ', apply: (h, v) => (h.renameTo = unquotePath(v)) },
  { prefix: 'rename old ', apply: (h, v) => (h.renameFrom = unquotePath(v)) },
  { prefix: 'rename new ', apply: (h, v) => (h.renameTo = unquotePath(v)) },
  { prefix: 'copy from ', apply: (h, v) => (h.copyFrom = unquotePath(v)) },
  { prefix: 'copy to ', apply: (h, v) => (h.copyTo = unquotePath(v)) },
];

/** The kinds by their first character, so a line is compared with one or two prefixes only. */
const kindsByFirstChar = new Map<number, ExtendedHeaderKind[]>();
for (const kind of extendedHeaderKinds) {
  const c = kind.prefix.charCodeAt(0);
  kindsByFirstChar.set(c, [...(kindsByFirstChar.get(c) ?? []), kind]);
}

/** Applies line text[s..e) to `h` if it is an extended header line; false otherwise. */
export function readExtendedHeader(text: string, s: number, e: number, h: ExtendedHeaders): boolean {
  if (s >= e) return false;
  const kinds = kindsByFirstChar.get(text.charCodeAt(s));
  if (kinds === undefined) return false;
  for (const kind of kinds) {
    if (s + kind.prefix.length <= e && text.startsWith(kind.prefix, s)) {
      kind.apply(h, text.slice(s + kind.prefix.length, e));
      return true;
    }
  }
  return false;
}

const cEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  '"': '"',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  r: '\r',
  v: '\v',
};

/** git writes names with special characters C-quoted: "a/caf\303\251.c". */
export function unquotePath(s: string): string {
  if (s.length < 2 || s.charCodeAt(0) !== 34 || s.charCodeAt(s.length - 1) !== 34) return s;
  const bytes: number[] = [];
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i];
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const next = s[++i] ?? '';
    if (/[0-7]/.test(next)) {
      const oct = s.slice(i, i + 3).match(/^[0-7]{1,3}/)![0];
      bytes.push(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else {
      for (const b of Buffer.from(cEscapes[next] ?? next, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The two names of `diff --git <old> <new>` (prefixes kept). Unquoted names with spaces are
 * ambiguous; git's own rule: the names are equal ("a/X b/X"), else split at " b/".
 */
export function gitHeaderNames(rest: string): { oldName?: string; newName?: string } {
  if (rest.startsWith('"')) {
    const close = findClosingQuote(rest, 1);
    if (close < 0) return {};
    const oldName = unquotePath(rest.slice(0, close + 1));
    const after = rest.slice(close + 1).trimStart();
    return { oldName, newName: unquotePath(after) };
  }
  const q = rest.indexOf(' "');
  if (q > 0 && rest.endsWith('"'))
    return { oldName: rest.slice(0, q), newName: unquotePath(rest.slice(q + 1)) };
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && a.slice(a.indexOf('/') + 1) === b.slice(b.indexOf('/') + 1))
      return { oldName: a, newName: b };
  }
  const sp = rest.indexOf(' b/');
  if (sp > 0) return { oldName: rest.slice(0, sp), newName: rest.slice(sp + 1) };
  const any = rest.indexOf(' ');
  if (any > 0) return { oldName: rest.slice(0, any), newName: rest.slice(any + 1) };
  return {};
}

function findClosingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** The name on a `--- ` / `+++ ` line (prefix kept), without a plain diff's timestamp; undefined for /dev/null. */
export function sideName(raw: string): string | undefined {
  let name = raw;
  if (!name.startsWith('"')) {
    const tab = name.indexOf('\t');
    if (tab >= 0) name = name.slice(0, tab);
  } else {
    const close = findClosingQuote(name, 1);
    if (close > 0) name = name.slice(0, close + 1);
  }
  name = unquotePath(name.trimEnd());
  if (name === '/dev/null' || name === '') return undefined;
  return name;
}

/**
 * Drops the a/ and b/ prefixes (git, quilt) when the sides carry them; also quilt's
 * "linux.orig/" vs "linux/" first components. Names without such prefixes stay as they are.
 */
export function stripPrefixes(
  oldName: string | undefined,
  newName: string | undefined,
): [string | undefined, string | undefined] {
  const oldHas = oldName === undefined || oldName.startsWith('a/');
  const newHas = newName === undefined || newName.startsWith('b/');
  if (oldHas && newHas && (oldName !== undefined || newName !== undefined)) {
    return [oldName?.slice(2), newName?.slice(2)];
  }
  if (oldName !== undefined && newName !== undefined) {
    const os = oldName.indexOf('/');
    const ns = newName.indexOf('/');
    if (os > 0 && ns > 0) {
      const o = oldName.slice(0, os);
      const n = newName.slice(0, ns);
      if (o !== n && (o === n + '.orig' || o === n + '-orig' || n === o + '.new')) {
        return [oldName.slice(os + 1), newName.slice(ns + 1)];
      }
    }
  }
  return [oldName, newName];
}
