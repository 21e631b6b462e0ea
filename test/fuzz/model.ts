/**
 * The model through the facade the CLI and the server call (analysis/modelRuns.ts): scripts,
 * comparisons and state diagrams over built-in kernels, or kernels whose decision is C of a
 * hostile shape (inputs.ts), with step scripts good and bad, short and long.
 */
import fc from 'fast-check';
import {
  StepScriptError,
  UnknownIdError,
  comparePolicies,
  kernelSpec,
  reachableStates,
  simulateScript,
} from '../../server/src/analysis/modelRuns';
import { parseSteps } from '../../server/src/model/index';
import {
  DECISION_POINTS,
  DEVICE_KIND_IDS,
  KERNEL_IDS,
  STEP_ACTIONS,
  type DecisionPoint,
  type KernelId,
  type PolicySpec,
} from '../../server/src/model/index';
import { checkSame, noThrow, PropertyFailure } from './checks';
import { expressionText, type ExpressionShape } from './inputs';
import { inspect } from './inspect';

export type PolicyRef =
  | { kernel: KernelId }
  | {
      base: KernelId;
      decision: DecisionPoint;
      expression: ExpressionShape | { class: 'c-text'; text: string };
    };

export type ModelInput =
  /** `times`: the steps after the first are repeated that many times (a long script, kept short here). */
  | { model: 'simulate'; device: string; policy: PolicyRef; steps: string; explain: boolean; times?: number }
  | { model: 'compare'; a: PolicyRef; b: PolicyRef; device?: string; depth: number; internal: boolean }
  | { model: 'states'; device: string; policy: PolicyRef; depth: number };

/** The kernel a reference stands for: a built-in one, or one whose decision is replaced by C. */
export function policyOfRef(ref: PolicyRef): PolicySpec | KernelId {
  if ('kernel' in ref) return ref.kernel;
  const base = kernelSpec(ref.base);
  const text = ref.expression.class === 'c-text' ? ref.expression.text : expressionText(ref.expression);
  return { ...base, id: `fuzz-${ref.base}`, decisions: { ...base.decisions, [ref.decision]: text } };
}

/** Errors the facade throws on purpose for bad arguments: a clear message, not a crash. */
function isClearError(e: unknown): boolean {
  return (e instanceof StepScriptError || e instanceof UnknownIdError) && (e as Error).message.length > 0;
}

/** Bound of reachableStates (MAX_DIAGRAM_STATES in simulation.ts): past it the walk says so. */
const DIAGRAM_STATES = 60;

/** The script of a simulate input: its steps, those after the first repeated `times` times. */
export function scriptOf(input: Extract<ModelInput, { model: 'simulate' }>): string {
  if (!input.times || input.times <= 1) return input.steps;
  const [first, ...rest] = input.steps.split(';');
  if (rest.length === 0) return input.steps;
  const tail = rest.join(';');
  return [first, ...Array.from({ length: input.times }, () => tail)].join(';');
}

function run(input: ModelInput): unknown {
  switch (input.model) {
    case 'simulate':
      return simulateScript(input.device as never, policyOfRef(input.policy), scriptOf(input), input.explain);
    case 'compare':
      return comparePolicies(policyOfRef(input.a), policyOfRef(input.b), {
        device: input.device as never,
        depth: input.depth,
        internal: input.internal,
      });
    case 'states':
      return reachableStates(input.device as never, policyOfRef(input.policy), { depth: input.depth });
  }
}

export function checkModel(input: ModelInput): void {
  const attempt = (): { value?: unknown; error?: unknown } => {
    try {
      return { value: run(input) };
    } catch (e) {
      if (isClearError(e)) return { error: e };
      return noThrow('model', () => {
        throw e;
      });
    }
  };
  const first = attempt();
  if (first.error) {
    const again = attempt();
    if (!again.error || (again.error as Error).message !== (first.error as Error).message)
      throw new PropertyFailure('model', 'same input, same output', 'an error once, not the next time');
    return;
  }
  const seen = inspect(first.value);
  checkSame('model', seen, inspect(attempt().value));
  if (input.model === 'states') {
    const r = first.value as { states: unknown[]; truncated: boolean };
    if (r.states.length > DIAGRAM_STATES)
      throw new PropertyFailure(
        'model',
        'budgets hold',
        `${r.states.length} states (bound ${DIAGRAM_STATES})`,
      );
  }
  if (input.model === 'simulate') {
    const r = first.value as { trace: unknown[] };
    const steps = parseSteps(scriptOf(input)).length;
    if (r.trace.length !== steps)
      throw new PropertyFailure(
        'model',
        'one trace entry per step',
        `${r.trace.length} entries for ${steps} steps`,
      );
  }
}

const STEP_WORDS = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...STEP_ACTIONS.filter((a) => !a.startsWith('write'))) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('0x0002', '0x0003', '0x0000', '0x0400', '0x00060002', '2', '0xffffffff'))
      .map(([v]) => `write-cmd ${v}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('write-cmd-byte 0x04 0x02', 'write-cmd-byte 0x05 0x04') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

export function stepScript(maxSteps: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constant('open'), fc.array(STEP_WORDS, { maxLength: maxSteps }))
    .map(([open, rest]) => [open, ...rest].join('; '));
}

export function policyRef(expression: fc.Arbitrary<PolicyRef & { base: KernelId }>): fc.Arbitrary<PolicyRef> {
  return fc.oneof(fc.record({ kernel: fc.constantFrom(...KERNEL_IDS) }), expression);
}

export function modelInput(
  expressions: fc.Arbitrary<ExpressionShape | { class: 'c-text'; text: string }>,
  maxSteps: number,
): fc.Arbitrary<ModelInput> {
  const ref = policyRef(
    fc.record({
      base: fc.constantFrom(...KERNEL_IDS),
      decision: fc.constantFrom(...DECISION_POINTS),
      expression: expressions,
    }),
  );
  const device = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...DEVICE_KIND_IDS) },
    fc.constant('no-such-device'),
  );
  return fc.oneof(
    fc.record({
      model: fc.constant('simulate' as const),
      device,
      policy: ref,
      steps: stepScript(Math.min(maxSteps, 32)),
      explain: fc.boolean(),
      times: fc.integer({ min: 1, max: Math.max(1, Math.floor(maxSteps / 8)) }),
    }),
    fc.record({
      model: fc.constant('compare' as const),
      a: ref,
      b: ref,
      device: fc.option(fc.constantFrom(...DEVICE_KIND_IDS), { nil: undefined }),
      depth: fc.integer({ min: 1, max: 5 }),
      internal: fc.boolean(),
    }),
    fc.record({
      model: fc.constant('states' as const),
      device,
      policy: ref,
      depth: fc.integer({ min: 1, max: 6 }),
    }),
  );
}
