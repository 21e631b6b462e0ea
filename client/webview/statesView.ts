/**
 * The state diagram (SVG): the union of the states reachable under both kernel sides, laid out in
 * breadth-first columns from the initial state; transitions present under one side only are
 * marked. Parallel transitions between two states are drawn as one arrow (its tooltip lists the
 * steps, its label the first of them). "Only transitions that differ" (the default when two sides
 * differ) keeps the initial state, the differing transitions and the states they touch, in the
 * same places; a table lists each differing transition under both sides (above the diagram when
 * it has too many arrows to label legibly).
 */
import type { ModelStateNode, StateEdge as VfioStateEdge } from '../../server/src/lsp/protocol';
import type { PageStates } from '../src/simulatorPanel/messages';
import { h, s } from './dom';

/**
 * The states of either model: a vfio-pci state also says whether the BARs hold what vfio saved and
 * whether the mmaps are zapped; a zPCI state is its label only.
 */
type StatesResult = PageStates;
type StateNode = Pick<ModelStateNode, 'id' | 'label'> & Partial<Pick<ModelStateNode, 'zap' | 'barsValid'>>;
type StateEdge = Pick<VfioStateEdge, 'from' | 'to' | 'step' | 'restore'> & { outcome?: string };

/** Above this many arrows the diagram's labels overlap: it shows none (the table lists them). */
const MAX_LABELLED_ARROWS = 16;

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

interface Arrow {
  from: string;
  to: string;
  side: Side;
  steps: string[];
}

const edgeKey = (e: StateEdge): string => `${e.from}\u0000${e.step}\u0000${e.to}\u0000${e.outcome ?? ''}`;
const stepLabel = (e: StateEdge): string =>
  `${e.step}${e.outcome ? ` → ${e.outcome}` : ''}${e.restore && e.restore !== 'none' ? ` (restore ${e.restore})` : ''}`;

function nodeLabel(n: StateNode): string {
  const extra = [
    n.zap && !/zap/.test(n.label) ? 'zapped' : '',
    n.barsValid === false && !/BAR/i.test(n.label) ? 'BARs lost' : '',
  ]
    .filter((x) => x)
    .join(' ');
  const text = extra ? `${n.label} ${extra}` : n.label;
  return text.length > 30 ? text.slice(0, 29) + '…' : text;
}

function sideName(side: Side, labels: [string, string | null]): string {
  return side === 'both' ? 'both' : side === 'a' ? `only ${labels[0]}` : `only ${labels[1]}`;
}

