/**
 * The zPCI state machine of one function under one QEMU version on one host: each step is a row
 * of STEP_HANDLERS. A check whose value depends on a name the model does not know forks the step
 * (one result per assumed value, 0 then 1), as the vfio model does.
 */
import type { Assumptions } from '../core/system';
import { NeedsAssumption } from '../evaluate';
import type { FunctionGroup } from './clp';
import { functionGroup } from './clp';
import type { ZpciVersion } from './compile';
import { FH_MASK_ENABLE, FH_SHM_EMUL, FH_SHM_VFIO, ZPCI_FS, ZPCI_PFT_ISM, constantName } from './constants';
import { evaluateCheck, evaluateExpression, firstHolding } from './evaluation';
import type { CompiledHost, ZdevGroupInfo } from './host';
import { zdevGroupInfo } from './host';
import { outcomeOf, runInstruction } from './instruction';
import type { ScopeContext, ZpciState } from './scope';
import { local, zpciScope } from './scope';
import type { ZpciDeviceKind, ZpciExplanation, ZpciObservation, ZpciStep, ZpciStepAction } from './types';

/** One function under one version on one host: everything a step needs besides the state. */
export interface ZpciModel {
  version: ZpciVersion;
  device: ZpciDeviceKind;
  host: CompiledHost;
  zdev: ZdevGroupInfo;
}

export function zpciModel(version: ZpciVersion, device: ZpciDeviceKind, host: CompiledHost): ZpciModel {
  return { version, device, host, zdev: zdevGroupInfo(host.spec, device) };
}

export const UNPLUGGED: ZpciState = {
  plug: 'unplugged',
  fs: ZPCI_FS.ZPCI_FS_RESERVED,
  fh: 0,
  blocked: false,
  interp: false,
  problemState: false,
};

export function zpciStateKey(s: ZpciState): string {
  return `${s.plug[0]}${s.fs}.${(s.fh >>> 0).toString(16)}${+s.blocked}${+s.interp}${+s.problemState}`;
}

/** The function index QEMU gives the one function of the model (fh bits 0-15). */
const FUNCTION_INDEX = 1;

/** Why a step cannot run in this state (exploration skips it, a script reports it), or null. */
export function zpciStepRefusal(state: ZpciState, step: ZpciStep): string | null {
  if (step.action === 'plug' && state.plug === 'plugged') return 'the function is already plugged';
  if (step.action === 'error' && state.plug !== 'plugged') return 'no function is plugged: start with "plug"';
  return null;
}

export function groupOf(model: ZpciModel, state: ZpciState): FunctionGroup {
  return functionGroup(model.version.spec.traits, model.device, model.zdev, state.interp);
}

class StepRun {
  readonly state: ZpciState;
  readonly observation: ZpciObservation;
  readonly ctx: ScopeContext;
  private readonly scopes: ReturnType<typeof zpciScope>[] = [];

  constructor(
    readonly model: ZpciModel,
    before: ZpciState,
    readonly step: ZpciStep,
    readonly assumptions: Assumptions,
    readonly assumed: Set<string>,
  ) {
    this.state = { ...before };
    this.observation = {
      action: step.text,
      outcome: { kind: 'state', key: step.action, description: '' },
      why: [],
    };
    this.ctx = {
      traits: model.version.spec.traits,
      device: model.device,
      host: model.host,
      zdev: model.zdev,
      group: groupOf(model, this.state),
      state: this.state,
      locals: new Map(),
    };
  }

  /** A scope on the current state; the unknown names it assumed are collected by finish(). */
  scope() {
    this.ctx.group = groupOf(this.model, this.state);
    const scope = zpciScope(this.ctx, this.assumptions);
    this.scopes.push(scope);
    return scope;
  }

  finish(): void {
    for (const s of this.scopes) for (const name of s.assumed) this.assumed.add(name);
  }

  note(text: string): void {
    (this.observation.notes ??= []).push(text);
  }

  state_(key: string, description: string): void {
    this.observation.outcome = { kind: 'state', key, description };
  }
}

type StepHandler = (run: StepRun) => void;

