/**
 * A device kind's hardware config space as bytes: the values (with the capability chains linked:
 * Status CAP_LIST, 0x34, each NEXT, each extended header), and per byte what a write does (stored
 * bits, write-1-to-clear bits, actions) and the value after a function reset.
 */
import { C } from './registers';
import type { ConfigDeviceKind, RegisterValue } from './types';

export interface HardwareImage {
  size: number;
  bytes: Uint8Array;
  rw: Uint8Array;
  w1c: Uint8Array;
  /** The bytes after a function reset (power-on values; BARs unprogrammed, COMMAND 0). */
  reset: Uint8Array;
  /** Registers by absolute offset of their first byte, for naming and actions. */
  registers: { at: number; reg: RegisterValue; cap: string }[];
  /** Per byte, 1 + the index in `registers` of the first register holding it; 0: none does. */
  owner: Uint16Array;
  /** The registers whose writes do something (`reg.action`): what a write checks. */
  actions: { at: number; reg: RegisterValue }[];
  /** The offset of the PCI PM capability (PMCSR is at `pm + PCI_PM_CTRL`); undefined: the kind has none. */
  pm: number | undefined;
}

function put(bytes: Uint8Array, at: number, width: number, value: number): void {
  for (let i = 0; i < width && at + i < bytes.length; i++) bytes[at + i] = (value >>> (8 * i)) & 0xff;
}

export function readBytes(bytes: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v |= (bytes[at + i] ?? 0) << (8 * i);
  return v >>> 0;
}

const images = new WeakMap<ConfigDeviceKind, HardwareImage>();

/** The hardware image of a kind, built once (nothing writes to an image after it is built). */
export function buildImage(kind: ConfigDeviceKind): HardwareImage {
  let img = images.get(kind);
  if (!img) images.set(kind, (img = buildImageOf(kind)));
  return img;
}

function buildImageOf(kind: ConfigDeviceKind): HardwareImage {
  const size = kind.cfgSize;
  const img: HardwareImage = {
    size,
    bytes: new Uint8Array(size),
    rw: new Uint8Array(size),
    w1c: new Uint8Array(size),
    reset: new Uint8Array(size),
    registers: [],
    owner: new Uint16Array(size),
    actions: [],
    pm: kind.capabilities.find((c) => c.space === 'std' && c.id === C.PCI_CAP_ID_PM)?.offset,
  };
  const place = (base: number, reg: RegisterValue, cap: string) => {
    const at = base + reg.offset;
    put(img.bytes, at, reg.width, reg.value);
    put(img.rw, at, reg.width, reg.rw ?? 0);
    put(img.w1c, at, reg.width, reg.w1c ?? 0);
    put(img.reset, at, reg.width, reg.reset ?? reg.value);
    img.registers.push({ at, reg, cap });
    if (reg.action) img.actions.push({ at, reg });
    for (let i = at; i < at + reg.width && i < size; i++)
      if (!img.owner[i]) img.owner[i] = img.registers.length;
  };
  for (const reg of kind.header) place(0, reg, 'header');
  put(img.reset, C.PCI_COMMAND, 2, 0);
  const std = kind.capabilities.filter((c) => c.space === 'std');
  const ext = kind.capabilities.filter((c) => c.space === 'ext');
  if (std.length) {
    img.bytes[C.PCI_STATUS] |= C.PCI_STATUS_CAP_LIST;
    img.bytes[C.PCI_CAPABILITY_LIST] = std[0].offset;
    // the list is the hardware's, read-only: a function reset does not empty it
    img.reset[C.PCI_STATUS] |= C.PCI_STATUS_CAP_LIST;
    img.reset[C.PCI_CAPABILITY_LIST] = std[0].offset;
  }
  std.forEach((c, i) => {
    const head = c.id | ((std[i + 1]?.offset ?? 0) << 8);
    put(img.bytes, c.offset, 2, head);
    for (const reg of c.registers) place(c.offset, reg, `cap 0x${c.id.toString(16)}`);
  });
  ext.forEach((c, i) => {
    const head = (c.id | ((c.version ?? 1) << 16) | ((ext[i + 1]?.offset ?? 0) << 20)) >>> 0;
    put(img.bytes, c.offset, 4, head);
    for (const reg of c.registers) place(c.offset, reg, `ecap 0x${c.id.toString(16)}`);
  });
  // capability headers survive a reset; copy every byte not written by a register
  for (let i = 0; i < size; i++) if (!img.owner[i]) img.reset[i] = img.bytes[i];
  return img;
}

/** The register a byte belongs to, for observations ("PCI_EXP_DEVCTL"), or its offset. */
export function registerName(img: HardwareImage, at: number): string {
  const r = at >= 0 && at < img.size && img.owner[at] ? img.registers[img.owner[at] - 1] : undefined;
  if (!r) return `0x${at.toString(16).padStart(3, '0')}`;
  const name = r.reg.name ?? `0x${r.at.toString(16)}`;
  return at === r.at ? name : `${name}+${at - r.at}`;
}
