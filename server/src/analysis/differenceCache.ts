/**
 * The cases between two policies, remembered by the content of both and the devices asked for (an
 * edit elsewhere in a document re-uses them). A comparison the budget cut is not remembered: the
 * next analysis finishes it.
 */
import { BoundedCache, policyContentKey, type Difference, type PolicySpec } from '../model/index';

export interface CasesFound {
  differences: Difference[];
  /** The budget stopped the explorations: the cases are those found until then. */
  stopped: boolean;
}

export class DifferenceCache {
  private readonly cache = new BoundedCache<string, Difference[]>(128);

  /** The cases of `before` against `after` on `devices`: none when both are the same content. */
  get(
    before: PolicySpec,
    after: PolicySpec,
    devices: readonly string[],
    compute: () => CasesFound,
  ): CasesFound {
    const a = policyContentKey(before);
    const b = policyContentKey(after);
    if (a === b) return { differences: [], stopped: false };
    const key = `${a}\u0000${b}\u0000${devices.join(',')}`;
    const hit = this.cache.get(key);
    if (hit) return { differences: hit, stopped: false };
    const found = compute();
    if (!found.stopped) this.cache.set(key, found.differences);
    return found;
  }
}
