/**
 * The state diagram (SVG): the union of the states reachable under both kernel sides, laid out in
 * breadth-first columns from the initial state; edges present under one side only are marked.
 */
import type { StateEdge, StatesResult } from '../../server/src/lsp/protocol';
import { h, s } from './dom';

const COL = 230;
const ROW = 64;
const NODE_W = 190;
const NODE_H = 40;

type Side = 'both' | 'a' | 'b';

export interface StatesRendering {
  element: HTMLElement;
  rows: number;
  differing: number;
}

const edgeKey = (e: StateEdge): string => `${e.from}\u0000${e.step}\u0000${e.to}\u0000${e.outcome ?? ''}`;

export function renderStates(
  labels: [string, string | null],
  a: StatesResult,
  b: StatesResult | null,
  derived: boolean,
): StatesRendering {
  const nodes = new Map(a.states.map((n) => [n.id, n]));
  for (const n of b?.states ?? []) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const edges = new Map<string, { edge: StateEdge; side: Side }>();
  for (const e of a.edges) edges.set(edgeKey(e), { edge: e, side: b ? 'a' : 'both' });
  for (const e of b?.edges ?? []) {
    const k = edgeKey(e);
    const seen = edges.get(k);
    edges.set(k, { edge: e, side: seen ? 'both' : 'b' });
  }
  // breadth-first columns from the initial state
  const column = new Map<string, number>([[a.initial, 0]]);
  const queue = [a.initial];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const { edge } of edges.values()) {
      if (edge.from === id && !column.has(edge.to)) {
        column.set(edge.to, (column.get(id) ?? 0) + 1);
        queue.push(edge.to);
      }
    }
  }
  for (const id of nodes.keys()) if (!column.has(id)) column.set(id, 0);
  const perColumn = new Map<number, string[]>();
  for (const [id, c] of column) perColumn.set(c, [...(perColumn.get(c) ?? []), id]);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [c, ids] of perColumn) ids.forEach((id, i) => pos.set(id, { x: 20 + c * COL, y: 40 + i * ROW }));
  const width = 40 + (Math.max(...perColumn.keys()) + 1) * COL;
  const height = 60 + Math.max(...[...perColumn.values()].map((v) => v.length)) * ROW;

  const svg = s('svg', { class: 'states', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  svg.append(s('title', {}, `Reachable states of ${a.device}`));
  const defs = s('defs', {});
  for (const side of ['both', 'a', 'b']) {
    defs.append(
      s(
        'marker',
        {
          id: `arrow-${side}`,
          viewBox: '0 0 10 10',
          refX: 10,
          refY: 5,
          markerWidth: 6,
          markerHeight: 6,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrow-${side}` }),
      ),
    );
  }
  svg.append(defs);
  let differing = 0;
  for (const { edge, side } of edges.values()) {
    if (side !== 'both') differing++;
    const p = pos.get(edge.from);
    const q = pos.get(edge.to);
    if (!p || !q) continue;
    const label = `${edge.step}${edge.outcome ? ` → ${edge.outcome}` : ''}${edge.restore && edge.restore !== 'none' ? ` (restore ${edge.restore})` : ''}`;
    let d: string;
    if (edge.from === edge.to) {
      d = `M ${p.x + 40} ${p.y} C ${p.x + 40} ${p.y - 30}, ${p.x + 90} ${p.y - 30}, ${p.x + 90} ${p.y}`;
    } else {
      const x1 = p.x + NODE_W;
      const y1 = p.y + NODE_H / 2;
      const x2 = q.x;
      const y2 = q.y + NODE_H / 2;
      const bend = q.x <= p.x ? 60 : 0;
      d = `M ${x1} ${y1} C ${x1 + 40} ${y1 + bend}, ${x2 - 40} ${y2 + bend}, ${x2} ${y2}`;
    }
    svg.append(
      s(
        'path',
        { d, class: `edge edge-${side}`, 'marker-end': `url(#arrow-${side})`, 'data-side': side },
        s('title', {}, `${label} [${sideName(side, labels)}]`),
      ),
    );
  }
  for (const [id, n] of nodes) {
    const p = pos.get(id);
    if (!p) continue;
    const short = n.label.length > 30 ? n.label.slice(0, 29) + '…' : n.label;
    svg.append(
      s(
        'g',
        { class: id === a.initial ? 'node initial' : 'node', transform: `translate(${p.x},${p.y})` },
        s('title', {}, id),
        s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
        s('text', { x: 8, y: 24 }, short),
      ),
    );
  }
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'swatch edge-both' }, 'both'),
    b ? h('span', { class: 'swatch edge-a' }, `only ${labels[0]}`) : null,
    b ? h('span', { class: 'swatch edge-b' }, `only ${labels[1]}`) : null,
  );
  const caption = `${nodes.size} states, ${edges.size} transitions of ${a.device}${b ? `; ${differing} transitions differ` : ''}${derived ? ' (states visited by the preset scripts and the last run; the server did not explore)' : ''}${a.truncated || b?.truncated ? ' (exploration bounded)' : ''}`;
  const figure = h('figure', { class: 'states-figure' }, svg, h('figcaption', {}, caption), legend);
  return { element: figure, rows: nodes.size, differing };
}

function sideName(side: Side, labels: [string, string | null]): string {
  return side === 'both' ? 'both' : side === 'a' ? `only ${labels[0]}` : `only ${labels[1]}`;
}
