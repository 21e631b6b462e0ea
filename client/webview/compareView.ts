/**
 * The differing scenarios of two sides (vfioLens/compare): each shortest distinguishing step
 * sequence as two traces side by side. For the zPCI model also what a comparison could not reach
 * and why (a device kind a side never plugs: each side's plug with its deciding check, where the
 * same two versions do differ, the versions under which the kind reaches QEMU's checks), what CLP
 * reports differently, and the exploration's notes. Every text is the server's, drawn as text.
 */
import type { PageComparison } from '../src/simulatorPanel/messages';
import { h } from './dom';
import { renderTrace, type ColumnLabel } from './traceView';

export interface CompareRendering {
  element: HTMLElement;
  /** The differing scenarios drawn. */
  rows: number;
}

type Unreached = NonNullable<Extract<PageComparison, { model: 'zpci' }>['unreached']>[number];

function unreachedBlock(u: Unreached): HTMLElement {
  return h(
    'section',
    { class: 'unreached', 'aria-label': `why ${u.device} shows no difference` },
    h('h3', {}, `${u.device}: no difference`),
    h('p', {}, u.reason),
    h(
      'ul',
      { class: 'plugs' },
      ...u.sides.map((s) => h('li', {}, `${s.qemu} on ${s.host}: `, h('code', {}, s.plug.display.text))),
    ),
    u.elsewhere.length
      ? h(
          'div',
          { class: 'elsewhere' },
          h('p', {}, 'Where the two versions do differ (the same comparison, other kinds):'),
          h(
            'ul',
            {},
            ...u.elsewhere.map((e) =>
              h(
                'li',
                {},
                h('strong', {}, e.device),
                `: ${e.differences} visible, ${e.internalOnly} internal only`,
                e.example ? h('div', { class: 'example' }, 'e.g. ', h('code', {}, e.example)) : null,
                e.internalExample
                  ? h('div', { class: 'example' }, 'internal: ', h('code', {}, e.internalExample))
                  : null,
              ),
            ),
          ),
        )
      : null,
    u.reaches.length
      ? h('p', {}, `${u.device} reaches QEMU's instruction checks under: ${u.reaches.join(', ')}`)
      : h('p', {}, `${u.device} reaches QEMU's instruction checks under no version.`),
  );
}

export function renderCompare(
  labels: [string, string],
  result: PageComparison,
  columns: readonly ColumnLabel[],
  terms: readonly { term: string; meaning: string }[],
): CompareRendering {
  const parts: Node[] = [];
  if (result.differences.length === 0) parts.push(h('p', {}, 'No observable difference found.'));
  result.differences.forEach((d, i) => {
    const t = renderTrace(
      labels,
      { device: d.device, trace: d.before },
      { device: d.device, trace: d.after },
      `diff${i}`,
      columns,
      terms,
    );
    parts.push(h('h3', {}, `${d.device}: ${d.steps.join('; ')}${d.internalOnly ? ' (internal only)' : ''}`));
    if (d.dependsOn?.length) parts.push(h('p', {}, `depends on: ${d.dependsOn.join(', ')}`));
    parts.push(t.element);
  });
  if ('model' in result && result.model === 'zpci') {
    for (const u of result.unreached) parts.push(unreachedBlock(u));
    if (result.clp.length)
      parts.push(
        h('h3', {}, 'What CLP reports differently'),
        h(
          'ul',
          { class: 'clp' },
          ...result.clp.map((c) =>
            h('li', {}, `${c.device}: ${c.field} ${c.before} → ${c.after} (${c.why})`),
          ),
        ),
      );
    if (result.notes.length)
      parts.push(h('ul', { class: 'notes' }, ...result.notes.map((n) => h('li', {}, n))));
  }
  return { element: h('div', { class: 'compare-view' }, ...parts), rows: result.differences.length };
}
