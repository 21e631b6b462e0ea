/**
 * One policy on one device kind as a labelled transition system, with its transitions memoised.
 * Systems are cached per (policy content, device), so comparing many pairs reuses each side.
 */
import type { Assumptions, DeviceState, StepResult } from './machine';
import { applyStep, stateKey, stepRefusal } from './machine';
import { BoundedCache } from './cache';
import type { Policy } from './policy';
import type { Step } from './steps';
import { StepScriptError } from './steps';
import type { DeviceKind, TraceEntry } from './types';

function assumptionKey(a: Assumptions): string {
  const keys = Object.keys(a);
  if (keys.length === 0) return '';
  return keys
    .sort()
    .map((k) => `${k}=${a[k]}`)
    .join(',');
}

export class PolicySystem {
  private memo = new Map<string, StepResult[]>();
  transitionsComputed = 0;

  constructor(
    readonly policy: Policy,
    readonly device: DeviceKind,
  ) {}

  step(state: DeviceState, step: Step, assumptions: Assumptions): StepResult[] {
    const key = `${stateKey(state)}|${step.text}|${assumptionKey(assumptions)}`;
    let results = this.memo.get(key);
    if (!results) {
      results = applyStep(this.policy, this.device, state, step, assumptions);
      this.memo.set(key, results);
      this.transitionsComputed++;
    }
    return results;
  }

  /**
   * Runs a script from the closed device. Every branch of unknown identifiers is followed; the
   * first (all unknowns 0) comes first. A step the state refuses is a StepScriptError.
   */
  run(
    steps: Step[],
    start: DeviceState,
    assumptions: Assumptions = {},
  ): { assumptions: Assumptions; trace: TraceEntry[] }[] {
    let branches = [{ state: start, assumptions, trace: [] as TraceEntry[] }];
    steps.forEach((step, i) => {
      const refusal = stepRefusal(branches[0].state, step);
      if (refusal) throw new StepScriptError(`step ${i + 1} "${step.text}": ${refusal}`, i + 1, 0);
      branches = branches.flatMap((b) =>
        this.step(b.state, step, b.assumptions).map((r) => ({
          state: r.state,
          assumptions: r.assumptions,
          trace: [...b.trace, { step: i + 1, ...r.entry }],
        })),
      );
    });
    return branches.map(({ assumptions: a, trace }) => ({ assumptions: a, trace }));
  }
}

/** Systems per (policy content, device kind); 7 kinds x 64 policies. */
const systems = new BoundedCache<string, PolicySystem>(448);

export function policySystem(policy: Policy, device: DeviceKind): PolicySystem {
  const key = `${device.id}\u0000${policy.key}`;
  let system = systems.get(key);
  if (!system) {
    system = new PolicySystem(policy, device);
    systems.set(key, system);
  }
  return system;
}
