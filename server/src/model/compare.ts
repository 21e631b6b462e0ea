/**
 * Comparing two policies: their transition systems on one device kind are explored together,
 * breadth first, from the closed device. A step whose observations differ ends that branch and
 * is reported with both traces; so every reported sequence is a shortest one to its difference,
 * and no extension of a differing prefix is reported. A sequence is also left out when a shorter
 * reported one is a subsequence of it and ends in the same step with the same pair of
 * observations (e.g. "open; d3hot; mmio-read" adds nothing to "open; mmio-read"). Unknown identifiers are shared by both
 * sides (the same world): each value is explored and the difference names what it depends on.
 */
import type { DeviceState, StepObservation } from './machine';
import { CLOSED_STATE, stateKey, stepRefusal } from './machine';
import { BoundedCache } from './cache';
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

function assumptionKey(a: Record<string, number>): string {
  const names = Object.keys(a);
  return names.length ? JSON.stringify(names.sort().map((n) => [n, a[n]])) : '';
}

interface Found {
  difference: Difference;
  steps: Step[];
  /** The last step, its two observations and the assumptions: what makes two differences the same. */
  signature: string;
  /** The assumptions of every branch in which this sequence differs. */
  branches: Record<string, number>[];
}

/**
 * The unknown identifiers a difference depends on: those assumed on some branch where it was
 * found but not found under both values (a difference under 0 and under 1 does not depend on it).
 */
function dependencies(branches: Record<string, number>[]): string[] {
  const names = [...new Set(branches.flatMap((b) => Object.keys(b)))].sort();
  return names.filter((n) => !(branches.some((b) => b[n] === 0) && branches.some((b) => b[n] === 1)));
}

interface Node {
  a: DeviceState;
  b: DeviceState;
  assumptions: Record<string, number>;
  steps: Step[];
}

export interface ExploreResult {
  differences: Difference[];
  stats: ExploreStats;
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

  const sysA = policySystem(a, device);
  const sysB = policySystem(b, device);
  const differences = new Map<string, Found>();
  const seen = new Set<string>();
  const stats: ExploreStats = { states: 1, transitions: 0, depth };
  let layer: Node[] = [{ a: CLOSED_STATE, b: CLOSED_STATE, assumptions: {}, steps: [] }];

  for (let level = 0; level < depth && layer.length; level++) {
    const next: Node[] = [];
    for (const node of layer) {
      for (const step of alphabet) {
        if (stepRefusal(node.a, step)) continue;
        for (const ra of sysA.step(node.a, step, node.assumptions)) {
          for (const rb of sysB.step(node.b, step, ra.assumptions)) {
            stats.transitions++;
            const steps = [...node.steps, step];
            if (observe(ra.entry) !== observe(rb.entry)) {
              record(
                differences,
                device,
                steps,
                rb.assumptions,
                ra.entry,
                rb.entry,
                !!options.internal,
                observe,
              );
              continue;
            }
            const assumptions = { ...rb.assumptions };
            const key = `${stateKey(ra.state)}/${stateKey(rb.state)}/${assumptionKey(assumptions)}`;
            if (seen.has(key)) continue;
            seen.add(key);
            stats.states++;
            next.push({ a: ra.state, b: rb.state, assumptions, steps });
          }
        }
      }
    }
    layer = next;
  }

  const result = {
    differences: withoutRedundant([...differences.values()]).map((d) => {
      const dependsOn = dependencies(d.branches);
      if (dependsOn.length) d.difference.dependsOn = dependsOn;
      return withTraces(d.difference, d.steps, a, b, device);
    }),
    stats,
  };
  cache.set(cacheKey, result);
  return result;
}

function record(
  differences: Map<string, Found>,
  device: DeviceKind,
  steps: Step[],
  assumptions: Record<string, number>,
  before: StepObservation,
  after: StepObservation,
  internal: boolean,
  observe: (e: StepObservation) => string,
): void {
  const key = steps.map((s) => s.text).join(';');
  const existing = differences.get(key);
  if (existing) {
    existing.branches.push({ ...assumptions });
    return;
  }
  const difference: Difference = {
    device: device.id,
    steps: steps.map((s) => s.text),
    before: [],
    after: [],
  };
  if (Object.keys(assumptions).length) difference.assumptions = { ...assumptions };
  if (internal && visibleObservation(before) === visibleObservation(after)) difference.internalOnly = true;
  const signature = JSON.stringify([key.split(';').pop(), observe(before), observe(after), assumptions]);
  differences.set(key, { difference, steps, signature, branches: [{ ...assumptions }] });
}

function isSubsequence(short: string[], long: string[]): boolean {
  let i = 0;
  for (const s of long) if (i < short.length && s === short[i]) i++;
  return i === short.length;
}

/** Drops a difference when a shorter kept one with the same signature is a subsequence of it. */
function withoutRedundant(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const f of found) {
    const texts = f.difference.steps;
    const redundant = kept.some(
      (k) =>
        k.signature === f.signature &&
        k.steps.length < f.steps.length &&
        isSubsequence(k.difference.steps, texts),
    );
    if (!redundant) kept.push(f);
  }
  return kept;
}

/** Replays the sequence on both sides under the difference's assumptions to give both traces. */
function withTraces(d: Difference, steps: Step[], a: Policy, b: Policy, device: DeviceKind): Difference {
  const replay = (p: Policy) => {
    const branches = policySystem(p, device).run(steps, CLOSED_STATE, d.assumptions ?? {});
    return branches[0].trace;
  };
  return { ...d, before: replay(a), after: replay(b) };
}
