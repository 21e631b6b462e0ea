/**
 * Applying a series to a kernel: each unit's C facts turn the policy before it into the policy
 * after it (decision expressions replaced, marker setters added or removed, flag constants
 * defined). The sites that changed are kept, so that behaviour differences can be put back on
 * the lines that cause them.
 */
import type { FileDiff, Hunk, HunkLine } from '../diff/types';
import {
  readCode,
  type CodeFacts,
  type CodeImages,
  type DecisionCandidate,
  type ImageLine,
  type SetterCandidate,
} from '../csrc/codeFacts';
import type { MacroDef } from '../csrc/macros';
import { expandMacros } from '../csrc/macros';
import type { DecisionPoint, MarkerSetter, PolicySpec } from '../model/index';
import { exprKey } from './exprKey';
import type { AnalysisUnit } from './units';

export interface HunkRecord {
  unit: AnalysisUnit;
  file: FileDiff;
  hunk: Hunk;
  facts: CodeFacts;
}

export interface DecisionChange {
  record: HunkRecord;
  decision: DecisionPoint;
  before: string | null;
  after: string | null;
  /** The new expression as the patch writes it (before macro expansion). */
  written: string | null;
  /** Post-image candidate (the new text) and pre-image candidate (the old), where visible. */
  post?: DecisionCandidate;
  pre?: DecisionCandidate;
}

export interface SetterChange {
  record: HunkRecord;
  setter: SetterCandidate;
  /** The model's creation path, or undefined when the function is not one the model knows. */
  path?: string;
  added: boolean;
}

export interface UnitEffect {
  unit: AnalysisUnit;
  before: PolicySpec;
  after: PolicySpec;
  decisions: DecisionChange[];
  setters: SetterChange[];
}

