/**
 * Review knowledge about the capabilities a VF shares with its PF (issue 11; the facts doc's
 * section 8 and seed 003), as rows of LINTS (lints.ts): a synthesised capability header whose ID
 * is not the capability it claims to be, PRI Reset or Stopped emulated for one VF, and a shared
 * capability (PASID, PRI: the PF's, one for every VF) made writable through vfio. Each reads the
 * added lines of vfio's C (drivers/vfio/pci/, hw/vfio/) as tokens: comments and strings left out,
 * nothing of the document compiled.
 */
import type { Range } from '../common/position';
import { CAP_IDS, ECAP_IDS, PCI_CONFIG_CONSTANTS, hex } from '../model/vfio/config/index';
import type { CodeReading, LintContext, LintHit, LintRule } from './lints';

/** A token of a C line: an identifier, a number, or one punctuation character. */
const TOKEN = /[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+|[^\s\w]/g;

/** The line without its comments and string or character literals (a block comment ends the line's text). */
function codeOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) break;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

const tokensOf = (text: string): string[] => codeOf(text).match(TOKEN) ?? [];

/** Capability IDs by their short name (PASID, PRI, PM, ...), from the model's register tables. */
const byShortName = (table: Record<string, number>, prefix: string) =>
  new Map(Object.entries(table).map(([name, id]) => [name.slice(prefix.length), id]));
const EXT_CAP_IDS = byShortName(ECAP_IDS, 'PCI_EXT_CAP_ID_');
const CAP_IDS_BY_NAME = byShortName(CAP_IDS, 'PCI_CAP_ID_');

/** The name of an extended capability ID, if the table has one. */
function extCapName(id: number): string | undefined {
  for (const [name, v] of EXT_CAP_IDS) if (v === id) return name;
  return undefined;
}

/** A number token, or a constant of the table ("PCI_EXT_CAP_ID_PASID"); undefined otherwise. */
function valueOf(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  if (/^0[xX][0-9a-fA-F]+$|^\d+$/.test(token)) return Number(token);
  return token in PCI_CONFIG_CONSTANTS ? PCI_CONFIG_CONSTANTS[token] : undefined;
}

/** Whether a hunk is vfio's own emulation (the kernel's vfio-pci or QEMU's hw/vfio). */
function isVfioCode(r: CodeReading): boolean {
  const path = r.record?.file.path;
  return path === undefined || path.startsWith('drivers/vfio/') || path.startsWith('hw/vfio/');
}

interface AddedLine {
  reading: CodeReading;
  tokens: string[];
  range: Range;
  functionName?: string;
}

/** The added lines of vfio's C in the document (every line of a C file opened on its own). */
function addedVfioLines(ctx: LintContext): AddedLine[] {
  const out: AddedLine[] = [];
  for (const reading of ctx.readings) {
    if (!isVfioCode(reading)) continue;
    for (const line of reading.facts.post.image) {
      if (reading.record && !line.changed) continue;
      const tokens = tokensOf(line.text.replace(/^[+ ]/, ''));
      if (tokens.length)
        out.push({ reading, tokens, range: line.range, functionName: reading.facts.functionName });
    }
  }
  return out;
}

const hit = (l: AddedLine, message: string): LintHit => ({
  message,
  range: l.range,
  ...(l.reading.record ? { record: l.reading.record } : {}),
  ...(l.functionName ? { functionName: l.functionName } : {}),
  related: [],
});

/** The capability names an identifier's words name ("vfio_pci_emulate_pasid" -> PASID). */
function capabilitiesNamed(identifiers: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (const id of identifiers) {
    // PCI_EXT_CAP_ID_* constants are what is written, not what is claimed
    if (/^PCI_(EXT_)?CAP_ID_/.test(id)) continue;
    for (const word of id.toUpperCase().split('_'))
      if (EXT_CAP_IDS.has(word) && word.length > 2) named.add(word);
  }
  return named;
}

/**
 * A synthesised capability whose ID is not the one it claims: a `#define PCI_EXT_CAP_ID_X N` (or
 * `PCI_CAP_ID_X`) with another value than pci_regs.h's, or a `PCI_EXT_CAP(N, ...)` header built in
 * code that names one capability (PASID, PRI, ...) with that capability's ID not being N.
 */
