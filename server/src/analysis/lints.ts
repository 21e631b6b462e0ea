/**
 * Review knowledge from the seeds and the domain doc, as lints: one row of LINTS each, with its
 * stable code, its severity and its check. A check reads the C of the document (each hunk's, or a
 * whole C file's, facts), the series applied to the baseline, and the patches' own words; it
 * returns where it applies and what it says. Adding a lint is adding a row here.
 */
import type { Range } from '../common/position';
import type { CodeFacts } from '../csrc/codeFacts';
import type { MacroDef } from '../csrc/macros';
import { expandMacros } from '../csrc/macros';
import { BoundedCache, KERNEL_TABLE, kindsOf, policyContentKey, type KernelId } from '../model/index';
import { simulateScript } from './modelRuns';
import { ONE_LOWER } from './severity';
import type { HunkRecord, UnitEffect } from './applySeries';
import type { RelatedInfo, Severity } from './types';
import { CONFIG_LINTS } from './configLints';
import { ZPCI_LINTS } from './zpciLints';
import type { ZpciDocumentReading } from './zpciReading';

/** The C of one hunk (with its record) or of a whole C file (without). */
export interface CodeReading {
  facts: CodeFacts;
  record?: HunkRecord;
}

/** A line of a patch's own words (subject, commit message) or of a C file. */
export interface ProseLine {
  text: string;
  range: Range;
}

export interface LintContext {
  readings: CodeReading[];
  macros: MacroDef[];
  baseline: KernelId;
  /** Each unit applied to the baseline (none for a C file). */
  effects: UnitEffect[];
  devices: readonly string[];
  /** The prose of each patch (for a C file: its lines), one list per patch. */
  prose: ProseLine[][];
  /** The document's zPCI hunks read by csrc/zpci (absent for a C file). */
  zpci?: ZpciDocumentReading;
}

/** Where a lint applies and what it says there. */
export interface LintHit {
  message: string;
  range: Range;
  record?: HunkRecord;
  /** The function the linted statement is in, when the hunk's own text says (else the hunk's). */
  functionName?: string;
  /** For a hit without a vfio hunk record (the zPCI lints): its patch and diff file. */
  patch?: number;
  diffFile?: string;
  related: RelatedInfo[];
  /**
   * What the lint names is the same before the patch: the finding says "pre-existing, not changed
   * by this patch" and ranks one severity below the rule's (runLints).
   */
  preExisting?: boolean;
}

export interface LintRule {
  code: string;
  severity: Severity;
  check(ctx: LintContext): LintHit[];
}

export type Lint = LintHit & { code: string; severity: Severity };

/** The words a pre-existing finding starts with. */
export const PRE_EXISTING = 'pre-existing, not changed by this patch';

/**
 * is_virtfn answers "is this a linked SR-IOV VF", not "does this device implement Command MEMORY"
 * (it is 0 for a detached s390 VF and under CONFIG_PCI_IOV=n).
 */
const isVirtfnForCommandMemory: LintRule = {
  code: 'is-virtfn-for-command-memory',
  severity: 'warning',
  check: ({ readings, macros }) =>
    readings.flatMap(({ facts, record }) =>
      facts.post.decisions
        .filter((c) => c.changed && c.decision !== 'restore-skip')
        .filter((c) => /\bis_virtfn\b/.test(expandMacros(c.expression, macros)))
        .map((c) => {
          const first = c.lines.find((i) => facts.post.image[i].changed) ?? c.lines[0];
          return {
            message:
              `${c.decision} decides on is_virtfn whether the device implements Command MEMORY; is_virtfn is 0 ` +
              'for a detached s390 VF and for a VF under CONFIG_PCI_IOV=n, so those are missed ' +
              '(mark the device itself, as no_command_memory does)',
            range: facts.post.image[first].range,
            record,
            functionName: c.functionName,
            related: [],
          };
        }),
    ),
};

/** A new PCI_DEV_FLAGS_* bit already taken in the target kernel (or by another new one). */
const devFlagsBitCollision: LintRule = {
  code: 'dev-flags-bit-collision',
  severity: 'warning',
  check: ({ readings, baseline }) => {
    const taken = KERNEL_TABLE.get(baseline).devFlagBits;
    return readings.flatMap(({ facts, record }) => {
      const post = facts.post;
      return post.definitions.flatMap((d) => {
        if (!d.changed || d.kind !== 'dev-flag' || d.bit === undefined) return [];
        const inHunk = post.definitions.find((o) => o !== d && o.bit === d.bit && o.name !== d.name);
        const owner = inHunk?.name ?? (taken[d.bit] && taken[d.bit] !== d.name ? taken[d.bit] : undefined);
        if (!owner) return [];
        return [
          {
            message: `${d.name} takes bit ${d.bit} of dev_flags, which ${owner} already uses in ${baseline}`,
            range: post.image[d.lines[0]].range,
            record,
            related: inHunk
              ? [
                  {
                    range: post.image[inHunk.lines[0]].range,
                    message: `${owner} (bit ${d.bit})`,
                    kind: 'marker' as const,
                  },
                ]
              : [],
          },
        ];
      });
    });
  },
};

