/**
 * vfio_config_init as the variant writes it: the byte map (BASIC header, INVALID elsewhere),
 * vconfig filled from the hardware, the VF ID and Interrupt Pin rules, the forced virtual MEMORY
 * of the Command-register story, vfio_cap_init (the standard chain: length, hide by unlinking,
 * PME bits cleared) and vfio_ecap_init (the extended chain: hide by unlinking, or a 4-byte
 * placeholder when the hidden one is first), and the permissions each mapped region uses.
 */
import type { CompiledPerms } from './compile';
import { C, CAP_IDS, ECAP_IDS, capabilityName, hex } from './registers';
import type { Layout, Run, RuntimePerm } from './run';

const INVALID = C.PCI_CAP_ID_INVALID;

function capId(name: string): { ext: boolean; id: number } {
  if (name === 'BASIC') return { ext: false, id: 0 };
  if (name.startsWith('ext ')) return { ext: true, id: ECAP_IDS[`PCI_EXT_CAP_ID_${name.slice(4)}`] };
  return { ext: false, id: CAP_IDS[`PCI_CAP_ID_${name}`] };
}

function runtimePerm(
  run: Run,
  p: CompiledPerms,
  size: number,
  locals: Record<string, number> = {},
): RuntimePerm {
  const perm: RuntimePerm = {
    name: p.spec.cap,
    readfn: p.spec.readfn,
    writefn: p.spec.writefn ?? 'none',
    virt: size ? new Uint8Array(size) : null,
    write: size ? new Uint8Array(size) : null,
    rows: [],
  };
  for (const r of p.rows) {
    if (r.when && !run.explain(`${p.spec.init}: row condition`, r.row.when ?? '', r.when, locals)) continue;
    perm.rows.push({ text: r.text, at: r.at, width: r.row.width, virt: r.virt, write: r.write });
    for (let i = 0; i < r.row.width && perm.virt && r.at + i < size; i++) {
      perm.virt[r.at + i] = (r.virt >>> (8 * i)) & 0xff;
      perm.write![r.at + i] = (r.write >>> (8 * i)) & 0xff;
    }
  }
  return perm;
}

export const DIRECT_RO: RuntimePerm = {
  name: 'default',
  readfn: 'vfio_direct_config_read',
  writefn: 'none',
  virt: null,
  write: null,
  rows: [],
};

function fill(run: Run, l: Layout, at: number, len: number): void {
  for (let i = 0; i < len && at + i < l.vconfig.length; i++) l.vconfig[at + i] = run.hwByte(at + i);
}

function mark(run: Run, l: Layout, at: number, len: number, id: number): void {
  // memset(map + pos, cap, len), or per dword: memset(map + pos / 4, cap, len / 4)
  const n = run.variant.spec.rules.map === 'dword' ? Math.floor(len / 4) * 4 : len;
  for (let i = 0; i < n && at + i < l.map.length; i++) {
    if (l.map[at + i] !== INVALID)
      run.note(`config conflict @${hex(at + i)}: was ${hex(l.map[at + i])} now ${hex(id)}`);
    l.map[at + i] = id & 0xff;
  }
}

function writeV(l: Layout, at: number, width: number, value: number): void {
  for (let i = 0; i < width; i++) l.vconfig[at + i] = (value >>> (8 * i)) & 0xff;
}

function readV(l: Layout, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v |= l.vconfig[at + i] << (8 * i);
  return v >>> 0;
}

/** vfio_cap_len for the variable-length capabilities the kinds have (0: not modelled, hidden). */
function capLength(run: Run, l: Layout, cap: number, pos: number): number {
  switch (cap) {
    case C.PCI_CAP_ID_MSI: {
      const flags = run.hwRead(pos + C.PCI_MSI_FLAGS, 2);
      const len = 10 + (flags & C.PCI_MSI_FLAGS_64BIT ? 4 : 0) + (flags & C.PCI_MSI_FLAGS_MASKBIT ? 10 : 0);
      const msi = run.variant.perms.get('MSI');
      if (msi) l.stdPerms.set(cap, runtimePerm(run, msi, (len + 3) & ~3, { flags }));
      return len;
    }
    case C.PCI_CAP_ID_VNDR:
      return run.hwByte(pos + C.PCI_CAP_FLAGS);
    case C.PCI_CAP_ID_EXP: {
      const word = run.hwRead(pos + C.PCI_EXP_FLAGS, 2);
      const dword = run.hwRead(C.PCI_CFG_SPACE_SIZE, 4);
      const ext = run.decide('extended-caps', { word, dword });
      if (ext !== null) l.extendedCaps = !!ext;
      const rcEnd = !!run.decide('exp-length-rc-end');
      if ((word & C.PCI_EXP_FLAGS_VERS) === 1) return rcEnd ? 0xc : C.PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
      return rcEnd ? 0x2c : C.PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
    }
  }
  run.note(`length of ${capabilityName(cap, false)} not modelled: treated as hidden`);
  return 0;
}

function ecapLength(run: Run, ecap: number, epos: number): number {
  switch (ecap) {
    case C.PCI_EXT_CAP_ID_VNDR:
      return run.hwRead(epos + C.PCI_VNDR_HEADER, 4) >>> 20;
    case C.PCI_EXT_CAP_ID_DVSEC:
      return (run.hwRead(epos + C.PCI_DVSEC_HEADER1, 4) >>> 20) & 0xfff;
  }
  run.note(`length of ${capabilityName(ecap, true)} not modelled: treated as hidden`);
  return 0;
}