export function renderStates(
  labels: [string, string | null],
  a: StatesResult,
  b: StatesResult | null,
): StatesRendering {
  const nodes = new Map(a.states.map((n) => [n.id, n]));
  for (const n of b?.states ?? []) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const edges = new Map<string, { edge: StateEdge; side: Side }>();
  for (const e of a.edges) edges.set(edgeKey(e), { edge: e, side: b ? 'a' : 'both' });
  for (const e of b?.edges ?? []) {
    const k = edgeKey(e);
    edges.set(k, { edge: e, side: edges.has(k) ? 'both' : 'b' });
  }
  const differing = [...edges.values()].filter((e) => e.side !== 'both').length;
  // one arrow per (from, to, side)
  const arrows = new Map<string, Arrow>();
  for (const { edge, side } of edges.values()) {
    const k = `${edge.from}\u0000${edge.to}\u0000${side}`;
    const arrow = arrows.get(k) ?? { from: edge.from, to: edge.to, side, steps: [] };
    arrow.steps.push(stepLabel(edge));
    arrows.set(k, arrow);
  }
  // breadth-first columns from the initial state, over all transitions
  const column = new Map<string, number>([[a.initial, 0]]);
  const queue = [a.initial];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const { from, to } of arrows.values()) {
      if (from === id && !column.has(to)) {
        column.set(to, (column.get(id) ?? 0) + 1);
        queue.push(to);
      }
    }
  }
  for (const id of nodes.keys()) if (!column.has(id)) column.set(id, 0);

  let labelled = true;
  const draw = (onlyDiffering: boolean): SVGElement => {
    const shownArrows = [...arrows.values()].filter((x) => !onlyDiffering || x.side !== 'both');
    labelled = shownArrows.length <= MAX_LABELLED_ARROWS;
    const shown = new Set<string>([a.initial, ...shownArrows.flatMap((x) => [x.from, x.to])]);
    const perColumn = new Map<number, string[]>();
    for (const [id, c] of column) if (shown.has(id)) perColumn.set(c, [...(perColumn.get(c) ?? []), id]);
    const pos = new Map<string, { x: number; y: number }>();
    for (const [c, ids] of perColumn)
      ids.forEach((id, i) => pos.set(id, { x: 20 + c * COL, y: 40 + i * ROW }));
    const width = 40 + (Math.max(...perColumn.keys()) + 1) * COL;
    const height = 60 + Math.max(...[...perColumn.values()].map((v) => v.length)) * ROW;
    const svg = s('svg', { class: 'states', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
    svg.append(s('title', {}, `Reachable states of ${a.device}`));
    const defs = s('defs', {});
    for (const side of ['both', 'a', 'b']) {
      const marker = s(
        'marker',
        { id: `arrow-${side}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6 },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrow-${side}` }),
      );
      marker.setAttribute('orient', 'auto-start-reverse');
      defs.append(marker);
    }
    svg.append(defs);
    for (const x of shownArrows) {
      const p = pos.get(x.from);
      const q = pos.get(x.to);
      if (!p || !q) continue;
      let d: string;
      if (x.from === x.to) {
        const o = x.side === 'b' ? 60 : x.side === 'a' ? 30 : 0;
        d = `M ${p.x + 40 + o} ${p.y} C ${p.x + 40 + o} ${p.y - 28}, ${p.x + 80 + o} ${p.y - 28}, ${p.x + 80 + o} ${p.y}`;
      } else {
        const x1 = p.x + NODE_W;
        const y1 = p.y + NODE_H / 2 + (x.side === 'a' ? -6 : x.side === 'b' ? 6 : 0);
        const x2 = q.x;
        const y2 = q.y + NODE_H / 2 + (x.side === 'a' ? -6 : x.side === 'b' ? 6 : 0);
        const bend = q.x <= p.x ? 60 : 0;
        d = `M ${x1} ${y1} C ${x1 + 40} ${y1 + bend}, ${x2 - 40} ${y2 + bend}, ${x2} ${y2}`;
      }
      svg.append(
        s(
          'path',
          { d, class: `edge edge-${x.side}`, 'marker-end': `url(#arrow-${x.side})`, 'data-side': x.side },
          s('title', {}, `${x.steps.join('\n')}\n[${sideName(x.side, labels)}]`),
        ),
      );
      // the label: the first step, and how many more take the same arrow (only while labels stay legible)
      if (shownArrows.length > MAX_LABELLED_ARROWS) continue;
      const mid =
        x.from === x.to
          ? { x: p.x + 60 + (x.side === 'b' ? 60 : x.side === 'a' ? 30 : 0), y: p.y - 24 }
          : { x: (p.x + NODE_W + q.x) / 2, y: (p.y + q.y) / 2 + NODE_H / 2 + (x.side === 'b' ? 14 : -4) };
      const more = x.steps.length > 1 ? ` +${x.steps.length - 1}` : '';
      const first = x.steps[0].length > 26 ? x.steps[0].slice(0, 25) + '…' : x.steps[0];
      svg.append(
        s(
          'text',
          { x: mid.x, y: mid.y, class: `edge-label edge-label-${x.side}`, 'text-anchor': 'middle' },
          s('title', {}, x.steps.join('\n')),
          `${first}${more}`,
        ),
      );
    }
    for (const id of shown) {
      const p = pos.get(id);
      const n = nodes.get(id);
      if (!p || !n) continue;
      svg.append(
        s(
          'g',
          { class: id === a.initial ? 'node initial' : 'node', transform: `translate(${p.x},${p.y})` },
          s('title', {}, id),
          s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
          s('text', { x: 8, y: 24 }, nodeLabel(n)),
        ),
      );
    }
    return svg;
  };

  const startOnlyDiffering = !!b && differing > 0;
  let svg = draw(startOnlyDiffering);
  const toggle = h('input', {
    type: 'checkbox',
    id: 'only-differing',
    checked: startOnlyDiffering,
    disabled: !b,
  });
  toggle.addEventListener('change', () => {
    const next = draw(toggle.checked);
    svg.replaceWith(next);
    svg = next;
  });
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'swatch edge-both' }, 'both'),
    b ? h('span', { class: 'swatch edge-a' }, `only ${labels[0]}`) : null,
    b ? h('span', { class: 'swatch edge-b' }, `only ${labels[1]}`) : null,
    h('label', { for: 'only-differing' }, toggle, ' Only transitions that differ'),
  );
  const caption =
    `${nodes.size} states, ${edges.size} transitions of ${a.device}` +
    (b ? `; ${differing} transitions differ` : '') +
    (a.truncated || b?.truncated ? ' (exploration bounded)' : '') +
    (labelled ? '' : `; arrows are labelled up to ${MAX_LABELLED_ARROWS} (hover one for its steps)`);
  const figure = h('figure', { class: 'states-figure' }, legend, svg, h('figcaption', {}, caption));
  const element = h('div', { class: 'states-view' });
  // the differing transitions as a table: first when the diagram has too many arrows to read
  const table = b ? differingTable(labels, a, b, nodes, column) : null;
  if (table && !labelled) element.append(table, figure);
  else element.append(figure, ...(table ? [table] : []));
  return { element, rows: nodes.size, differing };
}

