/**
 * Function-like macros a patch defines (e.g. v3's `dev_is_vf(d)`), expanded in decision
 * expressions so the model sees the fields they test; and the kernel's accessors that only
 * re-spell the same device (`to_pci_dev(&pdev->dev)` is `pdev`).
 * Expansion is a walk over identifier tokens: nothing of the document is compiled into a
 * regular expression, and the text never grows past MAX_EXPANDED_LENGTH.
 */
export interface MacroDef {
  name: string;
  params: string[];
  body: string;
}

import { isSpaceCode, isWordCode } from './chars';

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * Reads `#define NAME(a, b) body` (continuation lines already joined). A parameter list that is
 * not C identifiers (`(`, `[`, `*` in it: a fragment tree-sitter could not read) is no macro
 * the model can expand: undefined, as for text that is no #define.
 */
export function parseMacro(text: string): MacroDef | undefined {
  const m = /^\s*#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)\s*(.*)$/s.exec(text.replace(/\\\s*\n/g, ' '));
  if (!m) return undefined;
  const params = m[2]
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!params.every((p) => IDENTIFIER.test(p))) return undefined;
  return { name: m[1], params, body: m[3].trim() };
}

/** Splits a call's argument text at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === OPEN || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const OPEN = 40;
const CLOSE = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/** Finds the closing parenthesis matching the one at `open`. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i;
  }
  return -1;
}

/**
 * The next call of `name` at or after `from`: `name` as a whole identifier, then spaces, then
 * `(`. Returns the name's start and the parenthesis, or undefined.
 */
function findCall(s: string, name: string, from: number): { at: number; open: number } | undefined {
  for (let at = s.indexOf(name, from); at >= 0; at = s.indexOf(name, at + 1)) {
    if (at > 0 && isWordCode(s.charCodeAt(at - 1))) continue;
    let k = at + name.length;
    if (k < s.length && isWordCode(s.charCodeAt(k))) continue;
    while (k < s.length && isSpaceCode(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === OPEN) return { at, open: k };
  }
  return undefined;
}

/**
 * The macro's body with every parameter (a whole identifier) replaced by `(argument)`, or
 * undefined when that would be longer than `room` characters.
 */
function substitute(m: MacroDef, args: string[], room: number): string | undefined {
  const body = m.body;
  if (m.params.length === 0) return body.length <= room ? body : undefined;
  const index = new Map(m.params.map((p, i) => [p, i]));
  const parts: string[] = [];
  let length = 0;
  let copied = 0;
  for (let i = 0; i < body.length;) {
    if (!isWordCode(body.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < body.length && isWordCode(body.charCodeAt(j))) j++;
    const k = index.get(body.slice(i, j));
    if (k !== undefined) {
      const arg = `(${args[k] ?? ''})`;
      parts.push(body.slice(copied, i), arg);
      length += i - copied + arg.length;
      if (length > room) return undefined;
      copied = j;
    }
    i = j;
  }
  parts.push(body.slice(copied));
  length += body.length - copied;
  return length <= room ? parts.join('') : undefined;
}

/** Accessors normaliseAccessors() reads itself; a patch's own definition of them is not expanded. */
const ACCESSORS = new Set(['to_pci_dev', 'dev_is_pci']);
/** Bounds on expansion: a self-referring macro must not grow the text without end. */
const MAX_EXPANSIONS = 64;
/** No expansion makes the text longer than this; one that would is not made (the call stays). */
export const MAX_EXPANDED_LENGTH = 4096;

/**
 * Expands the given macros (repeatedly, up to a small depth) and the device accessors. The
 * result is at most max(text.length, MAX_EXPANDED_LENGTH) characters long.
 */
export function expandMacros(text: string, macros: MacroDef[]): string {
  const limit = Math.max(text.length, MAX_EXPANDED_LENGTH);
  let out = text;
  let expansions = 0;
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const m of macros) {
      if (ACCESSORS.has(m.name) || !IDENTIFIER.test(m.name)) continue;
      for (let call = findCall(out, m.name, 0); call; call = findCall(out, m.name, call.at + 1)) {
        const close = matchParen(out, call.open);
        if (close < 0) break;
        const room = limit - (out.length - (close + 1 - call.at)) - 2;
        const body = substitute(m, splitArgs(out.slice(call.open + 1, close)), room);
        if (body === undefined) return normaliseAccessors(out);
        out = out.slice(0, call.at) + `(${body})` + out.slice(close + 1);
        changed = true;
        if (++expansions >= MAX_EXPANSIONS) return normaliseAccessors(out);
      }
    }
    if (!changed) break;
  }
  return normaliseAccessors(out);
}

/** `to_pci_dev(&pdev->dev)` -> `pdev`; `dev_is_pci(...)` -> `1` (every device vfio-pci sees is PCI). */
export function normaliseAccessors(text: string): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    const before = out;
    out = out
      .replace(/to_pci_dev\s*\(\s*\(?\s*&\s*\(?\s*([A-Za-z_][\w>-]*?)\s*->\s*dev\s*\)?\s*\)?\s*\)/g, '$1')
      .replace(/dev_is_pci\s*\(\s*\(?[^()]*\)?\s*\)/g, '1')
      .replace(/\(\s*([A-Za-z_]\w*)\s*\)\s*->/g, '$1->');
    if (out === before) break;
  }
  return out;
}
