/**
 * Breadth-first exploration, the one walk every model's comparison and state diagram use:
 * `breadthFirst` visits nodes layer by layer up to a depth, each node once by key, within a
 * budget; `explorePair` walks two systems in step (the same world: one set of assumptions) and
 * reports the shortest step sequences whose observations differ; `reachable` walks one system and
 * returns its states and labelled transitions.
 */
import type { Assumptions, StepLike, Transition, TransitionSystem } from './system';
import { assumptionKey } from './system';

export interface WalkBudget {
  /** Stop once this many transitions were taken. */
  maxTransitions?: number;
  /** Stop once this many distinct nodes were visited. */
  maxNodes?: number;
  /** Stop when this returns true (a deadline, a cancellation), checked once per node. */
  stop?: () => boolean;
}

export interface WalkStats {
  /** Distinct nodes visited (the start included). */
  states: number;
  transitions: number;
  depth: number;
  /** Why the walk stopped before its depth, if it did. */
  cut?: 'transitions' | 'nodes' | 'stopped';
}

/**
 * Visits `start`, then every node `expand` leads to, layer by layer, to `depth` layers; a node
 * whose key was seen is not expanded again. `expand` returns the children of a node and how many
 * transitions it took to find them.
 */
export function breadthFirst<N>(options: {
  start: N;
  depth: number;
  key: (node: N) => string;
  expand: (node: N) => { children: N[]; transitions: number };
  budget?: WalkBudget;
}): WalkStats {
  const { depth, key, expand, budget = {} } = options;
  const seen = new Set<string>([key(options.start)]);
  const stats: WalkStats = { states: 1, transitions: 0, depth };
  let layer: N[] = [options.start];
  for (let level = 0; level < depth && layer.length; level++) {
    const next: N[] = [];
    for (const node of layer) {
      if (budget.stop?.()) {
        stats.cut = 'stopped';
        return stats;
      }
      const { children, transitions } = expand(node);
      stats.transitions += transitions;
      for (const child of children) {
        const k = key(child);
        if (seen.has(k)) continue;
        if (budget.maxNodes !== undefined && seen.size >= budget.maxNodes) {
          stats.cut = 'nodes';
          return stats;
        }
        seen.add(k);
        stats.states++;
        next.push(child);
      }
      if (budget.maxTransitions !== undefined && stats.transitions >= budget.maxTransitions) {
        stats.cut = 'transitions';
        return stats;
      }
    }
    layer = next;
  }
  return stats;
}

/** One sequence after which the two systems' observations differ. */
export interface PairDifference<St, O> {
  steps: St[];
  /** The assumptions of the first branch on which it was found. */
  assumptions: Assumptions;
  /** The assumptions of every branch on which this sequence differs. */
  branches: Assumptions[];
  /** The two observations of the last step. */
  before: O;
  after: O;
}

export interface PairOptions<St, O> {
  depth: number;
  alphabet: readonly St[];
  /** The observation's comparison key: two observations differ when their keys differ. */
  observe: (o: O) => string;
  budget?: WalkBudget;
}

interface PairNode<S, St> {
  a: S;
  b: S;
  assumptions: Assumptions;
  /** The step that led here and the node it left: the sequence is read back only when reported. */
  step?: St;
  parent?: PairNode<S, St>;
}

function stepsTo<S, St>(node: PairNode<S, St>, last: St): St[] {
  const steps = [last];
  for (let n: PairNode<S, St> | undefined = node; n?.step !== undefined; n = n.parent) steps.push(n.step);
  return steps.reverse();
}

/**
 * The unknown identifiers a difference depends on: those assumed on some branch where it was
 * found but not found under both values (a difference under 0 and under 1 does not depend on it).
 */
export function dependencies(branches: readonly Assumptions[]): string[] {
  const names = [...new Set(branches.flatMap((b) => Object.keys(b)))].sort();
  return names.filter((n) => !(branches.some((b) => b[n] === 0) && branches.some((b) => b[n] === 1)));
}

function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let i = 0;
  for (const s of long) if (i < short.length && s === short[i]) i++;
  return i === short.length;
}

/**
 * Explores `a` and `b` together from their initial states. A step whose observations differ ends
 * that branch and is reported, so every sequence is a shortest one to its difference and no
 * extension of a differing prefix is reported. A sequence is also left out when a shorter
 * reported one is a subsequence of it and ends in the same step with the same pair of
 * observations ("open; d3hot; mmio-read" adds nothing to "open; mmio-read").
 */
