/**
 * The related places of a finding, capped: a finding lists at most MAX_RELATED of them, so its
 * size does not grow with the document (a behaviour change on one of 2,000 changed decision lines
 * listed the other 1,999, and a series of such lines made the output quadratic). What is left out
 * is counted in one last entry (`moreRelatedText`), on the first place left out.
 */
import type { RelatedInfo, RelatedKind } from './types';

/** The most related places one finding lists, the "N more" entry included. */
export const MAX_RELATED = 20;

/** Which related places a reviewer wants first: their own words, then the markers, then the other sites. */
const USEFULNESS: Record<RelatedKind | 'unnamed', number> = {
  review: 0,
  marker: 1,
  site: 2,
  unnamed: 3,
  quote: 4,
  more: 5,
};

/** How far down a related place comes (0: first): what a list keeps when it has to leave some out. */
export const usefulness = (r: RelatedInfo): number => USEFULNESS[r.kind ?? 'unnamed'];

/** The text of the entry that stands for the places left out. */
export function moreRelatedText(left: number, first: RelatedInfo): string {
  return `${left} more related place${left === 1 ? '' : 's'} not listed (the first: ${first.message})`;
}

/**
 * Collects related places up to the cap without building the ones past it: `addEach` maps only
 * while there is room and counts the rest; past the cap, a more useful place displaces a less
 * useful one.
 */
export class RelatedPlaces {
  private readonly places: RelatedInfo[] = [];
  private left = 0;

  /**
   * Past the cap, a place more useful than the least useful one kept takes its place (a
   * reviewer's comment is not lost behind 2,000 "also changes" sites).
   */
  add(place: RelatedInfo): this {
    if (this.places.length <= MAX_RELATED) {
      this.places.push(place);
      return this;
    }
    this.left++;
    // the least useful place kept, the last of them
    let worst = -1;
    for (let i = 0; i < this.places.length; i++)
      if (worst < 0 || usefulness(this.places[i]) >= usefulness(this.places[worst])) worst = i;
    if (usefulness(this.places[worst]) > usefulness(place)) {
      this.places.splice(worst, 1);
      this.places.push(place);
    }
    return this;
  }

  addAll(places: readonly RelatedInfo[]): this {
    for (const p of places) this.add(p);
    return this;
  }

  /**
   * Places of one kind, built only while there is room (a place past the cap displaces none); every
   * item but `except`, when given, which is one of them: the list is not copied to leave it out
   * (each of 50,000 sites filtering itself out of the unit's list was 50,000 copies of 50,000).
   */
  addEach<T>(items: readonly T[], place: (item: T) => RelatedInfo, except?: T): this {
    let i = 0;
    let met = except === undefined;
    for (; i < items.length && this.places.length <= MAX_RELATED; i++) {
      if (!met && items[i] === except) met = true;
      else this.places.push(place(items[i]));
    }
    this.left += items.length - i - (met ? 0 : 1);
    return this;
  }

  /**
   * The places, or the MAX_RELATED - 1 most useful of them (in the order they came) and one entry
   * counting the rest, on the first place left out.
   */
  list(): RelatedInfo[] {
    if (this.places.length <= MAX_RELATED) return this.places;
    const keep = new Set(
      this.places
        .map((p, i) => ({ rank: usefulness(p), i }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .slice(0, MAX_RELATED - 1)
        .map((x) => x.i),
    );
    const kept = this.places.filter((_, i) => keep.has(i));
    const first = this.places.find((_, i) => !keep.has(i))!;
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
