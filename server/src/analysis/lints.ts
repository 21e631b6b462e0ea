/**
 * Review knowledge from the seeds and the domain doc, as lints with stable codes:
 * - is-virtfn-for-command-memory: is_virtfn answers "is this a linked SR-IOV VF", not "does this
 *   device implement Command MEMORY" (it is 0 for a detached s390 VF and under CONFIG_PCI_IOV=n);
 * - dev-flags-bit-collision: a new PCI_DEV_FLAGS_* bit already taken in the target kernel;
 * - mse-means-vf-mse: "MSE" for the Command register bit (the spec's MSE is the SR-IOV VF MSE);
 * - is-virtfn-without-physfn: common code assumes is_virtfn implies physfn (3cddb79afc60);
 * - restore-on-unimplemented-enable: the restore condition still reaches vfio_bar_restore for an
 *   enable bit the device does not implement (Alex's setpci COMMAND=1 case).
 */
import type { Range } from '../common/position';
import type { HunkLine } from '../diff/types';
import type { MacroDef } from '../csrc/macros';
import { expandMacros } from '../csrc/macros';
import { BoundedCache, DEVICE_KINDS, KERNEL_TABLE, policyContentKey, type KernelId } from '../model/index';
import { simulateScript } from './simulation';
import type { HunkRecord, UnitEffect } from './series';
import type { RelatedInfo, Severity } from './types';

export interface Lint {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  record?: HunkRecord;
  /** The function the linted statement is in, when the hunk's own text says (else the hunk's). */
  functionName?: string;
  related: RelatedInfo[];
}

function lineRange(l: HunkLine): Range {
  return l.range;
}

export function lintRecords(records: HunkRecord[], macros: MacroDef[], baseline: KernelId): Lint[] {
  const lints: Lint[] = [];
  const taken = KERNEL_TABLE.get(baseline).devFlagBits;
  for (const r of records) {
    const post = r.facts.post;
    for (const c of post.decisions) {
      if (!c.changed || c.decision === 'restore-skip') continue;
      if (!/\bis_virtfn\b/.test(expandMacros(c.expression, macros))) continue;
      const first = c.lines.find((i) => post.image[i].changed) ?? c.lines[0];
      lints.push({
        code: 'is-virtfn-for-command-memory',
        severity: 'warning',
        message:
          `${c.decision} decides on is_virtfn whether the device implements Command MEMORY; is_virtfn is 0 ` +
          'for a detached s390 VF and for a VF under CONFIG_PCI_IOV=n, so those are missed ' +
          '(mark the device itself, as no_command_memory does)',
        range: lineRange(post.image[first].line),
        record: r,
        functionName: c.functionName,
        related: [],
      });
    }
    for (const d of post.definitions) {
      if (!d.changed || d.kind !== 'dev-flag' || d.bit === undefined) continue;
      const inHunk = post.definitions.find((o) => o !== d && o.bit === d.bit && o.name !== d.name);
      const owner = inHunk?.name ?? (taken[d.bit] && taken[d.bit] !== d.name ? taken[d.bit] : undefined);
      if (!owner) continue;
      lints.push({
        code: 'dev-flags-bit-collision',
        severity: 'warning',
        message: `${d.name} takes bit ${d.bit} of dev_flags, which ${owner} already uses in ${baseline}`,
        range: lineRange(post.image[d.lines[0]].line),
        record: r,
        related: inHunk
          ? [{ range: post.image[inHunk.lines[0]].line.range, message: `${owner} (bit ${d.bit})` }]
          : [],
      });
    }
    for (const s of post.setters) {
      if (!s.changed || s.marker !== 'is_virtfn' || /^(0|false)$/.test(s.value)) continue;
      // physfn must be set on the same path: a link made in another function, only when the PF is
      // found, leaves every unlinked function with is_virtfn and no physfn
      const physfn = post.setters.some(
        (o) => o.marker === 'physfn' && o.functionName === s.functionName && !/^(0|NULL)$/.test(o.value),
      );
      if (physfn) continue;
      lints.push({
        code: 'is-virtfn-without-physfn',
        severity: 'warning',
        message:
          'is_virtfn is set without physfn here; common code (vfio-pci among it) assumes is_virtfn implies ' +
          'a linked PF in physfn (3cddb79afc60 restricted s390 to linked VFs for this reason)',
        range: lineRange(post.image[s.lines[0]].line),
        record: r,
        functionName: s.functionName,
        related: [],
      });
    }
  }
  return lints;
}

/** "MSE" meaning the Command register bit, in a patch's own words (subject, message, added lines). */
export function lintMse(lines: { text: string; range: Range }[]): Lint[] {
  const out: Lint[] = [];
  for (const l of lines) {
    const re = /\bMSE\b/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(l.text))) {
      const before = l.text.slice(0, m.index);
      if (/VF\s*$/.test(before) || /_$/.test(before)) continue; // "VF MSE", PCI_SRIOV_CTRL_MSE
      out.push({
        code: 'mse-means-vf-mse',
        severity: 'information',
        message:
          'The spec uses "MSE" for the VF MSE bit of the PF\'s SR-IOV capability (PCI_SRIOV_CTRL_MSE); ' +
          'say "Memory Space Enable" or PCI_COMMAND_MEMORY for the Command register bit',
        range: {
          start: { line: l.range.start.line, character: l.range.start.character + m.index },
          end: { line: l.range.start.line, character: l.range.start.character + m.index + 3 },
        },
        related: [],
      });
      break;
    }
    if (out.length) break; // once per patch is enough to make the point
  }
  return out;
}

const UNIMPLEMENTED_CASES: { bit: 'io' | 'memory'; script: string }[] = [
  { bit: 'io', script: 'open; write-cmd 0x0001; write-cmd 0x0001' },
  { bit: 'memory', script: 'open; write-cmd 0x0002; write-cmd 0x0002' },
];

/** Runs the setpci cases on devices lacking the enable bit, under the policy after a unit. */
export function lintRestore(effect: UnitEffect, devices: string[]): Lint[] {
  const change = effect.decisions.find((d) => d.decision === 'restore-condition' && d.post);
  if (!change || !change.post) return [];
  const post = change.record.facts.post;
  const line = post.image[change.post.lines.find((i) => post.image[i].changed) ?? change.post.lines[0]].line;
  const key = `${policyContentKey(effect.after)}\u0000${devices.join(',')}`;
  let hits = restoreHits.get(key);
  if (!hits) {
    hits = unimplementedRestores(effect, devices);
    restoreHits.set(key, hits);
  }
  if (!hits.length) return [];
  return [
    {
      code: 'restore-on-unimplemented-enable',
      severity: 'warning',
      message:
        'This restore condition still reaches vfio_bar_restore for an enable bit the device does not ' +
        `implement, which rewrites its BARs and logs a reset recovery: ${hits.join('; ')}`,
      range: line.range,
      record: change.record,
      related: [],
    },
  ];
}

const restoreHits = new BoundedCache<string, string[]>(128);

function unimplementedRestores(effect: UnitEffect, devices: string[]): string[] {
  const hits: string[] = [];
  for (const kind of DEVICE_KINDS) {
    if (!devices.includes(kind.id)) continue;
    for (const c of UNIMPLEMENTED_CASES) {
      const implemented = c.bit === 'io' ? kind.hardware.commandIo : kind.hardware.commandMemory;
      if (implemented === 'implemented') continue;
      const trace = simulateScript(kind.id, effect.after, c.script).trace;
      if (trace.some((e) => e.restore === 'performed')) hits.push(`${kind.id}: ${c.script}`);
    }
  }
  return hits;
}
