/**
 * Function-like macros a patch defines (e.g. v3's `dev_is_vf(d)`), expanded in decision
 * expressions so the model sees the fields they test; and the kernel's accessors that only
 * re-spell the same device (`to_pci_dev(&pdev->dev)` is `pdev`).
 */
export interface MacroDef {
  name: string;
  params: string[];
  body: string;
}

/** Reads `#define NAME(a, b) body` (continuation lines already joined). */
export function parseMacro(text: string): MacroDef | undefined {
  const m = /^\s*#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)\s*(.*)$/s.exec(text.replace(/\\\s*\n/g, ' '));
  if (!m) return undefined;
  const params = m[2]
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return { name: m[1], params, body: m[3].trim() };
}

/** Splits a call's argument text at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Finds the closing parenthesis matching the one at `open`. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Expands the given macros (repeatedly, up to a small depth) and the device accessors. */
/** Accessors normaliseAccessors() reads itself; a patch's own definition of them is not expanded. */
const ACCESSORS = new Set(['to_pci_dev', 'dev_is_pci']);
/** Bounds on expansion: a self-referring macro must not grow the text without end. */
const MAX_EXPANSIONS = 64;
const MAX_LENGTH = 4096;

export function expandMacros(text: string, macros: MacroDef[]): string {
  let out = text;
  let expansions = 0;
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const m of macros) {
      if (ACCESSORS.has(m.name)) continue;
      const re = new RegExp(`\\b${m.name}\\s*\\(`, 'g');
      let match: RegExpExecArray | null;
      while ((match = re.exec(out))) {
        const open = match.index + match[0].length - 1;
        const close = matchParen(out, open);
        if (close < 0) break;
        const args = splitArgs(out.slice(open + 1, close));
        let body = m.body;
        m.params.forEach((p, i) => {
          body = body.replace(new RegExp(`\\b${p}\\b`, 'g'), `(${args[i] ?? ''})`);
        });
        out = out.slice(0, match.index) + `(${body})` + out.slice(close + 1);
        changed = true;
        if (++expansions >= MAX_EXPANSIONS || out.length > MAX_LENGTH) return normaliseAccessors(out);
        re.lastIndex = match.index + 1;
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