const synthesisedCapId: LintRule = {
  code: 'synthesised-cap-id',
  severity: 'warning',
  check: (ctx) =>
    addedVfioLines(ctx).flatMap((l): LintHit[] => {
      const t = l.tokens;
      if (t[0] === '#' && t[1] === 'define' && t[2] !== undefined) {
        const m = /^PCI_(EXT_)?CAP_ID_(\w+)$/.exec(t[2]);
        const value = valueOf(t[3]);
        const table = m?.[1] ? EXT_CAP_IDS : CAP_IDS_BY_NAME;
        const real = m ? table.get(m[2]) : undefined;
        if (m && value !== undefined && real !== undefined && value !== real && t.length === 4)
          return [
            hit(
              l,
              `defines ${t[2]} as ${hex(value)}; pci_regs.h has ${hex(real)}` +
                (m[1] && extCapName(value) ? ` (${hex(value)} is ${extCapName(value)})` : ''),
            ),
          ];
        return [];
      }
      const at = t.indexOf('PCI_EXT_CAP');
      if (at < 0 || t[at + 1] !== '(') return [];
      const id = valueOf(t[at + 2]);
      if (id === undefined) return [];
      const words = [...(l.functionName ? [l.functionName] : []), ...t.filter((x) => /^[A-Za-z_]/.test(x))];
      const claimed = [...capabilitiesNamed(words)];
      if (claimed.length !== 1) return [];
      const real = EXT_CAP_IDS.get(claimed[0])!;
      if (real === id) return [];
      const is = extCapName(id);
      return [
        hit(
          l,
          `builds an extended capability header with ID ${hex(id)}${is ? ` (${is})` : ''} for ${claimed[0]}, ` +
            `whose ID is ${hex(real)}: a guest walking the chain finds ${is ?? 'another capability'}, not ${claimed[0]}`,
        ),
      ];
    }),
};

/** PRI Control Reset and PRI Status Stopped emulated by vfio: for a VF, the PRI capability is its PF's. */
const priResetStoppedPerVf: LintRule = {
  code: 'pri-reset-stopped-per-vf',
  severity: 'warning',
  check: (ctx) =>
    addedVfioLines(ctx).flatMap((l): LintHit[] => {
      const bit = l.tokens.find((x) => x === 'PCI_PRI_CTRL_RESET' || x === 'PCI_PRI_STATUS_STOPPED');
      if (!bit) return [];
      const what = bit === 'PCI_PRI_CTRL_RESET' ? 'PRI Control Reset' : 'PRI Status Stopped';
      return [
        hit(
          l,
          `emulates ${what} (${bit}) per device: a VF has no PRI capability of its own (PCIe r5.0 ` +
            `9.3.7.11), the PF's is shared by every VF, so this cannot reset or stop one VF's outstanding ` +
            'page requests in hardware, and software alone cannot promise it either (seed 003)',
        ),
      ];
    }),
};

/** The registers of the capabilities a VF shares whole with its PF (section 8.1): PRI and PASID. */
const SHARED_REGISTERS: Readonly<Record<string, string>> = {
  PCI_PRI_CTRL: 'PRI',
  PCI_PRI_STATUS: 'PRI',
  PCI_PRI_ALLOC_REQ: 'PRI',
  PCI_PASID_CTRL: 'PASID',
};

/** Permission masks by the names vfio_pci_config.c writes them with. */
const MASKS: Readonly<Record<string, number>> = {
  ALL_VIRT: 0xffffffff,
  ALL_WRITE: 0xffffffff,
  NO_VIRT: 0,
  NO_WRITE: 0,
};

/** The value of a p_set* mask argument (`(u16)ALL_WRITE`, `PCI_PRI_CTRL_ENABLE`, `0xffff`), if known. */
function maskOf(tokens: readonly string[]): number | undefined {
  const named = tokens.filter((x) => /^[A-Za-z_0-9]/.test(x) && !/^(u8|u16|u32|__le16|__le32)$/.test(x));
  let v = 0;
  for (const x of named) {
    const k = x in MASKS ? MASKS[x] : valueOf(x);
    if (k === undefined) return undefined;
    v |= k;
  }
  return named.length ? v >>> 0 : undefined;
}

/** The arguments of the call at `open` (the index of its '('), split at top-level commas. */
function callArgs(t: readonly string[], open: number): string[][] {
  const args: string[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') {
      if (depth-- === 0) return args;
    } else if (t[i] === ',' && depth === 0) {
      args.push([]);
      continue;
    }
    args[args.length - 1].push(t[i]);
  }
  return args;
}

/**
 * A permission row that lets a user's write reach a shared capability's hardware register (write
 * bits not virtualized): for a VF it is the PF's register, so one VF's write changes it for all.
 */
const sharedCapWritablePerVf: LintRule = {
  code: 'shared-cap-writable-per-vf',
  severity: 'warning',
  check: (ctx) =>
    addedVfioLines(ctx).flatMap((l): LintHit[] => {
      const t = l.tokens;
      const at = t.findIndex((x, i) => /^p_set[bwd]$/.test(x) && t[i + 1] === '(');
      if (at < 0) return [];
      const [, offset, virt, write] = callArgs(t, at + 1);
      const register = offset?.find((x) => x in SHARED_REGISTERS);
      if (!register || !virt || !write) return [];
      const [v, w] = [maskOf(virt), maskOf(write)];
      if (v === undefined || w === undefined || (w & ~v) === 0) return [];
      const cap = SHARED_REGISTERS[register];
      return [
        hit(
          l,
          `lets a user's write of ${register} reach the hardware (write ${hex(w)}, virtualized ${hex(v)}): ` +
            `on a VF the ${cap} capability is the PF's, shared by every VF, so one VF's write changes it ` +
            'for the PF and all its VFs',
        ),
      ];
    }),
};

export const CONFIG_LINTS: readonly LintRule[] = [
  synthesisedCapId,
  priResetStoppedPerVf,
  sharedCapWritablePerVf,
];
