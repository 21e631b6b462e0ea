/**
 * Comparing two kernels: their transition systems on one device kind are explored together,
 * breadth first, from the closed device (model/core/explore.ts). A step whose observations differ
 * ends that branch and is reported with both traces; so every reported sequence is a shortest one
 * to its difference, and no extension of a differing prefix is reported. A sequence is also left
 * out when a shorter reported one is a subsequence of it and ends in the same step with the same
 * pair of observations (e.g. "open; d3hot; mmio-read" adds nothing to "open; mmio-read"). Unknown
 * identifiers are shared by both sides (the same world): each value is explored and the
 * difference names what it depends on.
 *
 * The one model has one system; what an exploration tries is a row of EXPLORATIONS: the
 * Command-register story's alphabet (the COMMAND writes and BAR accesses, to depth 6, on the
 * kinds of that story) and the config space's (per kind: reads of the fields the kernels treat
 * differently, the write functions' values, the chain walk and the runtime steps, to depth 3).
 */
import { BoundedCache, MemoTable } from './cache';
import { dependencies, explorePair as exploreSystems, type WalkBudget } from './core/explore';
import { KERNEL_SPECS } from './kernels';
import type { StepObservation } from './machine';
import { CLOSED_STATE } from './machine';
import type { Policy } from './policy';
import type { Step, StepPart } from './steps';
import { EXPLORATION_ALPHABET } from './steps';
import { policySystem } from './system';
import type { DeviceKind, Difference, ExploreStats, Story } from './types';
import { configAlphabet, visibleConfigObservation } from './vfio/config/system';

export interface CompareOptions {
  depth?: number;
  /** Also compare internal observations (a restore that returned early, zaps, vconfig and hardware bits). */
  internal?: boolean;
  alphabet?: readonly Step[];
  /** Which exploration (EXPLORATIONS row) to run; default the Command-register one. */
  part?: StepPart;
  /** Checked at every node of the walk: true ends it there (the analysis budget); the result is partial. */
  stop?: () => boolean;
  budget?: WalkBudget;
  /**
   * Only the differences are wanted, not the walk's size (the analysis): a device that cannot tell
   * the two policies apart (one system on both sides) has none, and is not walked.
   */
  differencesOnly?: boolean;
}

/** One way of exploring the one model: its steps, its depth, the story whose kinds it runs on. */
export interface Exploration {
  part: StepPart;
  story: Story;
  depth: number;
  /** The steps tried from every state on `device` when comparing `a` with `b`. */
  alphabet(device: DeviceKind, a: Policy, b: Policy): readonly Step[];
}

export const DEFAULT_DEPTH = 6;
/** The config space's default depth: open, a step that sets a state up, the step that shows it. */
export const CONFIG_DEPTH = 3;

const configAlphabets = new BoundedCache<string, readonly Step[]>(256);

/** The config alphabet of a kind for a pair: the fields any kernel (built in, or these two) treats differently. */
function pairConfigAlphabet(device: DeviceKind, a: Policy, b: Policy): readonly Step[] {
  const key = `${device.id}\u0000${a.key}\u0000${b.key}`;
  let steps = configAlphabets.get(key);
  if (!steps) {
    steps = configAlphabet(device, [...KERNEL_SPECS.map((k) => k.config), a.spec.config, b.spec.config]);
    configAlphabets.set(key, steps);
  }
  return steps;
}

export const EXPLORATIONS: readonly Exploration[] = [
  { part: 'command', story: 'command-register', depth: DEFAULT_DEPTH, alphabet: () => EXPLORATION_ALPHABET },
  { part: 'config', story: 'config-space', depth: CONFIG_DEPTH, alphabet: pairConfigAlphabet },
];

export function exploration(part: StepPart): Exploration {
  return EXPLORATIONS.find((e) => e.part === part)!;
}

const visibleKeys = new MemoTable<StepObservation, string>();
const internalKeys = new MemoTable<StepObservation, string>();

/** What a user sees of a step: outcome, value read, BARs rewritten, the log line; for a config step, its config part. */
export function visibleObservation(e: StepObservation): string {
  let key = visibleKeys.get(e);
  if (key === undefined) {
    key = e.config
      ? visibleConfigObservation(e.config)
      : `${e.outcome ?? '-'}|${e.read ?? '-'}|${e.restore === 'performed' ? e.log : '-'}`;
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
  /** `cut: 'not walked'`: one system on both sides and only the differences asked for (its size is not known). */
  stats: ExploreStats & { cut?: string };
  /** The walk was ended by `stop` before its depth: the differences are those found until then. */
  stopped?: boolean;
}

const cache = new BoundedCache<string, ExploreResult>(512);

/** The walks of a system against itself, by depth and steps (explorePair): each has no difference. */
const sameSystemWalks = new WeakMap<object, Map<string, ExploreResult>>();

export function explorePair(
  a: Policy,
  b: Policy,
  device: DeviceKind,
  options: CompareOptions = {},
): ExploreResult {
  const how = exploration(options.part ?? 'command');
  const depth = options.depth ?? how.depth;
  const alphabet = options.alphabet ?? how.alphabet(device, a, b);
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

  // b's steps that take no decision the patch changed are a's (PolicySystem.reusing)
  const [sa, sb] = [policySystem(a, device), policySystem(b, device)];
  // One system on both sides (the device cannot tell the policies apart): no step can differ, and
  // the walk reaches every pair to its depth whatever it observes, so its size is known from any
  // earlier walk of that system with these steps, visible or internal.
  const walkKey = sa === sb ? `${depth}\u0000${alphabet.map((s) => s.text).join('\u0000')}` : '';
  const alone = sa === sb ? sameSystemWalks.get(sa)?.get(walkKey) : undefined;
  if (alone) {
    cache.set(cacheKey, alone);
    return alone;
  }
  // seed 002's first patch changes nothing a device reads: its walk of v5.8 against itself on the
  // 7 kinds went through 1,606 transitions, all of them taken again by its third patch's walk
  // (each is computed once either way; what goes is this walk's own pairs and keys)
  if (sa === sb && options.differencesOnly)
    return { differences: [], stats: { states: 0, transitions: 0, depth, cut: 'not walked' } };
  const walk = sb.reusing(sa, () =>
    exploreSystems(sa, sb, {
      depth,
      alphabet,
      observe,
      budget: options.stop ? { ...options.budget, stop: options.stop } : options.budget,
    }),
  );
  const stopped = walk.stats.cut === 'stopped';
  const result: ExploreResult = {
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
  if (walk.stats.cut) result.stats.cut = walk.stats.cut;
  if (!walk.stats.cut) {
    cache.set(cacheKey, result); // a partial walk is not the answer to remember
    if (sa === sb) {
      let walks = sameSystemWalks.get(sa);
      if (!walks) sameSystemWalks.set(sa, (walks = new Map()));
      walks.set(walkKey, result);
    }
  }
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
