/**
 * vfio_pci_config_rw and what it calls: chopping a user access into chunks (by alignment, and
 * since the byte map at dword and capability boundaries), dispatch by the byte map to a region's
 * permissions, the read functions (default, direct, raw, virt, basic, msi) and the write
 * functions (default, raw, virt, basic with the Command-register decisions, pm, vpd, exp, af,
 * msi), and vfio_bar_fixup.
 */
import { C, capabilityName, hex } from './registers';
import { DIRECT_RO } from './layout';
import type { Run, RuntimePerm } from './run';
import type { ChunkTrace } from './types';

const INVALID = C.PCI_CAP_ID_INVALID;
const ALL = (n: number) => (n === 4 ? 0xffffffff : (1 << (8 * n)) - 1);

class Undefined extends Error {}

interface Chunk {
  pos: number;
  count: number;
  perm: RuntimePerm;
  offset: number;
  trace: ChunkTrace;
}

function mask(bytes: Uint8Array | null, offset: number, count: number): number {
  if (!bytes) return 0;
  if (offset + count > bytes.length)
    throw new Undefined(`permission table read beyond its ${bytes.length} bytes`);
  let v = 0;
  for (let i = 0; i < count; i++) v |= bytes[offset + i] << (8 * i);
  return v >>> 0;
}

function findCapStart(run: Run, pos: number): number {
  const map = run.layout!.map;
  const base = pos >= C.PCI_CFG_SPACE_SIZE ? C.PCI_CFG_SPACE_SIZE : C.PCI_STD_HEADER_SIZEOF;
  const cap = map[pos];
  if (cap === C.PCI_CAP_ID_BASIC) return 0;
  const step = run.variant.spec.rules.map === 'dword' ? 4 : 1;
  let p = step === 4 ? pos & ~3 : pos;
  while (p - step >= base && map[p - step] === cap) p -= step;
  return p;
}

function chunkCount(run: Run, pos: number, count: number): number {
  if (run.variant.spec.rules.chopAtCapability) {
    const map = run.layout!.map;
    let i = 1;
    while ((pos + i) % 4 && map[pos + i] === map[pos]) i++;
    count = Math.min(count, i);
  }
  if (count >= 4 && !(pos % 4)) return 4;
  if (count >= 2 && !(pos % 2)) return 2;
  return 1;
}

const UNASSIGNED_RAW: RuntimePerm = {
  ...DIRECT_RO,
  name: 'unassigned',
  readfn: 'vfio_raw_config_read',
  writefn: 'vfio_raw_config_write',
};
const UNASSIGNED_ZERO: RuntimePerm = { ...DIRECT_RO, name: 'unassigned', readfn: 'none', writefn: 'none' };
const VIRT_ONLY: RuntimePerm = {
  ...DIRECT_RO,
  name: 'virt-only',
  readfn: 'vfio_virt_config_read',
  writefn: 'vfio_virt_config_write',
};

function dispatch(run: Run, pos: number, count: number): Chunk {
  const l = run.layout!;
  const capId = l.map[pos];
  let perm: RuntimePerm;
  let start = pos;
  let region: string;
  if (capId === INVALID) {
    const raw = run.variant.spec.rules.unassigned === 'raw';
    perm = raw ? UNASSIGNED_RAW : UNASSIGNED_ZERO;
    region = 'unassigned';
    if (!raw) run.note(`${hex(pos)} unassigned: reads 0, writes dropped (this kernel)`);
  } else if (capId === C.PCI_CAP_ID_INVALID_VIRT) {
    perm = VIRT_ONLY;
    region = 'virt-only';
  } else if (pos >= C.PCI_CFG_SPACE_SIZE) {
    region = capabilityName(capId, true);
    start = findCapStart(run, pos);
    if (run.decide('ecap-unknown-perms', { cap_id: capId })) perm = { ...DIRECT_RO, name: 'direct_ro_perms' };
    else if (capId > run.variant.spec.rules.ecapIdMax)
      throw new Undefined(
        `ecap_perms[${hex(capId)}] is beyond PCI_EXT_CAP_ID_MAX (${hex(run.variant.spec.rules.ecapIdMax)})`,
      );
    else perm = l.extPerms.get(capId) ?? DIRECT_RO;
  } else {
    region = capId === 0 ? 'BASIC' : capabilityName(capId, false);
    perm = l.stdPerms.get(capId) ?? DIRECT_RO;
    if (capId > C.PCI_CAP_ID_BASIC) start = findCapStart(run, pos);
    else start = 0;
  }
  const offset = pos - start;
  const rows = perm.rows.filter((r) => r.at < offset + count && r.at + r.width > offset).map((r) => r.text);
  const trace: ChunkTrace = {
    offset: pos,
    width: count,
    region,
    readfn: perm.readfn,
    writefn: perm.writefn,
    virt: 0,
    write: 0,
    rows: rows.length
      ? rows
      : [
          perm.virt
            ? `${perm.name}: no row (zero: readable from hardware, not writable)`
            : `${perm.name}: no permission table`,
        ],
  };
  return { pos, count, perm, offset, trace };
}

