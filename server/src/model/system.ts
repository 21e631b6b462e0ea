/**
 * One policy on one device kind as a labelled transition system (model/core/system.ts), with its
 * transitions memoised: the one system of the vfio-pci model, whose steps are every row of
 * STEP_SYNTAX (the Command-register story's and the config space's). Systems are cached per
 * (device, what the device sees of the policy), so comparing many pairs reuses each side, and
 * policies that differ only where a device cannot tell (a setter on another creation path) share
 * that device's system.
 */
import { BoundedCache } from './cache';
import {
  MemoisedSystem,
  runScript,
  type Assumptions,
  type Transition,
  type TransitionSystem,
} from './core/system';
import type { DeviceState, StepObservation } from './machine';
import {
  CLOSED_STATE,
  applyStep,
  commandView,
  deviceContext,
  decisionsConsulted,
  stateKey,
  stepRefusal,
} from './machine';
import { explained, stepDisplay } from './observation';
import type { Policy } from './policy';
import { decisionReadsKey, deviceViewKey } from './scope';
import { configTablesKey } from './vfio/config/compilePart';
import type { Step } from './steps';
import { StepScriptError } from './steps';
import type { DeviceKind, Explanation, Expr, TraceEntry } from './types';
import type { Context, Layout } from './vfio/config/run';

/** The vfio-pci model of one device under one policy, before memoisation. */
class VfioSystem implements TransitionSystem<DeviceState, Step, StepObservation> {
  readonly initial = CLOSED_STATE;
  readonly ctx: Context;

  constructor(policy: Policy, device: DeviceKind) {
    this.ctx = deviceContext(policy, device);
  }

  /** Computed once per state (stateKey's memo): a step's result state is never changed afterwards. */
  key(state: DeviceState): string {
    return stateKey(state);
  }

  refusal(state: DeviceState, step: Step): string | null {
    return stepRefusal(this.ctx, state, step);
  }

  step(state: DeviceState, step: Step, assumptions: Assumptions) {
    return applyStep(this.ctx, state, step, assumptions).map((r) => ({
      state: r.state,
      assumptions: r.assumptions,
      observation: r.entry,
    }));
  }
}

type VfioTransition = Transition<DeviceState, StepObservation>;

export class PolicySystem extends MemoisedSystem<DeviceState, Step, StepObservation> {
  private readonly vfio: VfioSystem;
  /** The system whose transitions this one may take as its own (`reusing`), while a comparison runs. */
  private base: PolicySystem | undefined;
  /** Each decision's decisionReadsKey under this policy on this device, by decision name. */
  private readonly decisionKeys = new Map<string, string>();
  /** Transitions taken from the base system instead of computed (what `reusing` saved). */
  transitionsReused = 0;

  constructor(
    readonly policy: Policy,
    readonly device: DeviceKind,
  ) {
    const vfio = new VfioSystem(policy, device);
    super(vfio);
    this.vfio = vfio;
  }

  /** The Command-register view of a state of this system (the state diagram's nodes). */
  view(state: DeviceState): ReturnType<typeof commandView> {
    return commandView(this.vfio.ctx, state);
  }

  /**
   * Runs a script from the closed device. Every branch of unknown identifiers is followed; the
   * first (all unknowns 0) comes first. A step the state refuses is a StepScriptError.
   */
  run(
    steps: Step[],
    start: DeviceState = CLOSED_STATE,
    assumptions: Assumptions = {},
  ): { assumptions: Assumptions; trace: TraceEntry[] }[] {
    const runs = runScript(this, steps, start, assumptions, (m, p) => new StepScriptError(m, p, 0));
    return runs.map((r) => ({
      assumptions: r.assumptions,
      trace: r.observations.map((o, i) => this.traceEntry(o, i + 1)),
    }));
  }

  /**
   * While `run` runs, a transition this system has not computed is taken from `base` when `base`
   * computed it and every decision that step took reads the same of both policies (its text, the
   * setters, markers and constants it reaches: decisionReadsKey): the step then went the same way
   * on both, to the last operand (the rest a step reads, the traits and the config part's tables,
   * must be equal for `base` to be used at all). A patch that rewrites one decision, a
   * Command-register point or a config decision, recomputes only the steps that take it. The base
   * is dropped after `run`: no system keeps another alive.
   */
  reusing<T>(base: PolicySystem, run: () => T): T {
    if (base === this || base.device.id !== this.device.id || !sameOutsideDecisions(base.policy, this.policy))
      return run();
    this.base = base;
    try {
      return run();
    } finally {
      this.base = undefined;
    }
  }

  protected override compute(
    state: DeviceState,
    step: Step,
    assumptions: Assumptions,
  ): readonly VfioTransition[] {
    const reused = this.base && this.reusable(this.base, state, step, assumptions);
    if (!reused) return super.compute(state, step, assumptions);
    this.transitionsReused++;
    return reused;
  }

