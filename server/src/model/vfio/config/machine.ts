/**
 * The config-space steps as rows of CONFIG_STEP_HANDLERS (model/machine.ts joins them with the
 * Command-register rows into the one STEP_HANDLERS), the config part of `open`, and why a step
 * cannot run on a device (configStepRefusal).
 */
import { configRw } from './access';
import { configInit } from './layout';
import { C } from './registers';
import type { CfgState, Context, Run } from './run';
import { resolveOffset, ConfigStepError } from './steps';
import type { CfgAction, CfgStep, ChainEntry } from './types';

type Handler = (run: Run) => void;

/** The absolute offset of a cfg-read/cfg-write step on this device. */
function offsetOf(run: Run): number {
  const s = run.step;
  return s.register !== undefined ? resolveOffset(s.register, run.ctx.kind) : (s.offset ?? 0);
}

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

/**
 * The config part of `open`: pci_enable_device writes COMMAND MEMORY (and IO for a device with an
 * I/O BAR) to the device, then vfio_config_init lays the config space out.
 */
export function openConfigSpace(run: Run): void {
  const hw = run.ctx.kind.hardware;
  const cmd = run.hwRead(C.PCI_COMMAND, 2) | C.PCI_COMMAND_MEMORY | (hw.ioBar ? C.PCI_COMMAND_IO : 0);
  run.hwWrite(C.PCI_COMMAND, 2, cmd, 'kernel');
  run.note('pci_enable_device: COMMAND MEMORY (and IO for an I/O BAR) written to the device');
  const layout = configInit(run);
  run.state.open = true;
  run.state.power = 0;
  for (const n of layout.notes) run.note(n);
}

/** A write of PowerState `state` to PM_CTRL through vfio (the Command-register story's d3hot and d0 too). */
export function setPower(run: Run, state: number): void {
  const pm = capOf(run, 'std', C.PCI_CAP_ID_PM)!;
  configRw(run, pm.offset + C.PCI_PM_CTRL, 2, state);
}

export const CONFIG_STEP_HANDLERS: Record<Exclude<CfgAction, 'open'>, Handler> = {
  'cfg-read'(run) {
    run.obs.value = configRw(run, offsetOf(run), run.step.width!);
  },
  'cfg-write'(run) {
    configRw(run, offsetOf(run), run.step.width!, run.step.value!);
  },
  'cfg-walk': walk,
  flr(run) {
    if (run.policy.traits.zapOnMemoryDisable) run.zap('VFIO_DEVICE_RESET');
    run.effect({ kind: 'function-reset', by: 'vfio' });
    run.note('VFIO_DEVICE_RESET: pci_try_reset_function saves and restores the config state');
  },
  'set-power'(run) {
    setPower(run, run.step.arg!);
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
  const pmSteps = ['set-power', 'd3hot', 'd0'];
  if (pmSteps.includes(step.action) && !has(C.PCI_CAP_ID_PM))
    return `the ${ctx.kind.id} device has no PM capability`;
  if (step.action === 'enable-msi' && !has(C.PCI_CAP_ID_MSI))
    return `the ${ctx.kind.id} device has no MSI capability`;
  if (step.register !== undefined) {
    try {
      resolveOffset(step.register, ctx.kind);
    } catch (e) {
      if (e instanceof ConfigStepError) return e.message;
      throw e;
    }
  }
  return null;
}