/** Functions the model knows as creation paths of a device. */
const CREATION_PATHS: { fn: RegExp; file?: RegExp; path: string }[] = [
  { fn: /^pci_iov_add_virtfn$/, path: 'pci_iov_add_virtfn' },
  { fn: /^pcibios_bus_add_device$/, file: /arch\/s390\//, path: 's390-pcibios_bus_add_device' },
  { fn: /^pcibios_enable_device$/, file: /arch\/s390\//, path: 's390-pcibios_enable_device' },
  // zpci_*_setup_virtfn runs for every zPCI function zpci_bus_add_device adds (e5794cf1a270);
  // zpci_*_link_virtfn only once the PF is found
  { fn: /^zpci_(bus|iov)_setup_virtfn$/, file: /arch\/s390\//, path: 's390-zpci_bus_add_device' },
  { fn: /^zpci_(bus|iov)_link_virtfn$/, file: /arch\/s390\//, path: 's390-link-virtfn' },
];

export function creationPath(fn: string | undefined, file: string): string | undefined {
  if (!fn) return undefined;
  return CREATION_PATHS.find((c) => c.fn.test(fn) && (!c.file || c.file.test(file)))?.path;
}

/** A line of a hunk's image, read through to the hunk line (whose place is worked out on first use). */
class HunkImageLine implements ImageLine {
  constructor(
    private readonly source: HunkLine,
    readonly changed: boolean,
  ) {}
  get text() {
    return this.source.text;
  }
  get range() {
    return this.source.range;
  }
}

/** A hunk as csrc reads it: its old image (context and removed lines) and its new (context and added). */
export function hunkImages(hunk: Hunk): CodeImages {
  const pre: ImageLine[] = [];
  const post: ImageLine[] = [];
  for (const l of hunk.lines) {
    if (l.kind === 'no-newline') continue;
    const line = new HunkImageLine(l, l.kind !== 'context');
    if (l.kind !== 'added') pre.push(line);
    if (l.kind !== 'removed') post.push(line);
  }
  return { heading: hunk.heading, pre, post };
}

/** Where reading stopped for the budget: the first hunk not read. */
export interface ReadingCut {
  unit: AnalysisUnit;
  file: FileDiff;
  hunk: Hunk;
}

/**
 * Every hunk's C facts, in document order; `stop` (the budget) is asked before each hunk, and
 * where it says stop, the hunks from there on are not read (`cut` names the first of them).
 */
export function readRecords(
  units: AnalysisUnit[],
  stop: () => boolean = () => false,
): { records: HunkRecord[]; cut?: ReadingCut } {
  const records: HunkRecord[] = [];
  for (const unit of units) {
    for (const file of unit.files) {
      let earlier: string | undefined;
      for (const hunk of file.hunks) {
        if (stop()) return { records, cut: { unit, file, hunk } };
        const facts = readCode(hunkImages(hunk), earlier);
        earlier = facts.functionName;
        records.push({ unit, file, hunk, facts });
      }
    }
  }
  return { records };
}

/** Every macro the document defines (added or context lines), e.g. v3's dev_is_vf(). */
export function documentMacros(records: HunkRecord[]): MacroDef[] {
  const seen = new Map<string, MacroDef>();
  for (const r of records) {
    for (const m of r.facts.post.macros) if (!seen.has(m.name)) seen.set(m.name, m);
  }
  return [...seen.values()];
}

/**
 * Pairs a hunk's pre- and post-image readings of each decision point. A reading that only the
 * baseline can confirm ('marker': an if in vfio_config_init testing a marker) counts when its
 * old side is the policy's current init expression.
 */
function decisionChanges(
  r: HunkRecord,
  current: PolicySpec,
  macros: MacroDef[],
): { decision: DecisionPoint; pre?: DecisionCandidate; post?: DecisionCandidate }[] {
  const out: { decision: DecisionPoint; pre?: DecisionCandidate; post?: DecisionCandidate }[] = [];
  const byDecision = new Map<DecisionPoint, { pre: DecisionCandidate[]; post: DecisionCandidate[] }>();
  for (const side of ['pre', 'post'] as const) {
    for (const c of r.facts[side].decisions) {
      const e = byDecision.get(c.decision) ?? { pre: [], post: [] };
      e[side].push(c);
      byDecision.set(c.decision, e);
    }
  }
  for (const [decision, { pre, post }] of byDecision) {
    const n = Math.max(pre.length, post.length);
    for (let i = 0; i < n; i++) {
      const a = pre[i];
      const b = post[i];
      if (!(a?.changed || b?.changed)) continue;
      const marker = (a ?? b)!.confidence === 'marker';
      if (marker) {
        const cur = current.decisions[decision];
        if (!a || exprKey(a.expression, macros) !== exprKey(cur, macros)) continue;
      }
      out.push({ decision, pre: a, post: b });
    }
  }
  return out;
}

function sameSetter(a: MarkerSetter, b: MarkerSetter): boolean {
  return a.path === b.path && a.marker === b.marker;
}

function clone(spec: PolicySpec, id: string, label: string): PolicySpec {
  return {
    ...spec,
    id,
    label,
    decisions: { ...spec.decisions },
    markers: spec.markers.map((m) => ({ ...m })),
    constants: { ...(spec.constants ?? {}) },
  };
}

/** Applies the units in order to the baseline; returns each unit's before/after and its changes. */
export function applySeries(
  baseline: PolicySpec,
  units: AnalysisUnit[],
  records: HunkRecord[],
  macros: MacroDef[],
): UnitEffect[] {
  const effects: UnitEffect[] = [];
  let current = baseline;
  units.forEach((unit, k) => {
    const before = current;
    const after = clone(before, `${baseline.id}+${k + 1}`, `${baseline.label} + ${unit.subject}`);
    const decisions: DecisionChange[] = [];
    const setters: SetterChange[] = [];
    for (const r of records.filter((x) => x.unit === unit)) {
      for (const { decision, pre, post } of decisionChanges(r, after, macros)) {
        const newText = post ? expandMacros(post.expression, macros) : null;
        const oldText = after.decisions[decision];
        if (exprKey(newText, macros) === exprKey(oldText, macros)) continue; // reformatting only
        after.decisions[decision] = newText;
        decisions.push({
          record: r,
          decision,
          before: oldText,
          after: newText,
          written: post?.expression ?? null,
          pre,
          post,
        });
      }
      for (const side of ['pre', 'post'] as const) {
        for (const s of r.facts[side].setters) {
          if (!s.changed) continue;
          const path = creationPath(s.functionName ?? r.facts.functionName, r.file.path);
          const setter: MarkerSetter = {
            path: path ?? `unmodelled:${s.functionName ?? r.facts.functionName ?? '?'}`,
            marker: s.marker,
            condition: s.condition ? expandMacros(s.condition, macros) : undefined,
          };
          const clears = /^(0|NULL|false)$/.test(s.value);
          if (side === 'post' && !clears) {
            if (!after.markers.some((m) => sameSetter(m, setter))) after.markers.push(setter);
            setters.push({ record: r, setter: s, path, added: true });
          } else if (side === 'pre') {
            const stillSet = r.facts.post.setters.some((p) => p.marker === s.marker && !p.changed);
            if (!stillSet) after.markers = after.markers.filter((m) => !sameSetter(m, setter));
            setters.push({ record: r, setter: s, path, added: false });
          }
        }
      }
      for (const d of r.facts.post.definitions) {
        if (d.changed && d.kind === 'dev-flag' && d.bit !== undefined) after.constants![d.name] = 1 << d.bit;
      }
    }
    effects.push({ unit, before, after, decisions, setters });
    current = after;
  });
  return effects;
}
