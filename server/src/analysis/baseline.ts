/**
 * Which kernel a document's patches apply to, read from the pre-images: every decision point
 * a hunk shows before its change is compared with each kernel variant's expression for it.
 */
import type { MacroDef } from '../csrc/macros';
import { KERNEL_IDS, type DecisionPoint, type KernelId, type PolicySpec } from '../model/index';
import { exprKey } from './exprKey';
import type { HunkRecord } from './applySeries';

export interface BaselineChoice {
  kernel: KernelId;
  detected: boolean;
  /** What the choice rests on, in words ("pre-images match v5.8 at 3 of 3 decision points ..."). */
  detectedFrom: string;
}

/** The kernel assumed when nothing in the document tells: the last state before the s390 fixes. */
export const DEFAULT_BASELINE: KernelId = 'v5.8';

export function detectBaseline(
  records: HunkRecord[],
  macros: MacroDef[],
  specOf: (id: KernelId) => PolicySpec,
): BaselineChoice {
  const seenIn = (quoted: boolean) => {
    const seen: { decision: DecisionPoint; key: string }[] = [];
    for (const r of records) {
      if (r.unit.quoted !== quoted) continue;
      for (const c of r.facts.pre.decisions) {
        if (c.confidence === 'marker') continue;
        seen.push({ decision: c.decision, key: exprKey(c.expression, macros) });
      }
    }
    return seen;
  };
  // the patches' own pre-images first; a thread of replies has only the quoted ones
  let seen = seenIn(false);
  const fromQuotes = seen.length === 0 && (seen = seenIn(true)).length > 0;
  if (seen.length === 0) {
    return {
      kernel: DEFAULT_BASELINE,
      detected: false,
      detectedFrom: `not detected: no vfio-pci decision point in the pre-images; assumed ${DEFAULT_BASELINE} (set --baseline or vfioLens.baseline)`,
    };
  }
  const scores = KERNEL_IDS.map((id) => {
    const spec = specOf(id);
    // each of the kernel's decisions keyed once (not once per pre-image that shows it)
    const keys = new Map<DecisionPoint, string>();
    const keyOf = (d: DecisionPoint) => {
      let key = keys.get(d);
      if (key === undefined) keys.set(d, (key = exprKey(spec.decisions[d], macros)));
      return key;
    };
    let match = 0;
    for (const s of seen) if (keyOf(s.decision) === s.key) match++;
    return { id, match };
  });
  const best = Math.max(...scores.map((s) => s.match));
  if (best === 0) {
    return {
      kernel: DEFAULT_BASELINE,
      detected: false,
      detectedFrom: `not detected: the ${seen.length} decision point(s) in the pre-images match no known kernel; assumed ${DEFAULT_BASELINE}`,
    };
  }
  const tied = scores.filter((s) => s.match === best).map((s) => s.id);
  // Among equally good matches the newest is the likeliest tree a patch is written against.
  const kernel = tied[tied.length - 1];
  const points = [...new Set(seen.map((s) => s.decision))].join(', ');
  const sure =
    tied.length === 1 ? '' : ` (equally consistent with ${tied.slice(0, -1).join(', ')}; took the newest)`;
  return {
    kernel,
    detected: true,
    detectedFrom: `${fromQuotes ? 'pre-images quoted in replies' : 'pre-images'} match ${kernel} at ${best} of ${seen.length} decision point(s) (${points})${sure}`,
  };
}
