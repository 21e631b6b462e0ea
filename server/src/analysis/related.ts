/**
 * The related places of a finding, capped: a finding lists at most MAX_RELATED of them, so its
 * size does not grow with the document (a behaviour change on one of 2,000 changed decision lines
 * listed the other 1,999, and a series of such lines made the output quadratic). What is left out
 * is counted in one last entry (`moreRelatedText`), on the first place left out.
 */
import type { RelatedInfo } from './types';

/** The most related places one finding lists, the "N more" entry included. */
export const MAX_RELATED = 20;

/** The text of the entry that stands for the places left out. */
export function moreRelatedText(left: number, first: RelatedInfo): string {
  return `${left} more related place${left === 1 ? '' : 's'} not listed (the first: ${first.message})`;
}

/**
 * Collects related places up to the cap without building the ones past it: `addEach` maps only
 * while there is room and counts the rest.
 */
export class RelatedPlaces {
  private readonly places: RelatedInfo[] = [];
  private left = 0;

  add(place: RelatedInfo): this {
    if (this.places.length <= MAX_RELATED) this.places.push(place);
    else this.left++;
    return this;
  }

  addAll(places: readonly RelatedInfo[]): this {
    return this.addEach(places, (p) => p);
  }

  addEach<T>(items: readonly T[], place: (item: T) => RelatedInfo): this {
    let i = 0;
    for (; i < items.length && this.places.length <= MAX_RELATED; i++) this.places.push(place(items[i]));
    this.left += items.length - i;
    return this;
  }

  /** The places, or the first MAX_RELATED - 1 and one entry counting the rest. */
  list(): RelatedInfo[] {
    if (this.places.length <= MAX_RELATED) return this.places;
    const kept = this.places.slice(0, MAX_RELATED - 1);
    const first = this.places[MAX_RELATED - 1];
    const left = this.places.length - kept.length + this.left;
    return [
      ...kept,
      { range: first.range, message: moreRelatedText(left, first), kind: 'more', count: left },
    ];
  }
}

/** A list of related places as a finding holds it: capped. */
export function cappedRelated(places: readonly RelatedInfo[]): RelatedInfo[] {
  return places.length <= MAX_RELATED ? [...places] : new RelatedPlaces().addAll(places).list();
}
