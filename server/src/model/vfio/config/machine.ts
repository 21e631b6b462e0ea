/**
 * The config-space steps as rows of CONFIG_STEP_HANDLERS, and applyConfigStep, which forks a step
 * on each unknown identifier its decisions needed (assumed 0, then 1), as model/machine.ts does.
 */
import { NeedsAssumption } from '../../evaluate';
import { assumptionKey, type Assumptions } from '../../core/system';
import { configRw } from './access';
import { configInit } from './layout';
import { C } from './registers';
import { Run, type CfgState, type Context } from './run';
import type { CfgAction, CfgObservation, CfgStep, ChainEntry } from './types';

type Handler = (run: Run) => void;

function capOf(run: Run, space: 'std' | 'ext', id: number) {
  return run.ctx.kind.capabilities.find((c) => c.space === space && c.id === id);
}

function walk(run: Run): void {
  const chain: ChainEntry[] = [];
  const status = configRw(run, C.PCI_STATUS, 2);
  if (status !== undefined && status & C.PCI_STATUS_CAP_LIST) {
    let pos = configRw(run, C.PCI_CAPABILITY_LIST, 1) ?? 0;
    for (let loops = 48; pos >= C.PCI_STD_HEADER_SIZEOF && loops > 0; loops--) {
      const head = configRw(run, pos, 2);
      if (head === undefined) break;
      chain.push({ space: 'std', offset: pos, id: head & 0xff });
      pos = (head >> 8) & 0xfc;
    }
  }
  if (run.ctx.kind.cfgSize > C.PCI_CFG_SPACE_SIZE && run.obs.outcome === 'ok') {
    let pos = C.PCI_CFG_SPACE_SIZE;
    for (let loops = (run.ctx.kind.cfgSize - 256) / 4; pos >= C.PCI_CFG_SPACE_SIZE && loops > 0; loops--) {
      const head = configRw(run, pos, 4);
      if (head === undefined || head === 0 || head === 0xffffffff) break;
      chain.push({ space: 'ext', offset: pos, id: head & 0xffff });
      pos = (head >>> 20) & 0xffc;
    }
  }
  run.obs.chain = chain;
}

/** A PCI core enable on this function: VF sharing rules per kernel line, else the function's own capability. */
function pciCoreEnable(run: Run, what: 'pasid' | 'pri'): void {
  const shared = run.decide(what === 'pasid' ? 'pasid-vf-shared' : 'pri-vf-shared');
  if (shared === null)
    run.note('no VF sharing in this PCI core: a VF has no capability of its own (-EINVAL)');
  if (shared) {
    run.obs.returned = run.decide(what === 'pasid' ? 'pasid-vf-result' : 'pri-vf-result') ? 0 : -C.EINVAL;
    run.note('VF: the PF capability is shared; nothing is written to the VF');
    return;
  }
  const id = what === 'pasid' ? C.PCI_EXT_CAP_ID_PASID : C.PCI_EXT_CAP_ID_PRI;
  const cap = capOf(run, 'ext', id);
  const enabled = what === 'pasid' ? run.state.pasidEnabled : run.state.priEnabled;
  if (!cap) {
    run.obs.returned = -C.EINVAL;
    return;
  }
  if (enabled) {
    run.obs.returned = -16;
    run.note('already enabled (-EBUSY)');
    return;
  }
  const ctrl = what === 'pasid' ? C.PCI_PASID_CTRL : C.PCI_PRI_CTRL;
  run.hwWrite(cap.offset + ctrl, 2, 1, 'kernel');
  if (what === 'pasid') run.state.pasidEnabled = true;
  else run.state.priEnabled = true;
  run.obs.returned = 0;
}

