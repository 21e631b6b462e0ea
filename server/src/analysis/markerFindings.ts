/**
 * Findings about markers and about what the model does not place: a marker bit or bitfield a
 * patch defines, a marker setter it adds (which device kinds carry it, which decision reads it),
 * a marker used before the patch of the series that defines it, and domain names on changed lines
 * that no modelled construct explains ("not modelled", never silence).
 */
import type { Range } from '../common/position';
import {
  DEV_FLAG_NAME,
  LATER_MAINLINE_DEV_FLAG_BITS,
  MARKER_FIELDS,
  PCI_DEV_MEMBERS,
  PROPOSED_MARKER_FIELDS,
  markerName,
  markerNamesIn,
} from '../model/index';
import { recordBase, siteRange, type AnalysisContext, type FindingSink } from './context';
import { carriersOf } from './markerCarriers';
import type { HunkRecord } from './applySeries';
import { kernelSpec } from './modelRuns';
import { inScope } from './scope';
import { lookupSymbol } from '../knowledge/index';

/**
 * The names a definition is a marker under: a model's marker field, one a decision of the
 * document's policies reads, one a setter of the document sets, or one the knowledge base explains.
 * A new bitfield nothing of that ties to vfio (`fm_enabled`, `no_bw_notif`) is not a marker.
 */
function tiedMarkerNames(ctx: AnalysisContext): (name: string) => boolean {
  const read = new Set<string>(MARKER_FIELDS);
  for (const e of ctx.effects) {
    for (const policy of [e.before, e.after]) {
      for (const t of Object.values(policy.decisions)) if (t) for (const n of markerNamesIn(t)) read.add(n);
      for (const m of policy.markers) read.add(markerName(m.marker));
    }
    for (const s of e.setters) read.add(markerName(s.setter.marker));
  }
  return (name) => read.has(name) || lookupSymbol(name) !== undefined;
}

/** marker-defined: a dev_flags bit or a struct pci_dev bitfield the document adds, tied to what vfio-lens models. */
export function markerDefinitions(ctx: AnalysisContext, out: FindingSink): void {
  const { related } = ctx;
  const tied = tiedMarkerNames(ctx);
  for (const r of ctx.records) {
    for (const d of r.facts.post.definitions) {
      if (!d.changed || !isPciDevMarker(d, r.file.path) || !tied(d.name)) continue;
      const later =
        d.bit !== undefined &&
        LATER_MAINLINE_DEV_FLAG_BITS[d.bit] &&
        LATER_MAINLINE_DEV_FLAG_BITS[d.bit] !== d.name;
      out.add({
        code: 'marker-defined',
        kind: 'marker-defined',
        severity: 'information',
        message:
          d.kind === 'dev-flag'
            ? `defines dev_flags bit ${d.bit ?? '?'} ${d.name}` +
              (later ? `; later mainline gives bit ${d.bit} to ${LATER_MAINLINE_DEV_FLAG_BITS[d.bit!]}` : '')
            : `defines the struct pci_dev bitfield ${d.name}`,
        range: r.facts.post.image[d.lines[0]].range,
        ...recordBase(r),
        related: related(r),
      });
    }
  }
}

/** marker-set (or unmodeled-change on a path the model does not know): a marker setter the document adds. */
export function markerSetters(ctx: AnalysisContext, out: FindingSink): void {
  const { related } = ctx;
  for (const effect of ctx.effects) {
    for (const s of effect.setters) {
      if (!s.added) continue;
      const where = s.setter.functionName ?? s.record.facts.functionName ?? 'an unknown function';
      const alone = {
        ...effect.after,
        markers: effect.after.markers.filter((m) => m.path === s.path && m.marker === s.setter.marker),
      };
      const carriers = carriersOf(alone, s.setter.marker);
      const name = markerName(s.setter.marker);
      const cond = s.setter.condition ? ` when ${s.setter.condition}` : '';
      const readBy = Object.entries(effect.after.decisions)
        .filter(([, t]) => t && t.includes(name))
        .map(([k]) => k);
      const msg = s.path
        ? `sets ${name} in ${where}${cond}: carried by ${carriers.set.join(', ') || 'no modelled device'}` +
          (readBy.length ? `; read by ${readBy.join(', ')}` : '; no vfio-pci decision reads it yet')
        : `sets ${name} in ${where}${cond}, a path the model does not know: not modelled`;
      out.add({
        code: s.path ? 'marker-set' : 'unmodeled-change',
        kind: s.path ? 'marker-set' : 'unmodeled-change',
        severity: s.path ? 'information' : 'hint',
        message: msg,
        range: s.record.facts.post.image[s.setter.lines[0]].range,
        ...recordBase(s.record),
        function: where === 'an unknown function' ? undefined : where,
        related: related(s.record),
      });
    }
  }
}