function clp(kind: 'enable' | 'disable'): StepHandler {
  return (run) => {
    const s = run.state;
    const checks = run.model.version.clp[kind];
    const r = firstHolding(checks, run.scope(), `clp-${kind}`);
    run.observation.why.push(...r.why);
    if (r.decided) {
      run.observation.outcome = outcomeOf(r.decided.outcome);
      return;
    }
    if (kind === 'enable') {
      s.fh = (s.fh | FH_MASK_ENABLE) >>> 0;
      s.fs = ZPCI_FS.ZPCI_FS_ENABLED;
      if (s.interp)
        run.note('interpreted: the host fh is re-read (s390_pci_get_host_fh) and assumed enabled');
    } else {
      s.fh = (s.fh & ~FH_MASK_ENABLE) >>> 0;
      s.fs = ZPCI_FS.ZPCI_FS_DISABLED;
      s.blocked = false;
    }
    run.observation.outcome = { kind: 'clp', response: 'CLP_RC_OK', fh: s.fh };
  };
}

function plug(run: StepRun): void {
  const { model, state: s } = run;
  const plugSpec = model.version.plug;
  s.interp = false;
  if (model.device.backend === 'vfio' && plugSpec.interpretation) {
    run.ctx.locals.set('pbdev->interp', local(1, 'the interpret property (on by default)'));
    const e = evaluateExpression(plugSpec.interpretation, run.scope());
    run.observation.why.push({
      node: 'plug/interpretation',
      label: 'interpretation chosen',
      expression: model.version.spec.plug.interpretation ?? '',
      operands: e.operands,
      result: Number(!!e.value),
    });
    s.interp = !!e.value;
    run.ctx.locals.delete('pbdev->interp');
  }
  // pbdev->state is set before the fence: the group and the interp decision are in place.
  s.plug = 'plugged';
  const scope = run.scope();
  for (const c of plugSpec.checks) {
    const e = evaluateCheck(c, scope, `plug/${c.id}`);
    run.observation.why.push(e);
    if (e.result) {
      e.decided = true;
      Object.assign(s, {
        ...UNPLUGGED,
        plug: 'refused',
        refusedBecause: c.message,
        problemState: s.problemState,
      });
      run.observation.outcome = { kind: 'plug-refused', message: c.message };
      return;
    }
  }
  const traits = model.version.spec.traits;
  const shm = s.interp || !traits.fhShmBits ? 0 : model.device.backend === 'vfio' ? FH_SHM_VFIO : FH_SHM_EMUL;
  s.fh = (FUNCTION_INDEX | shm) >>> 0;
  s.fs = ZPCI_FS.ZPCI_FS_DISABLED;
  s.blocked = false;
  delete s.refusedBecause;
  if (!model.device.hasMsix && !plugSpec.checks.length)
    run.note('no MSI-X capability: msix.available = false, plugged anyway');
  run.note('plug covers the hot plug and the guest configuring the function (standby -> disabled)');
  run.observation.outcome = { kind: 'plugged', interpreted: s.interp, fh: s.fh };
}

function instruction(run: StepRun): void {
  const { model, state: s, step } = run;
  const name = step.action as 'pcilg' | 'pcistg' | 'pcistb';
  if (s.plug === 'plugged' && s.interp) {
    run.observation.outcome = { kind: 'interpreted' };
    run.observation.why.push({
      node: `${name}/interpreted`,
      label: 'the function is interpreted: the instruction never reaches QEMU',
      expression: 'pbdev->interp',
      operands: [
        { name: 'pbdev->interp', value: 1, meaning: 'chosen at plug (interpret=on, KVM allows it)' },
      ],
      result: 1,
      decided: true,
    });
    run.note(
      "interpreted: firmware/KVM executes the instruction, QEMU's checks do not apply; firmware's outcome is not modelled",
    );
    return;
  }
  const locals = run.ctx.locals;
  const pcias = step.as ?? 0;
  const len = step.len ?? 0;
  locals.set('fh', local(s.fh, "the guest's function handle"));
  locals.set('offset', local(step.offset ?? 0, 'the offset within the address space'));
  locals.set('gaddr', local(step.gaddr ?? 0, 'the guest address of the source'));
  locals.set('r2', local(step.r2 ?? 2, 'the R2 register number'));
  locals.set('env->psw.mask', local(Number(s.problemState), 'the PSW problem-state bit'));
  const word = (pcias << 16) | len;
  const regMeaning = `R${name === 'pcistb' ? 1 : 2} bits 32-63: PCIAS ${pcias} at bits 44-47, length ${len} at bits ${name === 'pcistb' ? '51-63' : '60-63'}`;
  locals.set(name === 'pcistb' ? 'env->regs[r1]' : 'env->regs[r2]', local(word, regMeaning));
  locals.set('env->regs[r3]', local(step.offset ?? 0, 'R3: the offset'));
  const r = runInstruction(model.version, name, run.ctx, run.scope());
  run.observation.outcome = r.outcome;
  run.observation.why.push(...r.why);
  if (r.delivery) run.observation.delivery = r.delivery;
  for (const n of r.notes) run.note(n);
}