/** Common code assumes is_virtfn implies a linked PF in physfn (3cddb79afc60). */
const isVirtfnWithoutPhysfn: LintRule = {
  code: 'is-virtfn-without-physfn',
  severity: 'warning',
  check: ({ readings }) =>
    readings.flatMap(({ facts, record }) => {
      const post = facts.post;
      return post.setters.flatMap((s) => {
        if (!s.changed || s.marker !== 'is_virtfn' || /^(0|false)$/.test(s.value)) return [];
        // physfn must be set on the same path: a link made in another function, only when the PF is
        // found, leaves every unlinked function with is_virtfn and no physfn
        const physfn = post.setters.some(
          (o) => o.marker === 'physfn' && o.functionName === s.functionName && !/^(0|NULL)$/.test(o.value),
        );
        if (physfn) return [];
        return [
          {
            message:
              'is_virtfn is set without physfn here; common code (vfio-pci among it) assumes is_virtfn implies ' +
              'a linked PF in physfn (3cddb79afc60 restricted s390 to linked VFs for this reason)',
            range: post.image[s.lines[0]].range,
            record,
            functionName: s.functionName,
            related: [],
          },
        ];
      });
    }),
};

const UNIMPLEMENTED_CASES: { bit: 'io' | 'memory'; script: string }[] = [
  { bit: 'io', script: 'open; write-cmd 0x0001; write-cmd 0x0001' },
  { bit: 'memory', script: 'open; write-cmd 0x0002; write-cmd 0x0002' },
];

const restoreHits = new BoundedCache<string, string[]>(128);

/** The setpci cases that reach vfio_bar_restore on devices lacking the enable bit, under a policy. */
function unimplementedRestores(policy: UnitEffect['after'], devices: readonly string[]): string[] {
  const key = `${policyContentKey(policy)}\u0000${devices.join(',')}`;
  let hits = restoreHits.get(key);
  if (hits) return hits;
  hits = [];
  for (const kind of kindsOf('command-register')) {
    if (!devices.includes(kind.id)) continue;
    for (const c of UNIMPLEMENTED_CASES) {
      const implemented = c.bit === 'io' ? kind.hardware.commandIo : kind.hardware.commandMemory;
      if (implemented === 'implemented') continue;
      const trace = simulateScript(kind.id, policy, c.script).trace;
      if (trace.some((e) => e.restore === 'performed')) hits.push(`${kind.id}: ${c.script}`);
    }
  }
  restoreHits.set(key, hits);
  return hits;
}

/**
 * The restore condition a unit writes still reaches vfio_bar_restore for an enable bit the device
 * does not implement (Alex's setpci COMMAND=1 case): the model runs the cases under the new policy.
 */
const restoreOnUnimplementedEnable: LintRule = {
  code: 'restore-on-unimplemented-enable',
  severity: 'warning',
  check: ({ effects, devices }) =>
    effects.flatMap((effect) => {
      const change = effect.decisions.find((d) => d.decision === 'restore-condition' && d.post);
      if (!change || !change.post) return [];
      const post = change.record.facts.post;
      const i = change.post.lines.find((k) => post.image[k].changed) ?? change.post.lines[0];
      const hits = unimplementedRestores(effect.after, devices);
      if (!hits.length) return [];
      // the same cases restored before the patch: the patch did not make it so
      const before = new Set(unimplementedRestores(effect.before, devices));
      const added = hits.filter((h) => !before.has(h));
      const kept = hits.filter((h) => before.has(h));
      return [
        {
          message:
            'This restore condition still reaches vfio_bar_restore for an enable bit the device does not ' +
            `implement, which rewrites its BARs and logs a reset recovery: ${(added.length ? added : kept).join('; ')}` +
            (added.length && kept.length ? ` (already before this patch: ${kept.join('; ')})` : ''),
          range: post.image[i].range,
          record: change.record,
          related: [],
          preExisting: added.length === 0,
        },
      ];
    }),
};

/** "MSE" meaning the Command register bit, in a patch's own words; once per patch is enough. */
const mseMeansVfMse: LintRule = {
  code: 'mse-means-vf-mse',
  severity: 'information',
  check: ({ prose }) =>
    prose.flatMap((lines) => {
      for (const l of lines) {
        const re = /\bMSE\b/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(l.text))) {
          const before = l.text.slice(0, m.index);
          if (/VF\s*$/.test(before) || /_$/.test(before)) continue; // "VF MSE", PCI_SRIOV_CTRL_MSE
          const start = l.range.start.character + m.index;
          return [
            {
              message:
                'The spec uses "MSE" for the VF MSE bit of the PF\'s SR-IOV capability (PCI_SRIOV_CTRL_MSE); ' +
                'say "Memory Space Enable" or PCI_COMMAND_MEMORY for the Command register bit',
              range: {
                start: { line: l.range.start.line, character: start },
                end: { line: l.range.start.line, character: start + 3 },
              },
              related: [],
            },
          ];
        }
      }
      return [];
    }),
};

/** The lints, in the order their findings are listed. */
export const LINTS: readonly LintRule[] = [
  isVirtfnForCommandMemory,
  devFlagsBitCollision,
  isVirtfnWithoutPhysfn,
  restoreOnUnimplementedEnable,
  mseMeansVfMse,
  ...CONFIG_LINTS,
  ...ZPCI_LINTS,
];

export function runLints(ctx: LintContext, rules: readonly LintRule[] = LINTS): Lint[] {
  return rules.flatMap((rule) =>
    rule.check(ctx).map((hit) =>
      hit.preExisting
        ? {
            ...hit,
            code: rule.code,
            severity: ONE_LOWER[rule.severity],
            message: `${PRE_EXISTING}: ${hit.message}`,
          }
        : { code: rule.code, severity: rule.severity, ...hit },
    ),
  );
}
