/**
 * The items of one function (or one header) on both sides of a patch, with their hunks, and the
 * helpers the per-role readers share: the guards above an item, the place of a change, and one
 * change per hunk for the statements of a function the model does not place.
 */
import { fold } from './cForm';
import type { ReadItem } from './reader';
import type { ZpciChange, ZpciPlace } from './types';

export interface SideItem {
  hunk: number;
  itemIndex: number;
  item: ReadItem;
}

export interface FunctionSides {
  file: string;
  fn: string;
  pre: SideItem[];
  post: SideItem[];
  /** All items of each hunk side (parents are indices into these). */
  hunkItems: (side: 'pre' | 'post', hunk: number) => ReadItem[];
}

export function placeOf(
  sides: FunctionSides,
  pre: readonly SideItem[],
  post: readonly SideItem[],
): ZpciPlace {
  const hunk = pre[0]?.hunk ?? post[0]?.hunk ?? 0;
  return {
    hunk,
    file: sides.file,
    function: sides.fn,
    preLines: [...new Set(pre.filter((s) => s.hunk === hunk).flatMap((s) => s.item.lines))].sort(
      (a, b) => a - b,
    ),
    postLines: [...new Set(post.filter((s) => s.hunk === hunk).flatMap((s) => s.item.lines))].sort(
      (a, b) => a - b,
    ),
  };
}

/** The conditions of the guards (ifs without else) above an item, outermost first. */
export function guardsAbove(sides: FunctionSides, side: 'pre' | 'post', s: SideItem): string[] {
  const items = sides.hunkItems(side, s.hunk);
  const out: string[] = [];
  for (let p = s.item.parent, n = 0; p >= 0 && n < 64; p = items[p].parent, n++) {
    const it = items[p];
    if (it.kind === 'guard') out.unshift(it.condition);
  }
  return out;
}

/** The nearest case item above an item (a switch case or an if/else arm), if any. */
export function caseAbove(sides: FunctionSides, side: 'pre' | 'post', s: SideItem): ReadItem | undefined {
  const items = sides.hunkItems(side, s.hunk);
  for (let p = s.item.parent, n = 0; p >= 0 && n < 64; p = items[p].parent, n++)
    if (items[p].kind === 'case') return items[p];
  return undefined;
}

/** Calls that do one job under two names (QEMU's move to the Resettable API). */
const SAME_JOB: readonly [RegExp, string][] = [
  [/\b(device_legacy_reset|device_cold_reset)\(/g, 'device_reset('],
];

function sameJob(text: string): string {
  let t = text;
  for (const [re, to] of SAME_JOB) t = t.replace(re, to);
  return t;
}

/** Touched items that say nothing the model reads (comments, tracing, declarations, braces). */
export function isNeutral(item: ReadItem): boolean {
  return item.kind === 'neutral' || item.kind === 'function' || item.kind === 'label';
}

/**
 * One change per hunk for touched items no reader of this role placed: "not modelled" with what
 * they are, or "none" when every one of them is neutral (a comment, tracing, a declaration).
 */
export function leftovers(
  sides: FunctionSides,
  left: { pre: SideItem[]; post: SideItem[] },
  why: string,
): ZpciChange[] {
  const groups = [...new Set([...left.pre, ...left.post].map((s) => `${s.hunk}\u0000${s.item.fn}`))];
  const out: ZpciChange[] = [];
  for (const g of groups) {
    const [hs, fn] = g.split('\u0000');
    const h = Number(hs);
    let pre = left.pre.filter((s) => s.hunk === h && s.item.fn === fn && s.item.touched);
    let post = left.post.filter((s) => s.hunk === h && s.item.fn === fn && s.item.touched);
    // A statement removed and added again with other whitespace only (a line wrapped), or with a
    // call QEMU renamed for the same job (device_legacy_reset -> device_cold_reset), is no change.
    const squash = (s: SideItem) => `${s.item.kind}|${sameJob(s.item.text.replace(/\s+/g, ''))}`;
    const rewrapped = pre.filter((a) => post.some((b) => squash(a) === squash(b)));
    if (rewrapped.length) {
      const keys = new Set(rewrapped.map(squash));
      out.push({
        place: {
          ...placeOf(
            sides,
            rewrapped,
            post.filter((b) => keys.has(squash(b))),
          ),
          function: fn || sides.fn,
        },
        target: {
          kind: 'none',
          reason: 'the same statements, rewrapped or with a call renamed for the same job',
        },
        key: `${fn || sides.fn || sides.file}: same statements`,
        change: 'none',
        message: `${fn || sides.fn || sides.file}: ${rewrapped.length} statement(s) rewrapped or renamed (device_legacy_reset -> device_cold_reset), doing what they did`,
        edits: [],
      });
      pre = pre.filter((a) => !keys.has(squash(a)));
      post = post.filter((b) => !keys.has(squash(b)));
    }
    if (!pre.length && !post.length) continue;
    const all = [...pre, ...post];
    const place = { ...placeOf(sides, pre, post), function: fn || sides.fn };
    const name = fn || sides.fn;
    if (all.every((s) => isNeutral(s.item))) {
      const kinds = [...new Set(all.map((s) => (s.item.kind === 'neutral' ? s.item.why : s.item.kind)))];
      out.push({
        place,
        target: { kind: 'none', reason: kinds.join(', ') },
        key: `${name || sides.file}: ${kinds.join(', ')}`,
        change: 'none',
        message: `${name ? `${name} (${sides.file})` : sides.file}: only ${kinds.join(', ')} changed`,
        edits: [],
      });
      continue;
    }
    const what = all
      .filter((s) => !isNeutral(s.item))
      .map((s) => fold(s.item.text).slice(0, 70))
      .slice(0, 3);
    const key = `not modelled: ${name || '(top level)'} in ${sides.file}`;
    out.push({
      place,
      target: { kind: 'not-modelled', reason: why },
      key,
      change: 'not-modelled',
      message: `${key}: ${why} (${what.join('; ')}${all.length > 3 ? '; ...' : ''})`,
      edits: [],
    });
  }
  return out;
}

/** The guard and case items above an item (in its hunk), innermost first. */
export function containersAbove(sides: FunctionSides, side: 'pre' | 'post', s: SideItem): SideItem[] {
  const items = sides.hunkItems(side, s.hunk);
  const out: SideItem[] = [];
  for (let p = s.item.parent, n = 0; p >= 0 && n < 64; p = items[p].parent, n++)
    if (items[p].kind === 'guard' || items[p].kind === 'case')
      out.push({ hunk: s.hunk, itemIndex: p, item: items[p] });
  return out;
}

/** The items of a side as found in `sides` (same object), for the given hunk indices. */
export function sameItems(
  sides: FunctionSides,
  side: 'pre' | 'post',
  found: readonly SideItem[],
): SideItem[] {
  return sides[side].filter((s) => found.some((f) => f.hunk === s.hunk && f.itemIndex === s.itemIndex));
}