/* ---------- read functions ---------- */

function defaultRead(run: Run, c: Chunk): number {
  const virt = mask(c.perm.virt, c.offset, c.count);
  c.trace.virt = virt;
  c.trace.write = mask(c.perm.write, c.offset, c.count);
  let val = run.vRead(c.pos, c.count);
  if (virt !== ALL(c.count)) val = ((run.hwRead(c.pos, c.count) & ~virt) | (val & virt)) >>> 0;
  return val;
}

function directRead(run: Run, c: Chunk): number {
  let val = run.hwRead(c.pos, c.count);
  const keep = (n: number) => {
    const m = ALL(n);
    val = ((val & ~m) | (run.vRead(c.pos, n) & m)) >>> 0;
  };
  if (c.pos >= C.PCI_CFG_SPACE_SIZE) {
    if (c.offset < 4) val = run.vRead(c.pos, c.count);
  } else if (c.pos >= C.PCI_STD_HEADER_SIZEOF) {
    if (c.offset === C.PCI_CAP_LIST_ID && c.count > 1) keep(Math.min(C.PCI_CAP_FLAGS, c.count));
    else if (c.offset === C.PCI_CAP_LIST_NEXT) keep(1);
  }
  return val;
}

function isBar(offset: number): boolean {
  return (
    (offset >= C.PCI_BASE_ADDRESS_0 && offset < C.PCI_BASE_ADDRESS_5 + 4) ||
    (offset >= C.PCI_ROM_ADDRESS && offset < C.PCI_ROM_ADDRESS + 4)
  );
}

/** vfio_bar_fixup: sizes from the host's resources, flags from their type. */
export function barFixup(run: Run): void {
  const kind = run.ctx.kind;
  for (let i = 0; i < 6; i++) {
    const at = C.PCI_BASE_ADDRESS_0 + 4 * i;
    const res = kind.bars.find((b) => b.index === i);
    if (!res || !res.start) {
      run.vWrite(at, 4, 0);
      continue;
    }
    const m = ~(res.size - 1);
    const flags = res.type === 'io' ? 1 : (res.prefetch ? 8 : 0) | (res.type === 'mem64' ? 4 : 0);
    run.vWrite(at, 4, ((run.vRead(at, 4) & m) | flags) >>> 0);
    if (res.type === 'mem64') {
      run.vWrite(at + 4, 4, run.vRead(at + 4, 4) & 0xffffffff);
      i++;
    }
  }
  const rom = C.PCI_ROM_ADDRESS;
  if (kind.rom?.start) {
    run.vWrite(rom, 4, (run.vRead(rom, 4) & (~(kind.rom.size - 1) | C.PCI_ROM_ADDRESS_ENABLE)) >>> 0);
  } else if (run.decide('rom-shadow')) {
    run.vWrite(rom, 4, (run.vRead(rom, 4) & (~(0x20000 - 1) | C.PCI_ROM_ADDRESS_ENABLE)) >>> 0);
  } else if (run.decide('rom-platform')) {
    let size = 1;
    while (size < (kind.facts['pdev->romlen'] ?? 0)) size *= 2;
    run.vWrite(rom, 4, (run.vRead(rom, 4) & (~(size - 1) | C.PCI_ROM_ADDRESS_ENABLE)) >>> 0);
  } else run.vWrite(rom, 4, 0);
}