  private reusable(
    base: PolicySystem,
    state: DeviceState,
    step: Step,
    assumptions: Assumptions,
  ): readonly VfioTransition[] | undefined {
    const known = base.known(state, step, assumptions);
    if (!known) return undefined;
    // a state's bytes are kept relative to its layout (what open made), named by its content
    // (machine.ts layoutId, one id per content in every system): a state both systems reached
    // names one layout in both
    if (state.open && !base.layoutOf(state)) return undefined;
    for (const t of known)
      for (const d of decisionsConsulted(t.observation))
        if (this.decisionKey(d) !== base.decisionKey(d)) return undefined;
    // an open taken from the base leaves its layout
    for (const t of known) {
      const layout = base.layoutOf(t.state);
      if (layout && !this.layoutOf(t.state)) this.vfio.ctx.layouts.set(t.state.layout, layout);
    }
    return known;
  }

  private layoutOf(state: DeviceState): Layout | undefined {
    return state.open ? this.vfio.ctx.layouts.get(state.layout) : undefined;
  }

  private decisionKey(decision: string): string {
    let key = this.decisionKeys.get(decision);
    if (key === undefined) {
      const text =
        (this.policy.spec.decisions as Record<string, string | null>)[decision] ??
        (this.policy.spec.config.decisions as Record<string, string | null | undefined>)[decision] ??
        null;
      const expr = this.expression(decision);
      // a decision this kernel lacks (a point of the table, null) reads nothing: decide() returns null
      key =
        text === null && expr === null && this.isDecisionPoint(decision)
          ? 'absent'
          : decisionReadsKey(this.policy, this.device, text, expr);
      this.decisionKeys.set(decision, key);
    }
    return key;
  }

  /** Whether a name is one of the decision tables' points (else it names a table row's condition). */
  private isDecisionPoint(decision: string): boolean {
    return decision in this.policy.spec.decisions || decision in this.policy.spec.config.decisions;
  }

  /** The compiled expression of a decision the trace names (Command-register point or config decision). */
  private expression(decision: string): Expr | null {
    const command = (this.policy.decisions as Record<string, Expr | null>)[decision];
    if (command !== undefined) return command;
    return (this.policy.config.decisions as Record<string, Expr | null>)[decision] ?? null;
  }

  /**
   * A step of a run as a trace shows it: its position, its explanations annotated, its display.
   * The observations are memoised, and so is what is made of each (replays of the same steps,
   * as every comparison makes for its traces, format each observation once).
   */
  private traceEntry(o: StepObservation, step: number): TraceEntry {
    let shown = shownObservations.get(o);
    if (!shown) {
      const why = o.why.map((w: Explanation) => explained(w, this.expression(w.decision)));
      shown = { why, display: stepDisplay(o) };
      shownObservations.set(o, shown);
    }
    return { step, ...o, why: shown.why, display: shown.display };
  }
}

/**
 * Whether two policies read the same of everything but their decisions (the Command-register
 * points and the config part's): the traits and the config part's tables.
 */
function sameOutsideDecisions(a: Policy, b: Policy): boolean {
  return (
    JSON.stringify(Object.entries(a.traits).sort()) === JSON.stringify(Object.entries(b.traits).sort()) &&
    configTablesKey(a.spec.config) === configTablesKey(b.spec.config)
  );
}

/** What a trace shows of an observation (its annotated explanations and display), once per observation. */
const shownObservations = new WeakMap<StepObservation, Pick<TraceEntry, 'why' | 'display'>>();

/**
 * Systems per (device kind, its view of the policy): 16, each holding at most
 * MAX_MEMO_TRANSITIONS transitions (a config-space system's transitions carry the bytes and the
 * chunk traces: a few KB each; 64 systems held 102 MB after the 73 corpus and seed files, 16 hold
 * about a quarter, in the same time: the comparisons themselves are kept in compare.ts). A system shared by several policies annotates with its first
 * policy's decisions: the view holds their texts, so they are the same.
 */
const systems = new BoundedCache<string, PolicySystem>(16);

/**
 * Each policy's system keys per device, the same string object each time: a view key holds the
 * config tables, long to hash, and a string computes its hash once.
 */
const keysOfPolicy = new WeakMap<Policy, Map<string, string>>();

export function policySystem(policy: Policy, device: DeviceKind): PolicySystem {
  let mine = keysOfPolicy.get(policy);
  if (!mine) keysOfPolicy.set(policy, (mine = new Map()));
  let key = mine.get(device.id);
  if (key === undefined) mine.set(device.id, (key = `${device.id}\u0000${deviceViewKey(policy, device)}`));
  let system = systems.get(key);
  if (!system) {
    system = new PolicySystem(policy, device);
    systems.set(key, system);
  }
  return system;
}
