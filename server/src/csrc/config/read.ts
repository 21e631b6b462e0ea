/**
 * Reading a patch's hunks for the config-space model: every side parsed once, the init-function
 * bindings gathered patch-wide, the recognisers of the hunk's file run, the facts turned into
 * changes, and every changed line no fact explains classified (residue.ts), so each one ends in
 * a change: the model slot it changes, "no behaviour change" with the reason, or "not modelled:
 * <function> in <file>".
 */
import { PCI_CONFIG_CONSTANTS } from '../../model/vfio/config';
import { changesFromFacts } from './changes';
import type { ReadContext } from './context';
import { initBindings } from './permTables';
import { RECOGNISERS, UNMODELLED } from './recognisers';
import { declaredName, effectClass, residue, sameStatement, type ResidueItem } from './residue';
import { ancestors } from '../fragment';
import { nodes, parseSide, type Side } from './side';
import type { ChangePlace, ConfigChange, HunkImages, SideFacts } from './types';
import { constantOf, sameValue } from './values';

const C_FILE = /\.[ch]$/;

export interface ConfigPatchReading {
  hunks: readonly HunkImages[];
  /** Set when the budget stopped the reading: the hunks from this index on were not read. */
  cutAt?: number;
  /** The facts of every side (pre and post of each hunk), for baseline detection. */
  sides: SideFacts[];
  changes: ConfigChange[];
}

interface ParsedSide {
  facts: SideFacts;
  side: Side;
}

const placeOf = (p: ParsedSide, lines: number[]): ChangePlace => ({
  hunk: p.facts.hunk,
  side: p.facts.side,
  lines,
});

/**
 * Reads the hunks; `stop` (the budget) is asked before each hunk is parsed and before each side is
 * recognised: where it says stop, the hunks from there on are left out (`cutAt`), so what was read
 * is still turned into changes.
 */
export function readConfigPatch(
  hunks: readonly HunkImages[],
  stop: () => boolean = () => false,
): ConfigPatchReading {
  const parsed: ParsedSide[] = [];
  const changes: ConfigChange[] = [];
  let cutAt: number | undefined;
  try {
    hunks.forEach((h, hunk) => {
      if (cutAt === undefined && stop()) cutAt = hunk;
      if (cutAt !== undefined) return;
      if (!C_FILE.test(h.file)) {
        const lines = (img: typeof h.pre) => img.flatMap((l, i) => (l.changed ? [i] : []));
        const places = [
          { hunk, side: 'pre' as const, lines: lines(h.pre) },
          { hunk, side: 'post' as const, lines: lines(h.post) },
        ].filter((p) => p.lines.length);
        if (places.length)
          changes.push({
            kind: 'not-modelled',
            file: h.file,
            places,
            edits: [],
            message: `not modelled: ${h.file} is not C source`,
          });
        return;
      }
      for (const side of ['pre', 'post'] as const) {
        const image = h[side];
        parsed.push({ facts: { hunk, side, image, facts: [] }, side: parseSide(h, image) });
      }
    });
    const bindings = new Map<string, string>();
    for (const p of parsed) {
      const ctx: ReadContext = { side: p.side, hunk: hunks[p.facts.hunk], bindings, facts: [] };
      for (const [fn, cap] of initBindings(ctx))
        if (p.facts.side === 'post' || !bindings.has(fn)) bindings.set(fn, cap);
    }
    for (const p of parsed) {
      if (cutAt === undefined && stop()) cutAt = p.facts.hunk;
      if (cutAt !== undefined && p.facts.hunk >= cutAt) break;
      const h = hunks[p.facts.hunk];
      const ctx: ReadContext = { side: p.side, hunk: h, bindings, facts: p.facts.facts };
      for (const r of RECOGNISERS) if (r.file.test(h.file)) r.read(ctx);
    }
    // what was read (a cut leaves out the sides from its hunk on)
    const read = cutAt === undefined ? parsed : parsed.filter((p) => p.facts.hunk < cutAt!);
    const fromFacts = changesFromFacts(
      read.map((p) => p.facts),
      hunks.map((h) => h.file),
    );
    changes.push(...fromFacts.changes);
    const rest = residueChanges(read, fromFacts.covered, hunks);
    changes.push(...rest.changes);
    attachBlankLines(changes, rest.blank, hunks);
    changes.sort((a, b) => order(a) - order(b));
    return { hunks, sides: read.map((p) => p.facts), changes, ...(cutAt !== undefined ? { cutAt } : {}) };
  } finally {
    for (const p of parsed) p.side.dispose();
  }
}

const order = (c: ConfigChange) => {
  const p = c.places[0];
  return p ? p.hunk * 1e6 + (p.side === 'post' ? 5e5 : 0) + (p.lines[0] ?? 0) : 0;
};

interface Item extends ResidueItem {
  at: ParsedSide;
}

