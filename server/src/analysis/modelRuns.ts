/**
 * The simulator facade the CLI and the language server call (synchronously, once
 * `await initCParser()` has resolved): scripts, comparisons and the behaviour matrix over
 * built-in kernel variants or PolicySpecs built from patches.
 */
import { parseCExpression } from '../csrc/cexpr';
import type {
  CompareResult,
  MatrixCell,
  MatrixPair,
  MatrixResult,
  ModelStateNode,
  SimulateResult,
  StatesResult,
} from './types';
import {
  BoundedCache,
  CLOSED_STATE,
  DEFAULT_DEPTH,
  DEVICE_KINDS,
  EXPLORATIONS,
  kindsOf,
  DEVICE_KIND_TABLE,
  EXPLORATION_ALPHABET,
  KERNEL_SPECS,
  KERNEL_TABLE,
  SCENARIOS,
  VFIO_PCI_MODEL,
  compilePolicy,
  decodeCommand,
  deviceKind,
  explorePair,
  observationOf,
  observedText,
  parseStep,
  parseSteps,
  policyContentKey,
  policySystem,
  reachable,
  runScenario,
  scenarioSummary,
  type DeviceKind,
  type DeviceKindId,
  type DeviceState,
  type Difference,
  type StepPart,
  type KernelId,
  type Policy,
  type PolicySpec,
  type TraceEntry,
} from '../model/index';

export { StepScriptError, UnknownIdError } from '../model/index';
import { StepScriptError } from '../model/index';

/** The device kind id itself, once checked (an UnknownIdError listing the valid ones otherwise). */
export function checkDevice(id: string): DeviceKindId {
  return DEVICE_KIND_TABLE.check(id);
}

/** The PolicySpec of a kernel variant (an UnknownIdError listing the valid ones for another id). */
export function kernelSpec(id: string): PolicySpec {
  return KERNEL_TABLE.get(id).spec;
}

export function deviceKinds(): { id: string; label: string; description: string }[] {
  return VFIO_PCI_MODEL.devices;
}

export function kernelVariants(): { id: string; label: string; description: string; commit?: string }[] {
  return VFIO_PCI_MODEL.variants;
}

const compiled = new BoundedCache<string, Policy>(128);

/**
 * Each spec's content key, by the spec itself: a spec is data, built whole (a kernel's row, or the
 * spec a patch makes) and never changed after, and an analysis asks for the policy of the same spec
 * hundreds of times (about 10 ms of JSON in a cold analysis of seed 002 otherwise).
 */
const contentKeys = new WeakMap<PolicySpec, string>();

/** The compiled policy of a spec or kernel id, cached by the spec's content. */
export function policyOf(spec: PolicySpec | KernelId | string): Policy {
  const s = typeof spec === 'string' ? kernelSpec(spec) : spec;
  let key = contentKeys.get(s);
  if (key === undefined) contentKeys.set(s, (key = policyContentKey(s)));
  let policy = compiled.get(key);
  if (!policy || policy.spec.id !== s.id) {
    policy = compilePolicy(s, parseCExpression);
    compiled.set(key, policy);
  }
  return policy;
}

function withoutOperands(trace: TraceEntry[]): TraceEntry[] {
  return trace.map((e) => ({
    ...e,
    why: e.why.map(({ operands: _o, ...rest }) => ({ ...rest, operands: [], text: rest.expression })),
  }));
}

export function simulateScript(
  device: DeviceKindId,
  spec: PolicySpec | KernelId,
  steps: string,
  explain = true,
): SimulateResult {
  const policy = policyOf(spec);
  const kind = deviceKind(checkDevice(device));
  const branches = policySystem(policy, kind).run(parseSteps(steps), CLOSED_STATE);
  const shape = (t: TraceEntry[]) => (explain ? t : withoutOperands(t));
  const result: SimulateResult = { device, kernel: policy.spec.id, trace: shape(branches[0].trace) };
  if (branches.length > 1) {
    result.branches = branches.map((b) => ({ assumptions: { ...b.assumptions }, trace: shape(b.trace) }));
  }
  return result;
}

