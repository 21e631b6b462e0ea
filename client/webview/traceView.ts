/**
 * The side-by-side trace: per step its action and the cells the server's formatter gives it
 * (outcome, read, BAR restore, virtual and device COMMAND), under the headers the model names
 * (its vocabulary's columns). A column empty in every row is left out; the "why" of a step (its
 * deciding C expressions with every operand's value) opens under it.
 */
import type { PageSimulation } from '../src/simulatorPanel/messages';
import { h } from './dom';

/** A simulation as the trace draws it: the vfio-pci model's or the zPCI model's steps. */
type Simulation = Pick<PageSimulation, 'device' | 'trace'>;
type TraceEntry = PageSimulation['trace'][number];
type Why = TraceEntry['why'][number];

export interface TraceRendering {
  element: HTMLElement;
  rows: number;
  differing: number;
}

/** A column as the model names it (ModelVocabulary.columns). */
export interface ColumnLabel {
  key: string;
  label: string;
  meaning: string;
}

function whyBlock(label: string, e: TraceEntry | undefined): HTMLElement {
  if (!e) return h('div', { class: 'why' }, `${label}: no such step`);
  const items = (e.why as Why[]).map((w) =>
    h(
      'li',
      {},
      h('span', { class: 'decision' }, w.decision),
      ': ',
      h('code', {}, w.text),
      ' → ',
      h('strong', {}, String(w.result)),
      h(
        'ul',
        { class: 'operands' },
        ...w.operands.map((o) =>
          h(
            'li',
            {},
            h('code', {}, o.name),
            ` = ${o.value}`,
            o.meaning ? h('span', { class: 'meaning' }, ` (${o.meaning})`) : null,
          ),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'why' },
    h('h4', {}, label),
    items.length ? h('ul', {}, ...items) : h('p', {}, 'No decision was taken in this step.'),
    'log' in e && e.log ? h('p', { class: 'log' }, 'log: ', h('code', {}, e.log)) : null,
    e.dependsOn?.length
      ? h('p', { class: 'depends' }, `depends on unknown: ${e.dependsOn.join(', ')}`)
      : null,
  );
}

export function renderTrace(
  labels: [string, string | null],
  a: Simulation,
  b: Simulation | null,
  idPrefix: string,
  columnLabels: readonly ColumnLabel[] = [],
  terms: readonly { term: string; meaning: string }[] = [],
): TraceRendering {
  // a cell that is one of the model's terms ("unclaimed", "EIO") says what it means on hover
  const meaning = (value: string) => terms.find((t) => t.term === value)?.meaning;
  const sides: [string, readonly TraceEntry[]][] = [[labels[0], a.trace]];
  if (b) sides.push([labels[1] ?? 'b', b.trace]);
  const cell = (e: TraceEntry | undefined, column: string) =>
    (e?.display.cells as Record<string, string> | undefined)?.[column] ?? '';
  const all = sides.flatMap(([, t]) => t);
  const keys = [...new Set(all.flatMap((e) => Object.keys(e.display.cells)))];
  // the columns any step fills, in the model's order (keys it does not name last)
  const known = columnLabels.map((c) => c.key);
  const columns = keys
    .filter((k) => all.some((e) => cell(e, k) !== ''))
    .sort((x, y) => (known.indexOf(x) + 1 || 1e3) - (known.indexOf(y) + 1 || 1e3));
  const header = (k: string) => {
    const c = columnLabels.find((x) => x.key === k);
    return h('th', { scope: 'col', title: c?.meaning }, c?.label ?? k);
  };
  const head1 = h(
    'tr',
    {},
    h('th', { rowspan: 2, scope: 'col' }, '#'),
    h('th', { rowspan: 2, scope: 'col' }, 'step'),
  );
  const head2 = h('tr', {});
  for (const [label] of sides) {
    head1.append(h('th', { colspan: columns.length, scope: 'colgroup', class: 'kernel' }, label));
    for (const c of columns) head2.append(header(c));
  }
  const body = h('tbody', {});
  const n = Math.max(...sides.map(([, t]) => t.length));
  let differing = 0;
  for (let i = 0; i < n; i++) {
    const ea = sides[0][1][i];
    const eb = sides[1]?.[1][i];
    const action = ea?.action ?? eb?.action ?? '';
    const rowDiffers = !!b && columns.some((c) => cell(ea, c) !== cell(eb, c));
    if (rowDiffers) differing++;
    const detailId = `${idPrefix}-why-${i + 1}`;
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'why-toggle',
        'aria-expanded': 'false',
        'aria-controls': detailId,
        'aria-label': `why step ${i + 1} (${action})`,
        title: 'Show the deciding C expressions with the value of each operand',
      },
      'why',
    );
    const row = h(
      'tr',
      { class: rowDiffers ? 'step differs' : 'step', 'data-step': i + 1 },
      h('td', {}, String(i + 1)),
      h('td', { class: 'action' }, h('span', {}, action), ' ', toggle),
    );
    for (const [, trace] of sides) {
      const e = trace[i];
      const other = sides.length > 1 ? sides.find(([, t]) => t !== trace)?.[1][i] : undefined;
      for (const c of columns) {
        const value = cell(e, c);
        const cellDiffers = sides.length > 1 && value !== cell(other, c);
        row.append(
          h('td', { class: `${c}${cellDiffers ? ' cell-differs' : ''}`, title: meaning(value) }, value),
        );
      }
    }
    const detail = h(
      'tr',
      { class: 'explanation', id: detailId, hidden: true },
      h(
        'td',
        { colspan: 2 + columns.length * sides.length },
        whyBlock(sides[0][0], ea),
        sides[1] ? whyBlock(sides[1][0], eb) : null,
      ),
    );
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      detail.hidden = !open;
    });
    body.append(row, detail);
  }
  const caption = b
    ? `${n} steps, ${differing} differ between ${labels[0]} and ${labels[1]}`
    : `${n} steps under ${labels[0]}`;
  const table = h('table', { class: 'trace' }, h('caption', {}, caption), h('thead', {}, head1, head2), body);
  return { element: h('div', { class: 'scroll' }, table), rows: n, differing };
}