function read(run: Run, c: Chunk): number {
  switch (c.perm.readfn) {
    case 'vfio_default_config_read':
      return defaultRead(run, c);
    case 'vfio_direct_config_read':
      return directRead(run, c);
    case 'vfio_raw_config_read':
      return run.hwRead(c.pos, c.count);
    case 'vfio_virt_config_read':
      return run.vRead(c.pos, c.count);
    case 'vfio_basic_config_read': {
      if (isBar(c.offset)) barFixup(run);
      let val = defaultRead(run, c);
      if (run.decideCommand('read-or-in', { offset: c.offset }))
        val = (val | (run.vRead(C.PCI_COMMAND, 2) & C.PCI_COMMAND_MEMORY)) >>> 0;
      return val;
    }
    case 'vfio_msi_config_read': {
      if (run.decide('msi-flags-covered', { offset: c.offset, count: c.count })) {
        const start = findCapStart(run, c.pos);
        const flags = run.vRead(start + C.PCI_MSI_FLAGS, 2);
        run.vWrite(start + C.PCI_MSI_FLAGS, 2, (flags & ~C.PCI_MSI_FLAGS_QMASK) | (run.state.msiQmax << 1));
      }
      return defaultRead(run, c);
    }
  }
  return 0;
}

/* ---------- write functions ---------- */

function defaultWrite(run: Run, c: Chunk, val: number): void {
  const write = mask(c.perm.write, c.offset, c.count);
  const virt = mask(c.perm.virt, c.offset, c.count);
  c.trace.virt = virt;
  c.trace.write = write;
  if (!write) {
    run.obs.dropped.push({ offset: c.pos, width: c.count });
    return;
  }
  if (write & virt) {
    const m = write & virt;
    run.vWrite(c.pos, c.count, ((run.vRead(c.pos, c.count) & ~m) | (val & m)) >>> 0);
  }
  if ((write & ~virt) >>> 0) {
    const m = (write & ~virt) >>> 0;
    run.hwWrite(c.pos, c.count, ((run.hwRead(c.pos, c.count) & ~m) | (val & m)) >>> 0, 'user');
  }
}

/** vfio_pci_zap_and_down_write_memory_lock: kernels with MMIO blocking zap the BAR mmaps. */
export function zapAndLock(run: Run, why: string): void {
  if (!run.policy.traits.zapOnMemoryDisable) return;
  run.zap(why);
}

/** pci_try_reset_function: the PCI core saves and restores the config state around the reset. */
function resetFunction(run: Run, why: string): void {
  zapAndLock(run, why);
  run.effect({ kind: 'function-reset', by: 'vfio' });
}

function basicWrite(run: Run, c: Chunk, val: number): void {
  if (c.offset === C.PCI_COMMAND) {
    const phys = run.hwRead(C.PCI_COMMAND, 2);
    const virt = run.vRead(C.PCI_COMMAND, 2);
    const bit = (v: number, b: number) => Number(!!(v & b));
    const locals = {
      new_mem: bit(val, C.PCI_COMMAND_MEMORY),
      virt_mem: bit(virt, C.PCI_COMMAND_MEMORY),
      phys_mem: bit(phys, C.PCI_COMMAND_MEMORY),
      new_io: bit(val, C.PCI_COMMAND_IO),
      virt_io: bit(virt, C.PCI_COMMAND_IO),
      phys_io: bit(phys, C.PCI_COMMAND_IO),
    };
    if (!locals.new_mem) zapAndLock(run, 'the write clears MEMORY');
    run.command.restore = 'none';
    if (run.decideCommand('restore-condition', locals)) {
      if (run.decideCommand('restore-skip')) {
        run.note('vfio_bar_restore returns early');
        run.command.restore = 'skipped';
      } else {
        const rbar = run.layout!.rbar;
        for (let i = 0; i < 6; i++) run.hwWrite(C.PCI_BASE_ADDRESS_0 + 4 * i, 4, rbar[i], 'kernel');
        run.hwWrite(C.PCI_ROM_ADDRESS, 4, rbar[6], 'kernel');
        run.effect({ kind: 'bars-restored' });
        run.command.restore = 'performed';
        run.command.log = run.policy.traits.restoreLog;
      }
    }
  }
  defaultWrite(run, c, val);
  if (c.offset === C.PCI_COMMAND) {
    const m = C.PCI_COMMAND_MEMORY | C.PCI_COMMAND_IO;
    run.vWrite(C.PCI_COMMAND, 2, (run.vRead(C.PCI_COMMAND, 2) & ~m) | (val & m));
  }
  if (c.offset >= C.PCI_COMMAND && c.offset <= C.PCI_COMMAND + 1) {
    const disabled = !!(run.vRead(C.PCI_COMMAND, 2) & C.PCI_COMMAND_INTX_DISABLE);
    if (disabled !== run.state.virqDisabled) {
      run.state.virqDisabled = disabled;
      run.effect({ kind: disabled ? 'intx-masked' : 'intx-unmasked' });
    }
  }
}

