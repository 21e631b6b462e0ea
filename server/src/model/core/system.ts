/**
 * The shape every executable model has (the vfio-pci config-space model, the zPCI model, PCI
 * core's VF rules): a labelled transition system over its own states, steps and observations.
 * A step whose decisions need the value of an identifier the model does not know forks: one
 * transition per assumed value, each carrying the assumptions it was taken under.
 */

export type Assumptions = Readonly<Record<string, number>>;

/** A step as the exploration sees it: its normalised text names it ("write-cmd 0x0002"). */
export interface StepLike {
  readonly text: string;
}

export interface Transition<S, O> {
  state: S;
  assumptions: Assumptions;
  observation: O;
}

export interface TransitionSystem<S, St extends StepLike, O> {
  /** The state every run starts from (a closed device, an unplugged function). */
  readonly initial: S;
  /** A stable text of everything in the state that can change what a later step observes. */
  key(state: S): string;
  /** Why the step cannot run in this state (exploration skips it, a script reports it), or null. */
  refusal(state: S, step: St): string | null;
  /** The transitions of one step: one, or one per value of each unknown identifier it needed. */
  step(state: S, step: St, assumptions: Assumptions): readonly Transition<S, O>[];
}

export function assumptionKey(a: Assumptions): string {
  const names = Object.keys(a);
  if (names.length === 0) return '';
  return names
    .sort()
    .map((k) => `${k}=${a[k]}`)
    .join(',');
}

/**
 * The transitions one memoised system keeps: past this many it forgets them all and starts over
 * (a memo is a cache: an exploration only runs slower), so what a long-lived server holds per
 * system is bounded by count, not by how much of a big config space was ever walked.
 */
export const MAX_MEMO_TRANSITIONS = 4096;

/** Wraps a system so each (state, step, assumptions) is computed once (within MAX_MEMO_TRANSITIONS). */
export class MemoisedSystem<S, St extends StepLike, O> implements TransitionSystem<S, St, O> {
  private memo = new Map<string, readonly Transition<S, O>[]>();
  transitionsComputed = 0;

  constructor(private readonly inner: TransitionSystem<S, St, O>) {}

  get initial(): S {
    return this.inner.initial;
  }

  key(state: S): string {
    return this.inner.key(state);
  }

  refusal(state: S, step: St): string | null {
    return this.inner.refusal(state, step);
  }

  step(state: S, step: St, assumptions: Assumptions): readonly Transition<S, O>[] {
    const k = this.memoKey(state, step, assumptions);
    let results = this.memo.get(k);
    if (!results) {
      results = this.compute(state, step, assumptions);
      if (this.memo.size >= MAX_MEMO_TRANSITIONS) this.memo.clear();
      this.memo.set(k, results);
    }
    return results;
  }

  /** The transitions of a step already computed (or reused), without computing them. */
  known(state: S, step: St, assumptions: Assumptions): readonly Transition<S, O>[] | undefined {
    return this.memo.get(this.memoKey(state, step, assumptions));
  }

  /** A step's transitions on a miss: the inner system's (a subclass may find them elsewhere first). */
  protected compute(state: S, step: St, assumptions: Assumptions): readonly Transition<S, O>[] {
    this.transitionsComputed++;
    return this.inner.step(state, step, assumptions);
  }

  private memoKey(state: S, step: St, assumptions: Assumptions): string {
    return `${this.inner.key(state)}|${step.text}|${assumptionKey(assumptions)}`;
  }
}

/** A step a state refuses while a script runs: the message names the step and its position. */
export class RefusedStepError extends Error {
  constructor(
    message: string,
    /** 1-based position of the step in the script. */
    readonly position: number,
  ) {
    super(message);
  }
}

export interface Run<O> {
  assumptions: Assumptions;
  /** One observation per step, in order. */
  observations: O[];
}

/**
 * Runs a script from `start`, following every branch of unknown identifiers (all unknowns 0 come
 * first). A step the state refuses throws `refused(message, position)` (the model's own error).
 */
export function runScript<S, St extends StepLike, O>(
  system: TransitionSystem<S, St, O>,
  steps: readonly St[],
  start: S,
  assumptions: Assumptions = {},
  refused: (message: string, position: number) => Error = (m, p) => new RefusedStepError(m, p),
): Run<O>[] {
  let branches: { state: S; assumptions: Assumptions; observations: O[] }[] = [
    { state: start, assumptions, observations: [] },
  ];
  steps.forEach((step, i) => {
    const refusal = system.refusal(branches[0].state, step);
    if (refusal) throw refused(`step ${i + 1} "${step.text}": ${refusal}`, i + 1);
    branches = branches.flatMap((b) => {
      const ts = system.step(b.state, step, b.assumptions);
      // a branch that does not fork keeps its list (copying it every step was quadratic in the script)
      return ts.map((t, k) => {
        const observations = k === ts.length - 1 ? b.observations : b.observations.slice();
        observations.push(t.observation);
        return { state: t.state, assumptions: t.assumptions, observations };
      });
    });
  });
  return branches.map(({ assumptions: a, observations }) => ({ assumptions: a, observations }));
}