export interface CompareOptions {
  device?: DeviceKindId;
  /** Overrides each exploration's own depth (the Command-register story 6, the config space 3). */
  depth?: number;
  internal?: boolean;
  /** Only this exploration (EXPLORATIONS: 'command' or 'config'); default every one. */
  part?: StepPart;
  /** Checked at every node of the walks: true ends them (the analysis budget); the result is partial. */
  stop?: () => boolean;
  /** Only the differences are wanted: the sizes in `stats` then leave out the devices not walked (model/compare.ts). */
  differencesOnly?: boolean;
}

/**
 * Two kernels compared: each exploration of the model (EXPLORATIONS) on the kinds of its story,
 * or on the one device asked for, at its own depth unless one is given.
 */
export function comparePolicies(
  a: PolicySpec | KernelId,
  b: PolicySpec | KernelId,
  opts: CompareOptions = {},
): CompareResult {
  const pa = policyOf(a);
  const pb = policyOf(b);
  const asked = opts.device ? deviceKind(checkDevice(opts.device)) : undefined;
  const runs = EXPLORATIONS.filter((e) => !opts.part || e.part === opts.part);
  const stats: NonNullable<CompareResult['stats']> = {
    states: 0,
    transitions: 0,
    depth: opts.depth ?? runs[0]?.depth ?? DEFAULT_DEPTH,
    devices: 0,
    parts: [],
  };
  const differences: Difference[] = [];
  let stopped = false;
  for (const how of runs) {
    const devices = asked ? [asked] : kindsOf(how.story);
    const depth = opts.depth ?? how.depth;
    const part = { part: how.part, depth, devices: devices.length, states: 0, transitions: 0 };
    for (const device of devices) {
      if (stopped) break;
      const r = explorePair(pa, pb, device, {
        depth,
        internal: opts.internal,
        part: how.part,
        stop: opts.stop,
        differencesOnly: opts.differencesOnly,
      });
      if (r.stopped) stopped = true;
      part.states += r.stats.states;
      part.transitions += r.stats.transitions;
      differences.push(...r.differences);
    }
    stats.states += part.states;
    stats.transitions += part.transitions;
    stats.parts!.push(part);
  }
  stats.devices = new Set(
    [...(asked ? [asked] : runs.flatMap((h) => kindsOf(h.story)))].map((d) => d.id),
  ).size;
  return { differences, stats, ...(stopped ? { stopped } : {}) };
}

/** Two traces of one scenario compared step by step through the model's formatter ("=", or the first difference). */
export function comparedTraces(a: TraceEntry[], b: TraceEntry[]): { text: string; differing: number } {
  const texts = (t: TraceEntry[]) => t.map((e) => observationOf(e));
  const [oa, ob] = [texts(a), texts(b)];
  let first: string | undefined;
  let differing = 0;
  for (let i = 0; i < Math.max(oa.length, ob.length); i++) {
    const [x, y] = [oa[i], ob[i]];
    if (x?.text === y?.text) continue;
    differing++;
    first ??= `${(x ?? y).step}: ${x ? observedText(x) : 'no step'} \u2192 ${y ? observedText(y) : 'no step'}`;
  }
  if (first === undefined) return { text: '=', differing };
  return { text: differing > 1 ? `${first} (+${differing - 1} more)` : first, differing };
}

/** A scenario's cell: the summary of its run, or why it does not apply to the device. */
function scenarioCell(
  scenario: (typeof SCENARIOS)[number],
  policy: Policy,
  device: DeviceKind,
): { cell: MatrixCell; trace?: TraceEntry[] } {
  const base = { scenario: scenario.id, device: device.id, kernel: policy.spec.id };
  try {
    const trace = runScenario(scenario, policy, device);
    return { cell: { ...base, summary: scenarioSummary(trace), steps: trace.map((e) => e.action) }, trace };
  } catch (e) {
    if (!(e instanceof StepScriptError)) throw e;
    return { cell: { ...base, summary: `not applicable: ${e.message}`, steps: [] } };
  }
}

