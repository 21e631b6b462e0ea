/**
 * The behaviour matrix: device kinds x scenarios. Under two kernels each cell is "=" (every step
 * observes the same) or the server's words for the first differing step ("mmio-read: EIO → ok");
 * under more, the distinct summaries with the kernels that give each. Rows with differences come
 * first; a cell opens the full trace of its scenario; a legend says what the cells mean.
 */
import type { MatrixCell, MatrixResult } from '../../server/src/lsp/protocol';
import { h } from './dom';
import { legend, type LegendTerm } from './legend';

export interface MatrixRendering {
  element: HTMLElement;
  rows: number;
  differing: number;
}

interface CellView {
  text: string;
  differs: boolean;
  title: string;
}

/** The kernels' names as the columns show them: the panel's names of patch sides, else the ids. */
type Names = readonly string[];

function pairCell(
  m: MatrixResult,
  names: Names,
  device: string,
  scenario: string,
  cells: (MatrixCell | undefined)[],
): CellView {
  const pair = m.pairs?.find((p) => p.device === device && p.scenario === scenario);
  const full = names.map((k, i) => `${k}: ${cells[i]?.summary ?? '—'}`).join('\n');
  if (!pair) return { text: '—', differs: false, title: full };
  return { text: pair.text, differs: pair.differs, title: full };
}

function groupedCell(names: Names, cells: (MatrixCell | undefined)[]): CellView {
  const groups = new Map<string, string[]>();
  names.forEach((k, i) => {
    const s = cells[i]?.summary ?? '—';
    groups.set(s, [...(groups.get(s) ?? []), k]);
  });
  const full = names.map((k, i) => `${k}: ${cells[i]?.summary ?? '—'}`).join('\n');
  if (groups.size === 1) return { text: '=', differs: false, title: full };
  const text = [...groups].map(([s, ks]) => `${ks.join(', ')}: ${s}`).join('\n');
  return { text, differs: true, title: full };
}

export function renderMatrix(
  m: MatrixResult,
  terms: readonly LegendTerm[],
  open: (device: string, steps: string[]) => void,
  given?: Names,
): MatrixRendering {
  const names = given && given.length === m.kernels.length ? given : m.kernels;
  const two = m.kernels.length === 2 && !!m.pairs;
  const head = h('tr', {}, h('th', { scope: 'col' }, 'device'));
  for (const sc of m.scenarios)
    head.append(h('th', { scope: 'col', title: `${sc.description}\n${sc.steps.join('; ')}` }, sc.id));
  let differing = 0;
  const rows = m.devices.map((device, order) => {
    const row = h('tr', {}, h('th', { scope: 'row' }, device));
    let rowDiffers = 0;
    for (const sc of m.scenarios) {
      const cells = m.kernels.map((k) =>
        m.cells.find((c) => c.device === device && c.scenario === sc.id && c.kernel === k),
      );
      const view = two ? pairCell(m, names, device, sc.id, cells) : groupedCell(names, cells);
      if (view.differs) rowDiffers++;
      const steps = cells.find((c) => c)?.steps ?? sc.steps;
      const label = view.differs
        ? `${sc.id} on ${device}: ${view.text}; open the full trace`
        : `${sc.id} on ${device}: the same under ${names.join(' and ')}; open the full trace`;
      const button = h(
        'button',
        { type: 'button', class: 'cell-open', title: view.title, 'aria-label': label },
        view.text,
      );
      button.addEventListener('click', () => open(device, steps));
      row.append(h('td', { class: view.differs ? 'differs' : 'same' }, button));
    }
    differing += rowDiffers;
    return { row, rowDiffers, order };
  });
  // differing rows first, most differences first; the model's order otherwise
  rows.sort(
    (a, b) =>
      (b.rowDiffers > 0 ? 1 : 0) - (a.rowDiffers > 0 ? 1 : 0) ||
      b.rowDiffers - a.rowDiffers ||
      a.order - b.order,
  );
  const body = h('tbody', {}, ...rows.map((r) => r.row));
  const caption =
    `${m.devices.length} device kinds × ${m.scenarios.length} scenarios under ${names.join(' and ')}; ` +
    `${differing} cells differ; rows with differences first`;
  const table = h('table', { class: 'matrix' }, h('caption', {}, caption), h('thead', {}, head), body);
  const own: LegendTerm[] = two
    ? [
        {
          term: '=',
          meaning: `every step of the scenario observes the same under ${names[0]} and ${names[1]}`,
        },
        {
          term: 'step: A → B',
          meaning: `the first step that differs, what it observes under ${names[0]} (A) and under ${names[1]} (B); "+N more": further steps differ`,
        },
      ]
    : [
        { term: '=', meaning: 'every kernel gives the same' },
        { term: 'kernels: summary', meaning: 'the kernels that give each reading of the scenario' },
      ];
  own.push({
    term: 'a cell',
    meaning: 'opens the full trace of its scenario on its device, both kernels side by side',
  });
  const element = h(
    'div',
    { class: 'matrix-view' },
    legend('matrix-legend', own, terms),
    h('div', { class: 'scroll' }, table),
  );
  return { element, rows: m.devices.length, differing };
}