export function explorePair<S, St extends StepLike, O>(
  a: TransitionSystem<S, St, O>,
  b: TransitionSystem<S, St, O>,
  options: PairOptions<St, O>,
): { differences: PairDifference<St, O>[]; stats: WalkStats } {
  const { alphabet, observe } = options;
  const found = new Map<string, PairDifference<St, O> & { signature: string }>();
  const start: PairNode<S, St> = { a: a.initial, b: b.initial, assumptions: {} };
  const stats = breadthFirst<PairNode<S, St>>({
    start,
    depth: options.depth,
    budget: options.budget,
    key: (n) => `${a.key(n.a)}/${b.key(n.b)}/${assumptionKey(n.assumptions)}`,
    expand: (node) => {
      const children: PairNode<S, St>[] = [];
      let transitions = 0;
      for (const step of alphabet) {
        if (a.refusal(node.a, step)) continue;
        for (const ra of a.step(node.a, step, node.assumptions)) {
          for (const rb of b.step(node.b, step, ra.assumptions)) {
            transitions++;
            // one transition on both sides (a system compared with itself, memoised): the same observation
            if (ra !== rb) {
              const ka = observe(ra.observation);
              const kb = observe(rb.observation);
              if (ka !== kb) {
                note(found, stepsTo(node, step), rb, ra.observation, ka, kb);
                continue;
              }
            }
            // a transition's assumptions are never changed afterwards: the child shares them
            children.push({ a: ra.state, b: rb.state, assumptions: rb.assumptions, step, parent: node });
          }
        }
      }
      return { children, transitions };
    },
  });
  const kept: (PairDifference<St, O> & { signature: string })[] = [];
  // what a difference depends on is known once every branch was walked: the signature keeps only that
  for (const f of found.values()) {
    const dependent = Object.fromEntries(dependencies(f.branches).map((n) => [n, f.assumptions[n]] as const));
    f.signature = JSON.stringify([f.signature, dependent]);
  }
  for (const f of found.values()) {
    const texts = f.steps.map((s) => s.text);
    const redundant = kept.some(
      (k) =>
        k.signature === f.signature &&
        k.steps.length < f.steps.length &&
        isSubsequence(
          k.steps.map((s) => s.text),
          texts,
        ),
    );
    if (!redundant) kept.push(f);
  }
  return { differences: kept.map(({ signature: _s, ...d }) => d), stats };
}

function note<S, St extends StepLike, O>(
  found: Map<string, PairDifference<St, O> & { signature: string }>,
  steps: St[],
  rb: Transition<S, O>,
  before: O,
  keyBefore: string,
  keyAfter: string,
): void {
  const texts = steps.map((s) => s.text);
  const key = texts.join(';');
  const existing = found.get(key);
  if (existing) {
    existing.branches.push({ ...rb.assumptions });
    return;
  }
  // a sequence whose prefix already differs (on another branch of an unknown identifier) extends it
  for (let n = 1; n < texts.length; n++) if (found.has(texts.slice(0, n).join(';'))) return;
  const signature = JSON.stringify([texts[texts.length - 1], keyBefore, keyAfter]);
  found.set(key, {
    steps,
    assumptions: { ...rb.assumptions },
    branches: [{ ...rb.assumptions }],
    before,
    after: rb.observation,
    signature,
  });
}

/** A labelled transition of one system (the first branch where an identifier is unknown). */
export interface ReachableEdge<S, St, O> {
  from: S;
  to: S;
  step: St;
  observation: O;
}

/**
 * The states one system reaches from its initial state within `depth` steps, with each distinct
 * (from, step, to) edge; at most `maxStates` states (then `stats.cut` says so).
 */
export function reachable<S, St extends StepLike, O>(
  system: TransitionSystem<S, St, O>,
  options: { depth: number; alphabet: readonly St[]; maxStates?: number; nodeKey?: (s: S) => string },
): { states: S[]; edges: ReachableEdge<S, St, O>[]; stats: WalkStats; frontier: boolean } {
  const nodeKey = options.nodeKey ?? ((s: S) => system.key(s));
  const states: S[] = [system.initial];
  const edges: ReachableEdge<S, St, O>[] = [];
  const seenEdges = new Set<string>();
  const admitted = new Set<string>([nodeKey(system.initial)]);
  let cutAtStates = false;
  let lastLayerOpen = false;
  const stats = breadthFirst<{ state: S; level: number }>({
    start: { state: system.initial, level: 0 },
    depth: options.depth,
    key: (n) => nodeKey(n.state),
    expand: ({ state, level }) => {
      const children: { state: S; level: number }[] = [];
      let transitions = 0;
      for (const step of options.alphabet) {
        if (system.refusal(state, step)) continue;
        const [t] = system.step(state, step, {});
        if (!t) continue;
        transitions++;
        const from = nodeKey(state);
        const to = nodeKey(t.state);
        const ek = `${from}|${step.text}|${to}`;
        if (!seenEdges.has(ek)) {
          seenEdges.add(ek);
          edges.push({ from: state, to: t.state, step, observation: t.observation });
        }
        if (!admitted.has(to)) {
          if (options.maxStates !== undefined && admitted.size >= options.maxStates) {
            cutAtStates = true;
            continue;
          }
          admitted.add(to);
          states.push(t.state);
          if (level + 1 === options.depth) lastLayerOpen = true;
        }
        children.push({ state: t.state, level: level + 1 });
      }
      return { children, transitions };
    },
  });
  if (cutAtStates) stats.cut = 'nodes';
  return { states, edges, stats, frontier: lastLayerOpen };
}