export const CONFIG_STEP_HANDLERS: Record<CfgAction, Handler> = {
  open(run) {
    const hasIo = run.ctx.kind.bars.some((b) => b.type === 'io' && b.start);
    const cmd = run.hwRead(C.PCI_COMMAND, 2) | C.PCI_COMMAND_MEMORY | (hasIo ? C.PCI_COMMAND_IO : 0);
    run.hwWrite(C.PCI_COMMAND, 2, cmd, 'kernel');
    run.note('pci_enable_device: COMMAND MEMORY (and IO for an I/O BAR) written to the device');
    const layout = configInit(run);
    run.state.open = true;
    run.state.power = 0;
    for (const n of layout.notes) run.note(n);
  },
  'cfg-read'(run) {
    run.obs.value = configRw(run, run.step.offset!, run.step.width!);
  },
  'cfg-write'(run) {
    configRw(run, run.step.offset!, run.step.width!, run.step.value!);
  },
  'cfg-walk': walk,
  flr(run) {
    if (run.variant.command.traits.zapOnMemoryDisable) run.effect({ kind: 'mmaps-zapped' });
    run.effect({ kind: 'function-reset', by: 'vfio' });
    run.note('VFIO_DEVICE_RESET: pci_try_reset_function saves and restores the config state');
  },
  'set-power'(run) {
    const pm = capOf(run, 'std', C.PCI_CAP_ID_PM)!;
    configRw(run, pm.offset + C.PCI_PM_CTRL, 2, run.step.arg!);
  },
  'enable-msi'(run) {
    const msi = capOf(run, 'std', C.PCI_CAP_ID_MSI)!;
    if (run.state.irqType !== -1) {
      run.note('an interrupt type is already enabled: nothing changes');
      return;
    }
    run.state.irqType = C.VFIO_PCI_MSI_IRQ_INDEX;
    run.state.msiQmax = 0;
    const flags = run.hwRead(msi.offset + C.PCI_MSI_FLAGS, 2);
    run.hwWrite(
      msi.offset + C.PCI_MSI_FLAGS,
      2,
      (flags & ~C.PCI_MSI_FLAGS_QSIZE) | C.PCI_MSI_FLAGS_ENABLE,
      'kernel',
    );
    run.effect({ kind: 'msi-enabled' });
  },
  pci_enable_pasid: (run) => pciCoreEnable(run, 'pasid'),
  pci_enable_pri: (run) => pciCoreEnable(run, 'pri'),
  pci_enable_ats(run) {
    const ps = run.step.arg!;
    const cap = capOf(run, 'ext', C.PCI_EXT_CAP_ID_ATS);
    if (!cap || ps < 12) {
      run.obs.returned = -C.EINVAL;
      return;
    }
    if (run.state.atsEnabled) {
      run.obs.returned = -16;
      return;
    }
    let ctrl = C.PCI_ATS_CTRL_ENABLE;
    if (run.decide('ats-vf')) {
      if (!run.decide('ats-vf-stu', { ps })) {
        run.obs.returned = -C.EINVAL;
        return;
      }
      run.note('VF: only Enable is written; the STU is the PF one');
    } else {
      run.state.atsStu = ps;
      ctrl |= ps - 12;
    }
    run.hwWrite(cap.offset + C.PCI_ATS_CTRL, 2, ctrl, 'kernel');
    run.state.atsEnabled = true;
    run.obs.returned = 0;
  },
};

/** Why a step cannot run in this state or on this device, or null. */
export function configStepRefusal(ctx: Context, state: CfgState, step: CfgStep): string | null {
  if (step.action === 'open') return state.open ? 'the device is already open' : null;
  if (!state.open) return 'the device is not open yet: start the script with "open"';
  const has = (id: number) => ctx.kind.capabilities.some((c) => c.space === 'std' && c.id === id);
  if (step.action === 'set-power' && !has(C.PCI_CAP_ID_PM))
    return `the ${ctx.kind.id} device has no PM capability`;
  if (step.action === 'enable-msi' && !has(C.PCI_CAP_ID_MSI))
    return `the ${ctx.kind.id} device has no MSI capability`;
  return null;
}

export interface ConfigTransition {
  state: CfgState;
  assumptions: Assumptions;
  observation: CfgObservation;
}

export function applyConfigStep(
  ctx: Context,
  state: CfgState,
  step: CfgStep,
  assumptions: Assumptions,
): ConfigTransition[] {
  const assumed = new Set<string>();
  const run = new Run(ctx, state, step, assumptions, assumed);
  try {
    CONFIG_STEP_HANDLERS[step.action](run);
  } catch (e) {
    if (!(e instanceof NeedsAssumption)) throw e;
    return [0, 1].flatMap((v) => applyConfigStep(ctx, state, step, { ...assumptions, [e.name]: v }));
  }
  if (step.action === 'open' && run.layout) {
    const key = assumptionKey(assumptions);
    if (!ctx.layouts.has(key)) ctx.layouts.set(key, run.layout);
    run.state.layout = key;
  }
  if (assumed.size) run.obs.dependsOn = [...assumed].sort();
  return [{ state: run.finish(), assumptions, observation: run.obs }];
}
