/**
 * Making one side of a hunk readable by tree-sitter-c without moving a line or a column, for what
 * the shared fragment wrapper (csrc/fragment.ts) does not cover in QEMU's zPCI code:
 *  - an `else` after a `}` that closes a block opened before the hunk (`} else if (pcias == 15) {`
 *    at a hunk's start) is blanked, so the `if` after it reads as a statement, not as garbage;
 *  - GNU case ranges (`case ZPCI_IO_BAR_MIN...ZPCI_IO_BAR_MAX:`) lose their upper bound, which is
 *    kept aside by line and read back by the reader.
 */

export interface PreparedLines {
  lines: string[];
  /** Line index -> the upper bound of the case range on that line. */
  caseRangeEnds: Map<number, string>;
  /** Line indices where a dangling `else` was blanked (the `if` there continues a chain cut above). */
  danglingElse: Set<number>;
}

const CASE_RANGE = /\bcase\s+([A-Za-z_0-9]+)\s*(\.\.\.)\s*([A-Za-z_0-9]+)\s*:/;

/** Blanks `else` tokens that follow a `}` closing a block opened before the fragment. */
function blankDanglingElses(lines: string[], out: Set<number>): void {
  let depth = 0;
  let minDepth = 0;
  let inComment = false;
  let pendingDangling = false;
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li];
    let inString: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inComment) {
        if (c === '*' && line[i + 1] === '/') {
          inComment = false;
          i++;
        }
        continue;
      }
      if (inString) {
        if (c === '\\') i++;
        else if (c === inString) inString = null;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '/' && line[i + 1] === '*') {
        inComment = true;
        i++;
        continue;
      }
      if (c === '/' && line[i + 1] === '/') break;
      if (pendingDangling && line.startsWith('else', i) && !/\w/.test(line[i + 4] ?? '')) {
        line = line.slice(0, i) + '    ' + line.slice(i + 4);
        lines[li] = line;
        out.add(li);
        pendingDangling = false;
        i += 3;
        continue;
      }
      pendingDangling = false;
      if (c === '"' || c === "'") inString = c;
      else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth < minDepth) {
          minDepth = depth;
          pendingDangling = true;
        }
      }
    }
  }
}

export function prepareLines(raw: readonly string[]): PreparedLines {
  const lines = [...raw];
  const caseRangeEnds = new Map<number, string>();
  for (let i = 0; i < lines.length; i++) {
    const m = CASE_RANGE.exec(lines[i]);
    if (!m || m.index === undefined) continue;
    const dots = lines[i].indexOf('...', m.index);
    const colon = lines[i].indexOf(':', dots);
    caseRangeEnds.set(i, m[3]);
    lines[i] = lines[i].slice(0, dots) + ' '.repeat(colon - dots) + lines[i].slice(colon);
  }
  const danglingElse = new Set<number>();
  blankDanglingElses(lines, danglingElse);
  return { lines, caseRangeEnds, danglingElse };
}