/** Each (state, step) whose successor or observation differs between the sides, as a table. */
function differingTable(
  labels: [string, string | null],
  a: StatesResult,
  b: StatesResult,
  nodes: Map<string, StateNode>,
  column: Map<string, number>,
): HTMLElement {
  const byFromStep = (r: StatesResult) => {
    const m = new Map<string, StateEdge[]>();
    for (const e of r.edges) {
      const k = `${e.from}\u0000${e.step}`;
      m.set(k, [...(m.get(k) ?? []), e]);
    }
    return m;
  };
  const [ma, mb] = [byFromStep(a), byFromStep(b)];
  // a state by its short label; where states share one, with the parts of its id that tell them apart
  const byLabel = new Map<string, string[]>();
  for (const [id, n] of nodes) byLabel.set(n.label, [...(byLabel.get(n.label) ?? []), id]);
  const name = (id: string) => {
    const label = nodes.get(id)?.label;
    if (label === undefined) return id;
    const group = byLabel.get(label) ?? [id];
    if (group.length === 1) return label;
    const common = (t: string) => group.every((other) => other.split(' ').includes(t));
    return `${label} (${id
      .split(' ')
      .filter((t) => !common(t))
      .join(' ')})`;
  };
  const result = (es: StateEdge[] | undefined) =>
    es?.length ? es.map((e) => `${stepLabel(e)} → ${name(e.to)}`).join('; ') : '(not reached)';
  const rows: { from: string; step: string; ra: string; rb: string }[] = [];
  for (const k of new Set([...ma.keys(), ...mb.keys()])) {
    const [ra, rb] = [result(ma.get(k)), result(mb.get(k))];
    if (ra === rb) continue;
    const [from, step] = k.split('\u0000');
    rows.push({ from, step, ra, rb });
  }
  rows.sort((x, y) => (column.get(x.from) ?? 0) - (column.get(y.from) ?? 0) || x.step.localeCompare(y.step));
  const table = h(
    'table',
    { class: 'transitions' },
    h(
      'caption',
      {},
      `${rows.length} steps from a state lead elsewhere or observe otherwise under ${labels[0]} and ${labels[1]}`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'from state'),
        h('th', { scope: 'col' }, 'step'),
        h('th', { scope: 'col' }, labels[0]),
        h('th', { scope: 'col' }, labels[1] ?? ''),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('td', { title: r.from }, name(r.from)),
          h('td', { class: 'action' }, r.step),
          h('td', { class: 'cell-differs' }, r.ra),
          h('td', { class: 'cell-differs' }, r.rb),
        ),
      ),
    ),
  );
  return h('div', { class: 'scroll' }, table);
}
