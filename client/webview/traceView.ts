/**
 * The side-by-side trace: per step its action and the cells the server's formatter gives it
 * (outcome, read, BAR restore, virtual and hardware bits: the columns come with the trace).
 */
import type { ExplainedDecision, SimulateResult, TraceEntry } from '../../server/src/lsp/protocol';
import { h } from './dom';

export interface TraceRendering {
  element: HTMLElement;
  rows: number;
  differing: number;
}

function whyBlock(label: string, e: TraceEntry | undefined): HTMLElement {
  if (!e) return h('div', { class: 'why' }, `${label}: no such step`);
  const items = e.why.map((w: ExplainedDecision) =>
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
    e.log ? h('p', { class: 'log' }, 'log: ', h('code', {}, e.log)) : null,
    e.dependsOn?.length
      ? h('p', { class: 'depends' }, `depends on unknown: ${e.dependsOn.join(', ')}`)
      : null,
  );
}

export function renderTrace(
  labels: [string, string | null],
  a: SimulateResult,
  b: SimulateResult | null,
  idPrefix: string,
): TraceRendering {
  const sides: [string, TraceEntry[]][] = [[labels[0], a.trace]];
  if (b) sides.push([labels[1] ?? 'b', b.trace]);
  const columns = Object.keys(a.trace[0]?.display.cells ?? b?.trace[0]?.display.cells ?? {});
  const cell = (e: TraceEntry | undefined, column: string) => e?.display.cells[column] ?? '';
  const head1 = h(
    'tr',
    {},
    h('th', { rowspan: 2, scope: 'col' }, '#'),
    h('th', { rowspan: 2, scope: 'col' }, 'step'),
  );
  const head2 = h('tr', {});
  for (const [label] of sides) {
    head1.append(h('th', { colspan: columns.length, scope: 'colgroup', class: 'kernel' }, label));
    for (const c of columns) head2.append(h('th', { scope: 'col' }, c));
  }
  head1.append(h('th', { rowspan: 2, scope: 'col' }, 'why'));
  const body = h('tbody', {});
  const n = Math.max(...sides.map(([, t]) => t.length));
  let differing = 0;
  for (let i = 0; i < n; i++) {
    const ea = sides[0][1][i];
    const eb = sides[1]?.[1][i];
    const rowDiffers = !!b && columns.some((c) => cell(ea, c) !== cell(eb, c));
    if (rowDiffers) differing++;
    const row = h(
      'tr',
      { class: rowDiffers ? 'step differs' : 'step', 'data-step': i + 1 },
      h('td', {}, String(i + 1)),
      h('td', { class: 'action' }, ea?.action ?? eb?.action ?? ''),
    );
    for (const [, trace] of sides) {
      const e = trace[i];
      for (const c of columns) {
        const value = cell(e, c);
        const other = sides.length > 1 ? sides.find(([, t]) => t !== trace)?.[1][i] : undefined;
        const cellDiffers = sides.length > 1 && value !== cell(other, c);
        row.append(h('td', { class: `${c}${cellDiffers ? ' cell-differs' : ''}` }, value));
      }
    }
    const detailId = `${idPrefix}-why-${i + 1}`;
    const detail = h(
      'tr',
      { class: 'explanation', id: detailId, hidden: true },
      h(
        'td',
        { colspan: 3 + columns.length * sides.length },
        whyBlock(sides[0][0], ea),
        sides[1] ? whyBlock(sides[1][0], eb) : null,
      ),
    );
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'why-toggle',
        'aria-expanded': 'false',
        'aria-controls': detailId,
        title: 'Show the deciding C expressions',
      },
      'why',
    );
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      detail.hidden = !open;
    });
    row.append(h('td', {}, toggle));
    body.append(row, detail);
  }
  const caption = b
    ? `${n} steps, ${differing} differ between ${labels[0]} and ${labels[1]}`
    : `${n} steps under ${labels[0]}`;
  const table = h('table', { class: 'trace' }, h('caption', {}, caption), h('thead', {}, head1, head2), body);
  return { element: table, rows: n, differing };
}
