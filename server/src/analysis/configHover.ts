/**
 * The hover of a config-space register or bit name a patch uses (PCI_EXP_DEVCTL,
 * PCI_EXP_DEVCTL_READRQ, PCI_PM_CTRL): its value, and how vfio's permission tables treat it in
 * every kernel variant the model holds (issue 11), from the compiled tables themselves: which
 * capability's row names it, which bits are virtualized (kept in vconfig) and which a user's write
 * sends to the hardware. Consecutive kernels that treat it alike are one row.
 */
import { BoundedCache, KERNEL_SPECS } from '../model/index';
import { PCI_CONFIG_CONSTANTS, hex } from '../model/vfio/config/index';
import { policyOf } from './modelRuns';

/** The register a bit name belongs to: its longest prefix that is a constant (PCI_EXP_DEVCTL_READRQ -> PCI_EXP_DEVCTL). */
function registerOf(name: string): string | undefined {
  const words = name.split('_');
  for (let n = words.length - 1; n >= 2; n--) {
    const prefix = words.slice(0, n).join('_');
    if (prefix in PCI_CONFIG_CONSTANTS) return prefix;
  }
  return undefined;
}

/**
 * What one kernel's tables do with the name: for a register, each row at it (its masks); for a
 * bit, the row of its register and what the row's masks do with the bit's value.
 */
function treatment(kernel: string, name: string): string {
  const config = policyOf(kernel).config;
  const register = registerOf(name);
  const bits = register ? PCI_CONFIG_CONSTANTS[name] : undefined;
  const said: string[] = [];
  for (const [cap, perms] of config.perms) {
    for (const r of perms.rows) {
      const offset = r.row.offset.trim();
      if (offset === name)
        said.push(
          `${cap} row: virtualized ${hex(r.virt)}, written to hardware ${hex(r.write & ~r.virt)}` +
            (perms.spec.writefn ? `, writes through ${perms.spec.writefn}` : ''),
        );
      else if (register !== undefined && bits !== undefined && offset === register) {
        const virt = (r.virt & bits) === bits;
        const write = (r.write & bits) === bits;
        const through = write && perms.spec.writefn ? `, through ${perms.spec.writefn}` : '';
        said.push(
          `${cap} row at ${register}: ` +
            (virt
              ? write
                ? `virtualized: a write is kept in vconfig${through}`
                : 'virtualized, read-only'
              : write
                ? `a write reaches the hardware${through}`
                : 'read from the hardware, writes dropped'),
        );
      }
    }
  }
  return said.length
    ? [...new Set(said)].join('; ')
    : 'no permission row at it: read from the hardware, writes dropped (unless a row around it covers it)';
}

const treatments = new BoundedCache<string, { kernels: string[]; text: string }[]>(256);

/** Markdown for a config-space constant's hover, or undefined for a name the register table does not hold. */
export function configNameMarkdown(name: string, baseline?: string): string | undefined {
  if (!(name in PCI_CONFIG_CONSTANTS) || !name.startsWith('PCI_')) return undefined;
  let groups = treatments.get(name);
  if (!groups) treatments.set(name, (groups = treatmentGroups(name)));
  return markdownOf(name, groups, baseline);
}

/** Consecutive kernels that treat the name alike, one group each. */
function treatmentGroups(name: string): { kernels: string[]; text: string }[] {
  const groups: { kernels: string[]; text: string }[] = [];
  for (const k of KERNEL_SPECS) {
    let text: string;
    try {
      text = treatment(k.id, name);
    } catch {
      continue; // a variant that does not compile here is not shown (the analysis says why elsewhere)
    }
    const last = groups[groups.length - 1];
    if (last && last.text === text) last.kernels.push(k.id);
    else groups.push({ kernels: [k.id], text });
  }
  return groups;
}

function markdownOf(name: string, groups: { kernels: string[]; text: string }[], baseline?: string): string {
  const value = PCI_CONFIG_CONSTANTS[name];
  const span = (ks: string[]) => (ks.length === 1 ? ks[0] : `${ks[0]} – ${ks[ks.length - 1]}`);
  const lines = [
    `**${name}** \u2014 config space (pci_regs.h: ${hex(value)})`,
    '',
    "In vfio-pci's permission tables (virtualized bits live in vconfig; the rest of a write reaches the device):",
    '',
    '| kernels | treatment |',
    '|---|---|',
    ...groups.map((g) => {
      const mark = baseline && g.kernels.includes(baseline) ? ` (baseline ${baseline})` : '';
      return `| ${span(g.kernels)}${mark} | ${g.text.replace(/\|/g, '\\|')} |`;
    }),
  ];
  return lines.join('\n');
}