export const STEP_HANDLERS: Record<ZpciStepAction, StepHandler> = {
  plug,
  enable: clp('enable'),
  disable: clp('disable'),
  pcilg: instruction,
  pcistg: instruction,
  pcistb: instruction,
  error(run) {
    const s = run.state;
    if (run.model.version.spec.traits.stateModel === 'blocked-flag') {
      s.blocked = true;
      run.state_('error', 'error_state and lgstg_blocked set (as an error event sets them)');
    } else {
      s.fs = ZPCI_FS.ZPCI_FS_ERROR;
      run.state_('error', 'function in ZPCI_FS_ERROR (as a failed RPCIT leaves it)');
    }
  },
  reset(run) {
    const s = run.state;
    const traits = run.model.version.spec.traits;
    if (s.plug !== 'plugged') return run.state_('reset', 'no function: nothing to reset');
    if (!traits.functionReset)
      return run.state_('reset', 'no zPCI function reset in this version: fh and flags kept');
    const ismReset =
      traits.ismReset && run.model.device.pft === ZPCI_PFT_ISM && s.interp && !!(s.fh & FH_MASK_ENABLE);
    if (s.fs !== ZPCI_FS.ZPCI_FS_RESERVED && s.fs !== ZPCI_FS.ZPCI_FS_STANDBY) {
      s.fh = (s.fh & ~FH_MASK_ENABLE) >>> 0;
      s.fs = ZPCI_FS.ZPCI_FS_DISABLED;
    }
    const state = constantName(ZPCI_FS, s.fs);
    run.state_(
      ismReset ? 'reset:ism-device' : 'reset',
      ismReset
        ? `s390_pci_device_reset: ${state}, fh enable bit clear; the ISM device is reset (s390_pci_ism_reset)`
        : `s390_pci_device_reset: ${state}, fh enable bit clear`,
    );
  },
  'problem-state'(run) {
    run.state.problemState = true;
    run.state_('problem-state', 'the guest runs in problem state');
  },
  'supervisor-state'(run) {
    run.state.problemState = false;
    run.state_('supervisor-state', 'the guest runs in supervisor state');
  },
};

export interface ZpciStepResult {
  state: ZpciState;
  assumptions: Assumptions;
  observation: ZpciObservation;
}

/** Runs one step: one result, or one per value of each unknown name it needed (0, then 1). */
export function applyZpciStep(
  model: ZpciModel,
  state: ZpciState,
  step: ZpciStep,
  assumptions: Assumptions,
  depth = 0,
): ZpciStepResult[] {
  const assumed = new Set<string>();
  const run = new StepRun(model, state, step, assumptions, assumed);
  try {
    STEP_HANDLERS[step.action](run);
  } catch (e) {
    if (!(e instanceof NeedsAssumption)) throw e;
    if (depth >= 8) throw new Error(`step "${step.text}" depends on more than 8 unknown names`);
    return [0, 1].flatMap((v) =>
      applyZpciStep(model, state, step, { ...assumptions, [e.name]: v }, depth + 1),
    );
  }
  run.finish();
  if (assumed.size) run.observation.dependsOn = [...assumed].sort();
  shareExplanations(model, run.observation.why);
  return [{ state: run.state, assumptions, observation: run.observation }];
}

/**
 * Each model's explanations met, by their content (at most MAX_SHARED_EXPLANATIONS; past it the
 * table starts anew). Most steps evaluate the same checks on the same operands as other steps
 * (a system after the 73 corpus and seed files: 1,339 explanations in its transitions, 152
 * contents): a step's observation takes the one met first, and the system memoises that.
 */
const explanationsMet = new WeakMap<ZpciModel, Map<string, ZpciExplanation>>();
const MAX_SHARED_EXPLANATIONS = 4096;

/** Replaces each explanation of a finished step by the equal one met first (never changed after: a step's result is final). */
function shareExplanations(model: ZpciModel, why: ZpciExplanation[]): void {
  let met = explanationsMet.get(model);
  if (!met) explanationsMet.set(model, (met = new Map()));
  for (let i = 0; i < why.length; i++) {
    const content = JSON.stringify(why[i]);
    const first = met.get(content);
    if (first) why[i] = first;
    else {
      if (met.size >= MAX_SHARED_EXPLANATIONS) met.clear();
      met.set(content, why[i]);
    }
  }
}