export function behaviourMatrix(specs?: PolicySpec[]): MatrixResult {
  const policies = (specs ?? KERNEL_SPECS).map((s) => policyOf(s));
  const cells: MatrixCell[] = [];
  const pairs: MatrixPair[] = [];
  for (const scenario of SCENARIOS) {
    for (const device of DEVICE_KINDS) {
      const traces = policies.map((policy) => {
        const { cell, trace } = scenarioCell(scenario, policy, device);
        cells.push(cell);
        return trace;
      });
      const [ta, tb] = traces;
      if (traces.length === 2) {
        // a scenario that does not apply to the device (a step it refuses) on one side or both
        const { text, differing } =
          ta && tb
            ? comparedTraces(ta, tb)
            : { text: ta || tb ? 'not applicable on one side' : '=', differing: ta || tb ? 1 : 0 };
        pairs.push({
          scenario: scenario.id,
          device: device.id,
          differs: differing > 0,
          text,
          differingSteps: differing,
        });
      }
    }
  }
  return {
    scenarios: SCENARIOS.map((s) => ({
      id: s.id,
      steps: parseSteps(s.script).map((x) => x.text),
      description: s.description,
    })),
    devices: DEVICE_KINDS.map((d) => d.id),
    kernels: policies.map((p) => p.spec.id),
    cells,
    ...(policies.length === 2 ? { pairs } : {}),
  };
}

/** Bound on the states of a diagram: past this the exploration stops and says so. */
const MAX_DIAGRAM_STATES = 60;

function stateNode(s: {
  open: boolean;
  virt: number;
  hw: number;
  barsValid: boolean;
  mapped: boolean;
  power: number;
}): ModelStateNode {
  const id =
    `${s.open ? 'open' : 'closed'} virt=0x${s.virt.toString(16).padStart(4, '0')} ` +
    `hw=0x${s.hw.toString(16).padStart(4, '0')} bars=${s.barsValid ? 'saved' : 'lost'} ` +
    `map=${s.mapped ? 'mapped' : 'zapped'}${s.power ? ` D${s.power}` : ''}`;
  const label = s.open
    ? `v:${decodeCommand(s.virt & 0x3) || '-'} hw:${decodeCommand(s.hw & 0x3) || '-'}` +
      `${s.barsValid ? '' : ' BARs lost'}${s.power ? ` D${s.power}hot` : ''}`
    : 'closed';
  return { id, label, virt: s.virt, hw: s.hw, barsValid: s.barsValid, zap: !s.mapped };
}

/**
 * The states one device reaches under one kernel, breadth first from the closed device, with the
 * step that leads from each to the next (the first branch where an identifier is unknown).
 */
export function reachableStates(
  device: DeviceKindId,
  spec: PolicySpec | KernelId,
  options: { depth?: number; steps?: string[] } = {},
): StatesResult {
  const policy = policyOf(spec);
  const system = policySystem(policy, deviceKind(checkDevice(device)));
  const alphabet = options.steps ? options.steps.map((t) => parseStep(t)) : EXPLORATION_ALPHABET;
  const node = (s: DeviceState) => stateNode(system.view(s));
  const walk = reachable(system, {
    depth: options.depth ?? DEFAULT_DEPTH,
    alphabet,
    maxStates: MAX_DIAGRAM_STATES,
    nodeKey: (s) => node(s).id,
  });
  return {
    device,
    kernel: policy.spec.id,
    initial: node(CLOSED_STATE).id,
    states: walk.states.map(node),
    edges: walk.edges.map((e) => ({
      from: node(e.from).id,
      to: node(e.to).id,
      step: e.step.text,
      outcome: e.observation.outcome,
      restore: e.observation.restore,
    })),
    truncated: walk.frontier || walk.stats.cut !== undefined,
  };
}
