/**
 * One policy on one device kind as a labelled transition system (model/core/system.ts), with its
 * transitions memoised. Systems are cached per (device, what the device sees of the policy), so
 * comparing many pairs reuses each side, and policies that differ only where a device cannot tell
 * (a setter on another creation path) share that device's system.
 */
import { BoundedCache } from './cache';
import { MemoisedSystem, runScript, type Assumptions, type TransitionSystem } from './core/system';
import type { DeviceState, StepObservation } from './machine';
import { CLOSED_STATE, applyStep, stateKey, stepRefusal } from './machine';
import { explained, stepDisplay } from './observation';
import type { Policy } from './policy';
import { deviceViewKey } from './scope';
import type { Step } from './steps';
import { StepScriptError } from './steps';
import type { DeviceKind, TraceEntry } from './types';

/** State keys, computed once per state: a step's result state is never changed afterwards. */
const stateKeys = new WeakMap<DeviceState, string>();

/** The vfio-pci model of one device under one policy, before memoisation. */
class VfioSystem implements TransitionSystem<DeviceState, Step, StepObservation> {
  readonly initial = CLOSED_STATE;

  constructor(
    readonly policy: Policy,
    readonly device: DeviceKind,
  ) {}

  key(state: DeviceState): string {
    let key = stateKeys.get(state);
    if (key === undefined) stateKeys.set(state, (key = stateKey(state)));
    return key;
  }

  refusal(state: DeviceState, step: Step): string | null {
    return stepRefusal(state, step);
  }

  step(state: DeviceState, step: Step, assumptions: Assumptions) {
    return applyStep(this.policy, this.device, state, step, assumptions).map((r) => ({
      state: r.state,
      assumptions: r.assumptions,
      observation: r.entry,
    }));
  }
}

export class PolicySystem extends MemoisedSystem<DeviceState, Step, StepObservation> {
  constructor(
    readonly policy: Policy,
    readonly device: DeviceKind,
  ) {
    super(new VfioSystem(policy, device));
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
   * A step of a run as a trace shows it: its position, its explanations annotated, its display.
   * The observations are memoised, and so is what is made of each (replays of the same steps,
   * as every comparison makes for its traces, format each observation once).
   */
  private traceEntry(o: StepObservation, step: number): TraceEntry {
    let shown = shownObservations.get(o);
    if (!shown) {
      const why = o.why.map((w) => explained(w, this.policy.decisions[w.decision]));
      shown = { why, display: stepDisplay(o) };
      shownObservations.set(o, shown);
    }
    return { step, ...o, why: shown.why, display: shown.display };
  }
}

/** What a trace shows of an observation (its annotated explanations and display), once per observation. */
const shownObservations = new WeakMap<StepObservation, Pick<TraceEntry, 'why' | 'display'>>();

/**
 * Systems per (device kind, its view of the policy); 7 kinds x 64 policies. A system shared by
 * several policies annotates with its first policy's decisions: the view holds their texts, so
 * they are the same.
 */
const systems = new BoundedCache<string, PolicySystem>(448);

export function policySystem(policy: Policy, device: DeviceKind): PolicySystem {
  const key = `${device.id}\u0000${deviceViewKey(policy, device)}`;
  let system = systems.get(key);
  if (!system) {
    system = new PolicySystem(policy, device);
    systems.set(key, system);
  }
  return system;
}