/** Blank lines join the change next to them on their side; alone, they are their own change. */
function attachBlankLines(changes: ConfigChange[], blank: Item[], hunks: readonly HunkImages[]): void {
  let left = blank;
  for (let progress = true; progress && left.length;) {
    progress = false;
    const still: Item[] = [];
    for (const b of left) {
      const [line] = b.lines;
      const { hunk, side } = b.at.facts;
      const near = (p: ChangePlace) =>
        p.hunk === hunk && p.side === side && (p.lines.includes(line - 1) || p.lines.includes(line + 1));
      const place = changes.flatMap((c) => c.places).find(near);
      if (place) {
        place.lines = [...place.lines, line].sort((x, y) => x - y);
        progress = true;
      } else still.push(b);
    }
    left = still;
  }
  for (const b of left)
    changes.push({
      kind: 'no-behaviour-change',
      file: hunks[b.at.facts.hunk].file,
      function: b.function,
      places: [placeOf(b.at, b.lines)],
      edits: [],
      message: 'no behaviour change: blank lines',
    });
}

function residueChanges(
  parsed: ParsedSide[],
  covered: Set<number>[],
  hunks: readonly HunkImages[],
): { changes: ConfigChange[]; blank: Item[] } {
  const items: Item[] = parsed.flatMap((p, i) => residue(p.side, covered[i]).map((r) => ({ ...r, at: p })));
  const out: ConfigChange[] = [];
  const file = (it: Item) => hunks[it.at.facts.hunk].file;
  const nbc = (its: Item[], message: string) =>
    out.push({
      kind: 'no-behaviour-change',
      file: file(its[0]),
      function: its[0].function,
      places: its.map((i) => placeOf(i.at, i.lines)),
      edits: [],
      message,
    });
  const byClass = (cls: ResidueItem['cls']) => items.filter((i) => i.cls === cls);
  const perSide = (its: Item[]) =>
    [...new Set(its.map((i) => i.at))].map((at) => its.filter((i) => i.at === at));
  for (const g of perSide(byClass('comment'))) nbc(g, 'no behaviour change: comment text only');
  for (const g of perSide(byClass('include')))
    nbc(g, `no behaviour change: #include lines (${g.map((i) => i.text).join(', ')})`);
  for (const g of perSide(byClass('include-guard'))) nbc(g, 'no behaviour change: include guard lines');
  const perFunction = (its: Item[]) =>
    perSide(its).flatMap((g) =>
      [...new Set(g.map((i) => i.function))].map((fn) => g.filter((i) => i.function === fn)),
    );
  const listed = (g: Item[]) =>
    g
      .slice(0, 3)
      .map((i) => `\`${i.text.slice(0, 70)}\``)
      .join(', ') + (g.length > 3 ? ` and ${g.length - 3} more` : '');
  for (const g of perFunction(byClass('log'))) nbc(g, `no behaviour change: log or WARN only (${listed(g)})`);
  out.push(...macroChanges(byClass('macro'), file));
  const code = byClass('code');
  const keyOf = (c: Item) => `${file(c)}\u0000${c.function ?? ''}`;
  // a release is no change where nothing else of its function changed (moved, it can leak or free twice)
  const releases = byClass('release');
  const withCode = new Set(code.map(keyOf));
  for (const g of perFunction(releases.filter((r) => !withCode.has(keyOf(r)))))
    nbc(g, `no behaviour change: memory release only (${listed(g)})`);
  code.push(...releases.filter((r) => withCode.has(keyOf(r))));
  for (const i of byClass('declaration')) {
    const why = declarationUse(i, parsed);
    if (why) nbc([i], `no behaviour change: ${i.function ?? 'a table'} is ${why}`);
    else code.push({ ...i, cls: 'code' });
  }
  // the same statement on both sides, spelled differently
  const paired = new Set<Item>();
  const pairs: [Item, Item][] = [];
  for (const a of code.filter((c) => c.at.facts.side === 'pre' && c.node)) {
    const b = code.find(
      (c) =>
        !paired.has(c) &&
        c.at.facts.side === 'post' &&
        c.node &&
        c.function === a.function &&
        file(c) === file(a) &&
        sameStatement(a.node!, c.node!).same,
    );
    if (!b) continue;
    paired.add(a).add(b);
    pairs.push([a, b]);
  }
  // a re-spelled statement is no change only where nothing else of its function changed
  const unpaired = new Set(
    code.filter((c) => !paired.has(c)).map((c) => `${file(c)}\u0000${c.function ?? ''}`),
  );
  for (const [a, b] of pairs) {
    if (unpaired.has(`${file(a)}\u0000${a.function ?? ''}`)) {
      paired.delete(a);
      paired.delete(b);
    } else
      nbc(
        [a, b],
        `no behaviour change: ${sameStatement(a.node!, b.node!).detail} (\`${a.text}\` → \`${b.text}\`)`,
      );
  }
  const groups = new Map<string, Item[]>();
  for (const c of code.filter((x) => !paired.has(x))) {
    const g = groups.get(keyOf(c));
    if (g) g.push(c);
    else groups.set(keyOf(c), [c]);
  }
  for (const g of groups.values()) {
    const fn = functionNameOf(g[0].function);
    const where = fn ? `${fn} in ${file(g[0])}` : `top-level code in ${file(g[0])}`;
    const reason = fn && UNMODELLED[fn] ? ` (${UNMODELLED[fn]})` : '';
    out.push({
      kind: 'not-modelled',
      file: file(g[0]),
      function: fn,
      places: g.map((i) => placeOf(i.at, i.lines)),
      edits: [],
      message: `not modelled: ${where}${reason}: ${listed(g)}`,
    });
  }
  return { changes: out, blank: byClass('blank') };
}

