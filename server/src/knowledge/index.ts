/**
 * The knowledge base for hovers: every entry is a row of one of the tables beside this file,
 * looked up by the C identifier under the cursor (with its `zdev->` / `pdev->` qualifier when the
 * table has a qualified row). Knows nothing of LSP: positions are plain numbers.
 */
import { commandBitEntries } from './commandBits';
import { devFlagEntries } from './devFlags';
import { fieldEntries } from './fields';
import { functionEntries } from './functions';
import { s390AndCapabilityEntries } from './s390AndCapabilities';
import type { KnowledgeEntry } from './types';

export type { KnowledgeEntry, BitPlacement, SymbolKind } from './types';

export const knowledgeEntries: readonly KnowledgeEntry[] = [
  ...fieldEntries,
  ...devFlagEntries,
  ...commandBitEntries,
  ...functionEntries,
  ...s390AndCapabilityEntries,
];

const byName = new Map<string, KnowledgeEntry>();
for (const entry of knowledgeEntries) {
  for (const name of [entry.name, ...(entry.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`knowledge: ${name} is defined twice`);
    byName.set(name, entry);
  }
}

/** The entry for an identifier ("is_virtfn") or a qualified name ("zdev->vfn"), if any. */
export function lookupSymbol(name: string): KnowledgeEntry | undefined {
  return byName.get(name);
}

/** An identifier found in a line, with the struct pointer or variable it is reached through. */
export interface SymbolAtPosition {
  word: string;
  /** "zdev" for `zdev->vfn` or `zdev.vfn`; undefined for a bare identifier. */
  qualifier?: string;
  /** Character offsets in the line: [start, end). Covers the qualifier too when it is part of the match. */
  start: number;
  end: number;
}

const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

function wordBounds(line: string, character: number): [number, number] | null {
  let at = character;
  if (!isIdentChar(line[at]) && isIdentChar(line[at - 1])) at -= 1; // cursor just after a word
  if (!isIdentChar(line[at])) return null;
  let start = at;
  while (start > 0 && isIdentChar(line[start - 1])) start--;
  let end = at + 1;
  while (end < line.length && isIdentChar(line[end])) end++;
  if (/[0-9]/.test(line[start])) return null; // a number, not an identifier
  return [start, end];
}

/** The identifier before a `->` or `.` that ends at `end` (exclusive), skipping blanks. */
function qualifierBefore(line: string, start: number): { name: string; start: number } | undefined {
  let i = start;
  while (i > 0 && line[i - 1] === ' ') i--;
  if (line.slice(i - 2, i) === '->') i -= 2;
  else if (line[i - 1] === '.') i -= 1;
  else return undefined;
  while (i > 0 && line[i - 1] === ' ') i--;
  const end = i;
  while (i > 0 && isIdentChar(line[i - 1])) i--;
  if (i === end) return undefined;
  return { name: line.slice(i, end), start: i };
}

/** The member after `word->` / `word.` that starts after `end`, if any. */
function memberAfter(line: string, end: number): { name: string; end: number } | undefined {
  const m = /^\s*(?:->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(end));
  return m ? { name: m[1], end: end + m[0].length } : undefined;
}

/**
 * The identifier at `character` of a line (any line: C source, a diff line with its +/- marker, a
 * quoted "> +" line of a reply). Returns null when the position is not on an identifier.
 */
export function symbolAt(lineText: string, character: number): SymbolAtPosition | null {
  const bounds = wordBounds(lineText, character);
  if (!bounds) return null;
  const [start, end] = bounds;
  const word = lineText.slice(start, end);
  const q = qualifierBefore(lineText, start);
  return q ? { word, qualifier: q.name, start: q.start, end } : { word, start, end };
}

/** The knowledge entry at a position, with the range of text it covers. */
export function knowledgeAt(
  lineText: string,
  character: number,
): { entry: KnowledgeEntry; start: number; end: number } | null {
  const sym = symbolAt(lineText, character);
  if (!sym) return null;
  if (sym.qualifier) {
    const qualified = lookupSymbol(`${sym.qualifier}->${sym.word}`);
    if (qualified) return { entry: qualified, start: sym.start, end: sym.end };
  } else {
    // On the qualifier itself ("zdev" of zdev->vfn): use the qualified row when there is one.
    const member = memberAfter(lineText, sym.end);
    const qualified = member && lookupSymbol(`${sym.word}->${member.name}`);
    if (qualified && member) return { entry: qualified, start: sym.start, end: member.end };
  }
  const entry = lookupSymbol(sym.word);
  if (!entry) return null;
  const wordStart = sym.end - sym.word.length;
  return { entry, start: wordStart, end: sym.end };
}

/** Every knowledge entry named in a C expression, in order of first appearance (operand meanings). */
export function entriesInExpression(expression: string): KnowledgeEntry[] {
  const seen = new Set<KnowledgeEntry>();
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = re.exec(expression); m; m = re.exec(expression)) {
    const found = knowledgeAt(expression, m.index);
    if (found) seen.add(found.entry);
  }
  return [...seen];
}

/** The hover text of an entry, as Markdown. */
export function hoverMarkdown(entry: KnowledgeEntry): string {
  const parts = [`**${entry.name}** \u2014 ${entry.kind}`, '', entry.summary, '', entry.details];
  if (entry.aliases?.length)
    parts.push('', `Also spelled: ${entry.aliases.map((a) => `\`${a}\``).join(', ')}`);
  if (entry.bits?.length) {
    parts.push('', '| kernel | bit | note |', '|---|---|---|');
    for (const b of entry.bits) {
      const bit = b.bit === null ? '\u2014' : `${b.bit} (0x${(1 << b.bit).toString(16)})`;
      parts.push(`| ${b.kernel} | ${bit} | ${b.note ?? ''} |`);
    }
  }
  if (entry.trap) parts.push('', `**Trap:** ${entry.trap}`);
  if (entry.commit) parts.push('', `*Source:* ${entry.commit}`);
  return parts.join('\n');
}
