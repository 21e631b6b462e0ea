/**
 * One QEMU version on one zPCI device kind (on one host) as a labelled transition system
 * (model/core/system.ts), memoised; systems are cached per (version content, device, host), so
 * comparing many pairs reuses each side. `run` replays a script from the unplugged function.
 */
import { BoundedCache } from '../cache';
import type { Assumptions, TransitionSystem } from '../core/system';
import { MemoisedSystem, runScript } from '../core/system';
import { StepScriptError } from '../steps';
import type { ZpciVersion } from './compile';
import type { CompiledHost } from './host';
import type { ZpciModel } from './machine';
import { UNPLUGGED, applyZpciStep, zpciModel, zpciStateKey, zpciStepRefusal } from './machine';
import type { ZpciState } from './scope';
import type { ZpciDeviceKind, ZpciObservation, ZpciStep, ZpciTraceEntry } from './types';

class ZpciTransitions implements TransitionSystem<ZpciState, ZpciStep, ZpciObservation> {
  readonly initial = UNPLUGGED;

  constructor(readonly model: ZpciModel) {}

  key(state: ZpciState): string {
    return zpciStateKey(state);
  }

  refusal(state: ZpciState, step: ZpciStep): string | null {
    return zpciStepRefusal(state, step);
  }

  step(state: ZpciState, step: ZpciStep, assumptions: Assumptions) {
    return applyZpciStep(this.model, state, step, assumptions);
  }
}

export class ZpciSystem extends MemoisedSystem<ZpciState, ZpciStep, ZpciObservation> {
  readonly model: ZpciModel;

  constructor(version: ZpciVersion, device: ZpciDeviceKind, host: CompiledHost) {
    const model = zpciModel(version, device, host);
    super(new ZpciTransitions(model));
    this.model = model;
  }

  /** Runs a script from the unplugged function, every branch of unknown names (all 0 first). */
  run(
    steps: readonly ZpciStep[],
    start: ZpciState = UNPLUGGED,
    assumptions: Assumptions = {},
  ): { assumptions: Assumptions; trace: ZpciTraceEntry[] }[] {
    const runs = runScript(this, steps, start, assumptions, (m, p) => new StepScriptError(m, p, 0));
    return runs.map((r) => ({
      assumptions: r.assumptions,
      trace: r.observations.map((o, i) => ({ step: i + 1, ...o })),
    }));
  }
}

/**
 * The systems last used (each memoises its transitions): 512 held 87 MB after the 73 corpus and
 * seed files (140 systems), 32 what one document's comparisons use again, in the same time.
 */
const systems = new BoundedCache<string, ZpciSystem>(32);

const deviceKeys = new WeakMap<ZpciDeviceKind, string>();

/** A device row's content (two rows with one id but other facts are other devices). */
function deviceKey(device: ZpciDeviceKind): string {
  let key = deviceKeys.get(device);
  if (key === undefined) {
    key = JSON.stringify(device);
    deviceKeys.set(device, key);
  }
  return key;
}

export function zpciSystem(version: ZpciVersion, device: ZpciDeviceKind, host: CompiledHost): ZpciSystem {
  const key = `${deviceKey(device)}\u0000${JSON.stringify(host.spec)}\u0000${version.key}`;
  let system = systems.get(key);
  if (!system) {
    system = new ZpciSystem(version, device, host);
    systems.set(key, system);
  }
  return system;
}
