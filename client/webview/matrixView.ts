/** The behaviour matrix: device kinds x scenarios, one summary per kernel in each cell. */
import type { MatrixResult } from '../../server/src/lsp/protocol';
import { h } from './dom';

export interface MatrixRendering {
  element: HTMLElement;
  rows: number;
  differing: number;
}

export function renderMatrix(
  m: MatrixResult,
  open: (device: string, steps: string[]) => void,
): MatrixRendering {
  const head = h('tr', {}, h('th', { scope: 'col' }, 'device'));
  for (const sc of m.scenarios)
    head.append(h('th', { scope: 'col', title: `${sc.description}\n${sc.steps.join('; ')}` }, sc.id));
  const body = h('tbody', {});
  let differing = 0;
  for (const device of m.devices) {
    const row = h('tr', {}, h('th', { scope: 'row' }, device));
    for (const sc of m.scenarios) {
      const cells = m.kernels.map((k) =>
        m.cells.find((c) => c.device === device && c.scenario === sc.id && c.kernel === k),
      );
      const summaries = cells.map((c) => c?.summary ?? '—');
      const differs = new Set(summaries).size > 1;
      if (differs) differing++;
      const steps = cells.find((c) => c)?.steps ?? sc.steps;
      const button = h(
        'button',
        { type: 'button', class: 'cell-open', title: `Open the trace of ${sc.id} on ${device}` },
        ...m.kernels.map((k, i) =>
          h('span', { class: 'cell-line' }, h('span', { class: 'kernel' }, k), ' ', summaries[i]),
        ),
      );
      button.addEventListener('click', () => open(device, steps));
      row.append(h('td', { class: differs ? 'differs' : '' }, button));
    }
    body.append(row);
  }
  const table = h(
    'table',
    { class: 'matrix' },
    h(
      'caption',
      {},
      `${m.devices.length} device kinds × ${m.scenarios.length} scenarios under ${m.kernels.join(', ')}; ${differing} cells differ`,
    ),
    h('thead', {}, head),
    body,
  );
  return { element: table, rows: m.devices.length, differing };
}