function pmWrite(run: Run, c: Chunk, val: number): void {
  defaultWrite(run, c, val);
  if (!run.decide('pm-trap', { offset: c.offset })) return;
  const state = val & C.PCI_PM_CTRL_STATE_MASK;
  // a kernel without the PM_CTRL lock decision zaps as its Command-register gate says (zapOnD3hot)
  const zap =
    run.decide('pm-lock-zap', { state }) ?? +(run.policy.traits.zapOnD3hot && state === C.PCI_D3hot);
  if (zap) zapAndLock(run, 'entering D3hot');
  const start = findCapStart(run, c.pos);
  const ctrl = run.hwRead(start + C.PCI_PM_CTRL, 2);
  if (state !== run.state.power) {
    run.effect({ kind: 'power', from: run.state.power, to: state, by: 'vfio' });
    run.hwWrite(start + C.PCI_PM_CTRL, 2, (ctrl & ~C.PCI_PM_CTRL_STATE_MASK) | state, 'kernel');
  }
  run.state.power = state;
}

function vpdWrite(run: Run, c: Chunk, val: number): void {
  defaultWrite(run, c, val);
  if (run.decide('vpd-no-work', { count: c.count, offset: c.offset })) return;
  const start = findCapStart(run, c.pos);
  const addr = run.vRead(start + C.PCI_VPD_ADDR, 2);
  const vpd = run.ctx.kind.vpd ?? [];
  if (run.decide('vpd-write', { addr })) {
    run.effect({ kind: 'vpd', op: 'write', address: addr & ~C.PCI_VPD_ADDR_F });
  } else {
    let data = 0;
    for (let i = 0; i < 4; i++) data |= (vpd[addr + i] ?? 0) << (8 * i);
    run.vWrite(start + C.PCI_VPD_DATA, 4, data >>> 0);
    run.effect({ kind: 'vpd', op: 'read', address: addr });
  }
  run.vWrite(start + C.PCI_VPD_ADDR, 2, addr ^ C.PCI_VPD_ADDR_F);
}

function expWrite(run: Run, c: Chunk, val: number): void {
  const start = findCapStart(run, c.pos);
  const at = start + C.PCI_EXP_DEVCTL;
  const readrq = run.vRead(at, 2) & C.PCI_EXP_DEVCTL_READRQ;
  defaultWrite(run, c, val);
  let ctrl = run.vRead(at, 2);
  if (run.decide('exp-flr', { ctrl })) {
    run.vWrite(at, 2, ctrl & ~C.PCI_EXP_DEVCTL_BCR_FLR);
    const cap = run.hwRead(start + C.PCI_EXP_DEVCAP, 4);
    if (run.decide('exp-flr-supported', { ret: 0, cap })) resetFunction(run, 'FLR through PCI_EXP_DEVCTL');
  }
  ctrl = run.vRead(at, 2);
  if (run.decide('exp-readrq-changed', { readrq, ctrl })) {
    const mps = 128 << ((run.hwRead(at, 2) & C.PCI_EXP_DEVCTL_PAYLOAD) >> 5);
    const bytes = Math.max(128 << ((ctrl & C.PCI_EXP_DEVCTL_READRQ) >> 12), mps);
    const field = Math.log2(bytes / 128) << 12;
    run.hwWrite(at, 2, (run.hwRead(at, 2) & ~C.PCI_EXP_DEVCTL_READRQ) | field, 'kernel');
    run.effect({ kind: 'readrq-set', bytes });
  }
}