function capInit(run: Run, l: Layout): void {
  if (!(run.hwRead(C.PCI_STATUS, 2) & C.PCI_STATUS_CAP_LIST)) return;
  let pos = run.hwByte(C.PCI_CAPABILITY_LIST);
  let prev = C.PCI_CAPABILITY_LIST;
  let loops = (C.PCI_CFG_SPACE_SIZE - C.PCI_STD_HEADER_SIZEOF) / C.PCI_CAP_SIZEOF;
  let caps = 0;
  while (pos && loops--) {
    const cap = run.hwByte(pos);
    const next = run.hwByte(pos + C.PCI_CAP_LIST_NEXT);
    let len = 0;
    if (run.decide('cap-length-known', { cap })) {
      len = run.variant.capLengths.get(cap) ?? 0;
      if (len === 0xff) len = capLength(run, l, cap, pos);
    }
    if (!len) {
      l.notes.push(`hiding cap ${hex(cap)}@${hex(pos)}`);
      l.vconfig[prev] = next;
      pos = next;
      continue;
    }
    mark(run, l, pos, len, cap);
    fill(run, l, pos, len);
    if (run.decide('pm-vconfig-clear', { cap })) {
      writeV(l, pos + C.PCI_PM_PMC, 2, readV(l, pos + C.PCI_PM_PMC, 2) & ~C.PCI_PM_CAP_PME_MASK);
      const mask = C.PCI_PM_CTRL_PME_ENABLE | C.PCI_PM_CTRL_PME_STATUS;
      writeV(l, pos + C.PCI_PM_CTRL, 2, readV(l, pos + C.PCI_PM_CTRL, 2) & ~mask);
    }
    prev = pos + C.PCI_CAP_LIST_NEXT;
    pos = next;
    caps++;
  }
  if (!caps) writeV(l, C.PCI_STATUS, 2, readV(l, C.PCI_STATUS, 2) & ~C.PCI_STATUS_CAP_LIST);
}

function ecapInit(run: Run, l: Layout): void {
  if (!l.extendedCaps) return;
  const size = run.ctx.kind.cfgSize;
  let epos = C.PCI_CFG_SPACE_SIZE;
  let loops = (size - C.PCI_CFG_SPACE_SIZE) / C.PCI_CAP_SIZEOF;
  let prev = -1;
  let ecaps = 0;
  while (loops-- > 0 && epos >= C.PCI_CFG_SPACE_SIZE) {
    const header = run.hwRead(epos, 4);
    const ecap = header & 0xffff;
    const next = (header >>> 20) & 0xffc;
    let len = 0;
    let hidden = false;
    if (run.decide('ecap-length-known', { ecap })) {
      len = run.variant.ecapLengths.get(ecap) ?? 0;
      if (len === 0xff) len = ecapLength(run, ecap, epos);
    }
    if (!len) {
      l.notes.push(`hiding ecap ${hex(ecap)}@${hex(epos)}`);
      if (prev >= 0) {
        writeV(l, prev, 4, ((readV(l, prev, 4) & ~(0xffc << 20)) | (next << 20)) >>> 0);
        epos = next;
        continue;
      }
      len = C.PCI_CAP_SIZEOF;
      hidden = true;
    }
    mark(run, l, epos, len, ecap);
    fill(run, l, epos, len);
    if (hidden) writeV(l, epos, 4, (readV(l, epos, 4) & (0xffc << 20)) >>> 0);
    else ecaps++;
    prev = epos;
    epos = next;
  }
  if (!ecaps) writeV(l, C.PCI_CFG_SPACE_SIZE, 4, 0);
}

/** vfio_config_init; the Run's layout is set to the result. */
export function configInit(run: Run): Layout {
  const size = run.ctx.kind.cfgSize;
  const l: Layout = {
    map: new Uint8Array(size).fill(INVALID),
    vconfig: new Uint8Array(size),
    stdPerms: new Map(),
    extPerms: new Map(),
    rbar: [],
    extendedCaps: false,
    why: [],
    notes: [],
  };
  run.layout = l;
  l.map.fill(C.PCI_CAP_ID_BASIC, 0, C.PCI_STD_HEADER_SIZEOF);
  for (const p of run.variant.perms.values()) {
    if (p.size === 'len') continue;
    const { ext, id } = capId(p.spec.cap);
    (ext ? l.extPerms : l.stdPerms).set(id, runtimePerm(run, p, p.size ?? 0));
  }
  fill(run, l, 0, C.PCI_STD_HEADER_SIZEOF);
  for (let i = 0; i < 7; i++)
    l.rbar.push(readV(l, i < 6 ? C.PCI_BASE_ADDRESS_0 + 4 * i : C.PCI_ROM_ADDRESS, 4));
  if (run.decide('vf-ids')) {
    writeV(l, C.PCI_VENDOR_ID, 2, run.ctx.kind.facts['pdev->vendor'] ?? 0xffff);
    writeV(l, C.PCI_DEVICE_ID, 2, run.ctx.kind.facts['pdev->device'] ?? 0xffff);
  }
  if (run.decide('vf-pin-zero')) {
    if (l.vconfig[C.PCI_INTERRUPT_PIN])
      l.notes.push(`Hardware bug: VF reports bogus INTx pin ${l.vconfig[C.PCI_INTERRUPT_PIN]}`);
    l.vconfig[C.PCI_INTERRUPT_PIN] = 0;
  }
  if (run.decideCommand('init-force-memory'))
    writeV(l, C.PCI_COMMAND, 2, readV(l, C.PCI_COMMAND, 2) | C.PCI_COMMAND_MEMORY);
  if (run.decide('pin-zero')) l.vconfig[C.PCI_INTERRUPT_PIN] = 0;
  capInit(run, l);
  ecapInit(run, l);
  return l;
}
