/**
 * Comparing two policies: their transition systems on one device kind are explored together,
 * breadth first, from the closed device. A step whose observations differ ends that branch and
 * is reported with both traces; so every reported sequence is a shortest one to its difference,
 * and no extension of a differing prefix is reported. A sequence is also left out when a shorter
 * reported one is a subsequence of it and ends in the same step with the same pair of
 * observations (e.g. "open; d3hot; mmio-read" adds nothing to "open; mmio-read"). Unknown identifiers are shared by both
 * sides (the same world): each value is explored and the difference names what it depends on.
 */
import { BoundedCache } from './cache';
import { dependencies, explorePair as exploreSystems } from './core/explore';
import type { StepObservation } from './machine';
import { CLOSED_STATE } from './machine';
import type { Policy } from './policy';
import type { Step } from './steps';
import { EXPLORATION_ALPHABET } from './steps';
import { policySystem } from './system';
import type { DeviceKind, Difference, ExploreStats } from './types';

export interface CompareOptions {
  depth?: number;
  /** Also compare internal observations (a restore that returned early, zaps, vconfig and hardware bits). */
  internal?: boolean;
  alphabet?: readonly Step[];
  /** Checked at every node of the walk: true ends it there (the analysis budget); the result is partial. */
  stop?: () => boolean;
}

export const DEFAULT_DEPTH = 6;

const visibleKeys = new WeakMap<StepObservation, string>();
const internalKeys = new WeakMap<StepObservation, string>();

/** What a user sees of a step: outcome, value read, BARs rewritten, the log line. */
export function visibleObservation(e: StepObservation): string {
  let key = visibleKeys.get(e);
  if (key === undefined) {
    key = `${e.outcome ?? '-'}|${e.read ?? '-'}|${e.restore === 'performed' ? e.log : '-'}`;
    visibleKeys.set(e, key);
  }
  return key;
}

/** Adds what only the kernel sees: a restore called that returned early, zaps, the bits. */
export function internalObservation(e: StepObservation): string {
  let key = internalKeys.get(e);
  if (key === undefined) {
    key = `${visibleObservation(e)}|${e.restore ?? '-'}|${+e.zap}|${e.virt}|${e.hw}`;
    internalKeys.set(e, key);
  }
  return key;
}

export interface ExploreResult {
  differences: Difference[];
  stats: ExploreStats;
  /** The walk was ended by `stop` before its depth: the differences are those found until then. */
  stopped?: boolean;
}

const cache = new BoundedCache<string, ExploreResult>(512);

export function explorePair(
  a: Policy,
  b: Policy,
  device: DeviceKind,
  options: CompareOptions = {},
): ExploreResult {
  const depth = options.depth ?? DEFAULT_DEPTH;
  const alphabet = options.alphabet ?? EXPLORATION_ALPHABET;
  const observe = options.internal ? internalObservation : visibleObservation;
  const cacheKey = JSON.stringify([
    a.key,
    b.key,
    device.id,
    depth,
    !!options.internal,
    alphabet.map((s) => s.text),
  ]);
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const walk = exploreSystems(policySystem(a, device), policySystem(b, device), {
    depth,
    alphabet,
    observe,
    budget: options.stop ? { stop: options.stop } : undefined,
  });
  const stopped = walk.stats.cut === 'stopped';
  const result = {
    differences: walk.differences.map((found) => {
      const difference: Difference = {
        device: device.id,
        steps: found.steps.map((s) => s.text),
        before: [],
        after: [],
      };
      if (Object.keys(found.assumptions).length) difference.assumptions = { ...found.assumptions };
      if (options.internal && visibleObservation(found.before) === visibleObservation(found.after))
        difference.internalOnly = true;
      const dependsOn = dependencies(found.branches);
      if (dependsOn.length) difference.dependsOn = dependsOn;
      return withTraces(difference, found.steps, a, b, device);
    }),
    stats: { states: walk.stats.states, transitions: walk.stats.transitions, depth },
    ...(stopped ? { stopped } : {}),
  };
  if (!stopped) cache.set(cacheKey, result); // a partial walk is not the answer to remember
  return result;
}

/** Replays the sequence on both sides under the difference's assumptions to give both traces. */
function withTraces(d: Difference, steps: Step[], a: Policy, b: Policy, device: DeviceKind): Difference {
  const replay = (p: Policy) => {
    const branches = policySystem(p, device).run(steps, CLOSED_STATE, d.assumptions ?? {});
    return branches[0].trace;
  };
  return { ...d, before: replay(a), after: replay(b) };
}