/**
 * unmodeled-change: domain names on changed lines that no modelled construct explains, inside the
 * models' scope (scope.ts); outside it a hunk is only counted in the document's outsideScope.
 */
export function unplacedNames(ctx: AnalysisContext, out: FindingSink): void {
  const bare = (t: string) => t.replace(/[\s{}]/g, '');
  for (const r of ctx.records) {
    if (!inScope(r)) continue;
    for (const side of ['post', 'pre'] as const) {
      // a line only re-spelled (a brace added, re-indented) is not a change of meaning
      const other = new Set(r.facts[side === 'post' ? 'pre' : 'post'].image.map((l) => bare(l.text)));
      for (const u of r.facts[side].unexplained) {
        if (other.has(bare(r.facts[side].image[u.line].text))) continue;
        out.add({
          code: 'unmodeled-change',
          kind: 'unmodeled-change',
          severity: 'hint',
          message: `${side === 'post' ? 'adds' : 'removes'} a use of ${u.names.join(', ')} in ${r.facts.functionName ?? r.file.path} that the model does not place`,
          range: r.facts[side].image[u.line].range,
          ...recordBase(r),
        });
      }
    }
  }
}

/** A dev_flags bit, or a bitfield of struct pci_dev (not of another struct a patch touches). */
function isPciDevMarker(d: { kind: string; container?: string }, path: string): boolean {
  if (d.kind === 'dev-flag') return true;
  return d.container ? /^struct pci_dev$/.test(d.container) : /include\/linux\/pci\.h$/.test(path);
}

/** bisect-marker-undefined: a marker used before the patch that defines it (or never defined). */
export function bisection(ctx: AnalysisContext, out: FindingSink): void {
  const { effects, records, baseline } = ctx;
  // the names the baseline's tree has: every kernel's pci_dev members, and the markers it sets
  const known = new Set([
    ...PCI_DEV_MEMBERS,
    ...kernelSpec(baseline.kernel).markers.map((m) => markerName(m.marker)),
  ]);
  const definedAt = new Map<string, number>();
  effects.forEach((e, k) => {
    for (const r of records.filter((x) => x.unit === e.unit)) {
      for (const d of r.facts.post.definitions)
        if (d.changed && !definedAt.has(d.name)) definedAt.set(d.name, k);
    }
  });
  effects.forEach((e, k) => {
    const uses: { name: string; range: Range; r: HunkRecord }[] = [];
    for (const ch of e.decisions) {
      for (const name of markerNamesIn(ch.after ?? ''))
        uses.push({ name, range: siteRange(ch), r: ch.record });
    }
    for (const s of e.setters.filter((x) => x.added)) {
      uses.push({
        name: markerName(s.setter.marker),
        range: s.record.facts.post.image[s.setter.lines[0]].range,
        r: s.record,
      });
    }
    const reported = new Set<string>();
    for (const u of uses) {
      if (known.has(u.name) || reported.has(u.name)) continue;
      if (!DEV_FLAG_NAME.test(u.name) && !PROPOSED_MARKER_FIELDS.includes(u.name)) continue;
      const at = definedAt.get(u.name);
      if (at !== undefined && at <= k) continue;
      reported.add(u.name);
      const later = at !== undefined ? effects[at].unit.subject : undefined;
      out.add({
        code: 'bisect-marker-undefined',
        kind: 'bisect',
        severity: 'warning',
        message: later
          ? `uses ${u.name}, which only a later patch defines (${later}): the series does not build at this patch`
          : `uses ${u.name}, which no patch here defines and ${baseline.kernel} does not have`,
        range: u.range,
        ...recordBase(u.r),
      });
    }
  });
}