/** A table or object used, in the patch's lines, only to decide whether to log. */
function declarationUse(item: Item, parsed: ParsedSide[]): string | undefined {
  const name = item.node ? declaredName(item.node) : undefined;
  if (!name) return undefined;
  const uses = parsed
    .filter((p) => p.facts.side === item.at.facts.side)
    .flatMap((p) =>
      nodes(p.side.root, ['identifier']).filter(
        (n) =>
          n.text === name &&
          !(p === item.at && item.node!.startIndex <= n.startIndex && n.endIndex <= item.node!.endIndex),
      ),
    );
  if (!uses.length) return undefined;
  const logOnly = uses.every((u) =>
    ancestors(u).some((a) => a.type !== 'function_definition' && effectClass(a) === 'log'),
  );
  return logOnly
    ? `used only to decide whether to log (${uses.length} use${uses.length > 1 ? 's' : ''})`
    : undefined;
}

/** #define lines: removed, added, or changed in value (PCI_*_CAP_ID_MAX is the model's table bound). */
function macroChanges(items: Item[], file: (i: Item) => string): ConfigChange[] {
  const out: ConfigChange[] = [];
  const names = [...new Set(items.map((i) => i.macro!.name))];
  for (const name of names) {
    const pre = items.find((i) => i.macro!.name === name && i.at.facts.side === 'pre');
    const post = items.find((i) => i.macro!.name === name && i.at.facts.side === 'post');
    const its = [pre, post].filter((i): i is Item => !!i);
    const places = its.map((i) => placeOf(i.at, i.lines));
    const base = { file: file(its[0]), places, edits: [], target: `#define ${name}` };
    const value = post?.macro!.value;
    const known = PCI_CONFIG_CONSTANTS[name];
    if (!post) {
      out.push({
        ...base,
        kind: 'no-behaviour-change',
        before: pre!.macro!.value,
        message: `no behaviour change: #define ${name} removed (a remaining use would not compile)`,
      });
    } else if (value === null || value === undefined) {
      out.push({
        ...base,
        kind: 'not-modelled',
        message: `not modelled: the function-like macro ${name} in ${file(post)}`,
      });
    } else if (name === 'PCI_CAP_ID_MAX' || name === 'PCI_EXT_CAP_ID_MAX') {
      const v = constantOf(value);
      if (v === undefined)
        out.push({
          ...base,
          kind: 'not-modelled',
          message: `not modelled: ${name} = ${value} is not a value the model knows`,
        });
      else
        out.push({
          ...base,
          kind: 'model',
          before: pre?.macro!.value,
          after: value,
          edits: [
            { kind: 'id-max', space: name === 'PCI_CAP_ID_MAX' ? 'std' : 'ext', value: v, atLeast: false },
          ],
          message: `${name}: ${pre?.macro!.value ?? '(not shown)'} → ${value} (0x${v.toString(16)})`,
        });
    } else if (pre && sameValue(pre.macro!.value ?? '', value).same) {
      out.push({
        ...base,
        kind: 'no-behaviour-change',
        message: `no behaviour change: #define ${name} keeps its value`,
      });
    } else if (known !== undefined) {
      const v = constantOf(value);
      const same = v === known;
      out.push({
        ...base,
        kind: same ? 'no-behaviour-change' : 'not-modelled',
        message: same
          ? `no behaviour change: #define ${name} ${value} is the value the model uses`
          : `not modelled: #define ${name} ${value} differs from the model's value 0x${known.toString(16)}`,
      });
    } else if (!pre) {
      out.push({
        ...base,
        kind: 'no-behaviour-change',
        message: `no behaviour change by itself: #define ${name} added (its uses are read where they appear)`,
      });
    } else {
      out.push({
        ...base,
        kind: 'not-modelled',
        message: `not modelled: #define ${name} changes value in ${file(post)}`,
      });
    }
  }
  return out;
}

/** Words a fragment without its context can take for a function's name: C keywords. */
const NOT_FUNCTIONS = new Set([
  'if',
  'else',
  'for',
  'while',
  'do',
  'switch',
  'case',
  'return',
  'sizeof',
  'goto',
]);

/**
 * The function a change is in, as a message names it: a keyword, or an all-capitals macro a
 * hunk's fragment was read as (EXPORT_SYMBOL_GPL), is top-level code, not a function.
 */
function functionNameOf(name: string | undefined): string | undefined {
  if (name === undefined || NOT_FUNCTIONS.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) return undefined;
  return name;
}