function afWrite(run: Run, c: Chunk, val: number): void {
  const start = findCapStart(run, c.pos);
  defaultWrite(run, c, val);
  const ctrl = run.vRead(start + C.PCI_AF_CTRL, 1);
  if (!run.decide('af-flr', { ctrl })) return;
  run.vWrite(start + C.PCI_AF_CTRL, 1, ctrl & ~C.PCI_AF_CTRL_FLR);
  const cap = run.hwByte(start + C.PCI_AF_CAP);
  if (run.decide('af-flr-supported', { ret: 0, cap })) resetFunction(run, 'FLR through PCI_AF_CTRL');
}

function msiWrite(run: Run, c: Chunk, val: number): void {
  defaultWrite(run, c, val);
  if (!run.decide('msi-flags-covered', { offset: c.offset, count: c.count })) return;
  const start = findCapStart(run, c.pos);
  let flags = run.vRead(start + C.PCI_MSI_FLAGS, 2);
  if (run.decide('msi-enable-forced-off', { flags })) flags &= ~C.PCI_MSI_FLAGS_ENABLE;
  if (run.decide('msi-qsize-clamp', { flags }))
    flags = (flags & ~C.PCI_MSI_FLAGS_QSIZE) | (run.state.msiQmax << 4);
  run.vWrite(start + C.PCI_MSI_FLAGS, 2, flags);
  run.hwWrite(start + C.PCI_MSI_FLAGS, 2, flags, 'kernel');
}

function write(run: Run, c: Chunk, val: number): void {
  switch (c.perm.writefn) {
    case 'none':
      run.obs.dropped.push({ offset: c.pos, width: c.count });
      return;
    case 'vfio_default_config_write':
      return defaultWrite(run, c, val);
    case 'vfio_raw_config_write':
      return run.hwWrite(c.pos, c.count, val, 'user');
    case 'vfio_virt_config_write':
      return run.vWrite(c.pos, c.count, val);
    case 'vfio_basic_config_write':
      return basicWrite(run, c, val);
    case 'vfio_pm_config_write':
      return pmWrite(run, c, val);
    case 'vfio_vpd_config_write':
      return vpdWrite(run, c, val);
    case 'vfio_exp_config_write':
      return expWrite(run, c, val);
    case 'vfio_af_config_write':
      return afWrite(run, c, val);
    case 'vfio_msi_config_write':
      return msiWrite(run, c, val);
  }
}

/**
 * vfio_pci_config_rw: the value read (cfg-read) or undefined; the observation gets one chunk
 * trace per chunk, and outcome EFAULT (out of bounds) or undefined (the kernel reads beyond a
 * permission table).
 */
export function configRw(run: Run, pos: number, count: number, value?: number): number | undefined {
  const size = run.ctx.kind.cfgSize;
  if (pos < 0 || pos >= size || pos + count > size) {
    run.obs.outcome = 'EFAULT';
    run.note(`${hex(pos)}+${count} is outside the ${size}-byte config space: -EFAULT`);
    return undefined;
  }
  let result = 0;
  let done = 0;
  try {
    while (done < count) {
      const n = chunkCount(run, pos + done, count - done);
      const c = dispatch(run, pos + done, n);
      run.obs.chunks.push(c.trace);
      if (value === undefined) result = (result | (read(run, c) << (8 * done))) >>> 0;
      else write(run, c, (value >>> (8 * done)) & ALL(n));
      done += n;
    }
  } catch (e) {
    if (!(e instanceof Undefined)) throw e;
    run.obs.outcome = 'undefined';
    run.note(`undefined in the kernel: ${e.message} (not modelled)`);
    return undefined;
  }
  return value === undefined ? result : undefined;
}
