/**
 * One policy on one device kind as a labelled transition system (model/core/system.ts), with its
 * transitions memoised: the one system of the vfio-pci model, whose steps are every row of
 * STEP_SYNTAX (the Command-register story's and the config space's). Systems are cached per
 * (device, what the device sees of the policy), so comparing many pairs reuses each side, and
 * policies that differ only where a device cannot tell (a setter on another creation path) share
 * that device's system.
 */
import { BoundedCache } from './cache';
import { MemoisedSystem, runScript, type Assumptions, type TransitionSystem } from './core/system';
import type { DeviceState, StepObservation } from './machine';
import { CLOSED_STATE, applyStep, commandView, deviceContext, stateKey, stepRefusal } from './machine';
import { explained, stepDisplay } from './observation';
import type { Policy } from './policy';
import { deviceViewKey } from './scope';
import type { Step } from './steps';
import { StepScriptError } from './steps';
import type { DeviceKind, Explanation, Expr, TraceEntry } from './types';
import type { Context } from './vfio/config/run';

/** State keys, computed once per state: a step's result state is never changed afterwards. */
const stateKeys = new WeakMap<DeviceState, string>();

/** The vfio-pci model of one device under one policy, before memoisation. */
class VfioSystem implements TransitionSystem<DeviceState, Step, StepObservation> {
  readonly initial = CLOSED_STATE;
  readonly ctx: Context;

  constructor(policy: Policy, device: DeviceKind) {
    this.ctx = deviceContext(policy, device);
  }

  key(state: DeviceState): string {
    let key = stateKeys.get(state);
    if (key === undefined) stateKeys.set(state, (key = stateKey(state)));
    return key;
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

export class PolicySystem extends MemoisedSystem<DeviceState, Step, StepObservation> {
  private readonly vfio: VfioSystem;

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
