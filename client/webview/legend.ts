/** The legend of the simulator's views: what the words of an observation mean (the model's own table). */
import { h } from './dom';

export interface LegendTerm {
  term: string;
  meaning: string;
}

/** A definition list of the terms, the view's own lines first (e.g. what "=" means in the matrix). */
export function legend(
  id: string,
  own: LegendTerm[],
  terms: readonly LegendTerm[],
  open = true,
): HTMLElement {
  const items = [...own, ...terms].flatMap((t) => [h('dt', {}, t.term), h('dd', {}, t.meaning)]);
  return h(
    'details',
    { class: 'legend-box', id, open },
    h('summary', {}, 'Legend'),
    h('dl', { class: 'legend-terms' }, ...items),
  );
}
