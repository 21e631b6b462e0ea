/**
 * zPCI findings: the cases each patch changes (zpciCases.ts), each put on the changed line whose
 * check decides it (else the check it passes, else the trait or host field it reads); and every
 * change of a file the zPCI reader covers that the model does not reach, said as "not modelled"
 * on its own line. Refactors the reader recognises as such ("none") give nothing.
 */
import { HINT_MAX, fitHint } from './attribute';
import type { ZpciChange } from '../csrc/zpci';
import { overBudget, type AnalysisContext, type FindingSink } from './context';
import type { Severity } from './types';
import { DEFAULT_HOST, hostId, patchCases, type PatchSides, type ZpciCase } from './zpciCases';
import { changeRange, type ZpciUnitReading } from './zpciReading';
import type { ZpciBehaviourChange } from './zpciTypes';

export function sidesOf(u: ZpciUnitReading): PatchSides {
  const r = u.reading;
  return {
    before: r.before,
    after: r.after,
    host: r.host?.before ?? DEFAULT_HOST,
    hostAfter: r.host?.after ?? DEFAULT_HOST,
  };
}

/** The model node a change's target is (the `node` of the explanations that evaluate it). */
export function nodeOf(c: ZpciChange): string | null {
  const t = c.target;
  switch (t.kind) {
    case 'node':
      return `${t.instruction}/${t.id}`;
    case 'case':
      return `${t.instruction}/${t.branch}`;
    case 'decode':
      return `${t.instruction}/decode-${t.field}`;
    case 'plug-check':
      return `plug/${t.id}`;
    case 'interpretation':
      return 'plug/interpretation';
    case 'clp-check':
      return `clp-${t.request}/${t.id}`;
    default:
      return null;
  }
}

/** The trait or host field a change sets. */
function fieldOf(c: ZpciChange): string | null {
  return c.target.kind === 'trait' ? c.target.trait : c.target.kind === 'host' ? c.target.field : null;
}

/** The changes of a patch a case is put on: the check that decides it, else one it evaluates, else the fields. */
function causesOf(k: ZpciCase, edits: ZpciChange[]): ZpciChange[] {
  const fields = edits.filter((c) => fieldOf(c) !== null);
  if (k.cause.kind === 'fields') {
    const named = k.cause.fields;
    const hit = fields.filter((c) => named.includes(fieldOf(c)!));
    return hit.length ? hit : fields.length ? fields : edits;
  }
  const { decided, any } = k.cause;
  const byDecided = edits.filter((c) => decided.has(nodeOf(c) ?? ''));
  if (byDecided.length) return byDecided;
  const byAny = edits.filter((c) => any.has(nodeOf(c) ?? ''));
  if (byAny.length) return byAny;
  return fields.length ? fields : edits;
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** The inlay hint: the device and what it now gets, within HINT_MAX (the device left out when it does not fit). */
function hintOf(c: ZpciBehaviourChange, more: number): string {
  const change = `${c.before.reading}→${c.after.reading}${more ? ` (+${more})` : ''}`;
  const withDevice = `${c.device}: ${change}`;
  return fitHint(withDevice.length <= HINT_MAX ? withDevice : change);
}

/** "QEMU v2.9 → v2.9+1, host host-v6.15": what the two sides are. */
function sidesText(s: PatchSides, sameVersion: boolean): string {
  const qemu = sameVersion ? `QEMU ${s.before.id}` : `QEMU ${s.before.id} → ${s.after.id}`;
  const [ha, hb] = [hostId(s.host), hostId(s.hostAfter)];
  return `${qemu}, host ${ha === hb ? ha : `${ha} → ${hb}`}`;
}

/** What a change does, as the finding leads with it. */
function changeText(c: ZpciChange): string {
  // A change of what a check returns keeps its condition: the reader's message says what changed.
  return (c.before !== undefined || c.after !== undefined) && c.before !== c.after
    ? `${c.key}: \`${c.before ?? '(absent)'}\` → \`${c.after ?? '(absent)'}\``
    : c.message;
}

function budgetFinding(ctx: AnalysisContext, out: FindingSink, u: ZpciUnitReading, at: ZpciChange): void {
  if (ctx.options.isCancelled?.()) return;
  out.budgetNote(
    ctx.options.budgetMs,
    u.unit.range ?? changeRange(u, at),
    'later zPCI patches were not compared',
  );
}

/** behaviour-change: the cases of each patch, on the changed lines whose checks decide them. */
export function zpciBehaviourFindings(ctx: AnalysisContext, out: FindingSink): void {
  const { options } = ctx;
  const budgetLeft = () => !options.isCancelled?.() && !overBudget(options, ctx.started);
  for (const u of ctx.zpci.units) {
    const edits = u.reading.changes.filter((c) => c.edits.length || c.hostEdits?.length);
    if (!edits.length) continue;
    const s = sidesOf(u);
    const found = budgetLeft() ? patchCases(s, budgetLeft) : null;
    if (found === null) return budgetFinding(ctx, out, u, edits[0]);
    const bySite = new Map<ZpciChange, ZpciCase[]>();
    for (const k of found)
      for (const c of causesOf(k, edits)) {
        const list = bySite.get(c) ?? [];
        list.push(k);
        bySite.set(c, list);
      }
    const sameVersion = !u.reading.changes.some((c) => c.edits.length);
    for (const [c, ks] of bySite) {
      const changes = ks.map((k) => k.change);
      const lead = changes.find((x) => !x.internal) ?? changes[0];
      const devices = [...new Set(changes.map((x) => x.device))];
      const n = changes.length - 1;
      const more = n ? ` (and ${n} more case${n > 1 ? 's' : ''})` : '';
      const internalNote = changes.every((x) => x.internal) ? ' (the deciding check only)' : '';
      const depends = [...new Set(changes.flatMap((x) => x.dependsOn ?? []))];
      out.add({
        code: 'behaviour-change',
        kind: 'behaviour-change',
        severity: ks.map((k) => k.severity).reduce((a, b) => (RANK[b] > RANK[a] ? b : a)),
        message:
          `${changeText(c)} changes behaviour for ${devices.join(', ')}${internalNote} (${sidesText(s, sameVersion)}): ` +
          `${lead.device}: ${lead.steps.join('; ')}: ${lead.before.reading} → ${lead.after.reading}${more}` +
          (depends.length ? `; depends on ${depends.join(', ')} (unknown to the model)` : ''),
        range: changeRange(u, c),
        patch: u.unit.patch,
        diffFile: c.place.file,
        ...(c.place.function ? { function: c.place.function } : {}),
        changes,
        related: edits
          .filter((o) => o !== c && bySite.has(o))
          .map((o) => ({
            range: changeRange(u, o),
            message: `also changes ${o.key}`,
            kind: 'site' as const,
          })),
        hint: hintOf(lead, n),
      });
    }
  }
}

/** unmodeled-change: every change of a covered file the model does not reach, on its own line. */
export function zpciUnmodelledFindings(ctx: AnalysisContext, out: FindingSink): void {
  for (const u of ctx.zpci.units) {
    for (const c of u.reading.changes) {
      if (c.change !== 'not-modelled') continue;
      out.add({
        code: 'unmodeled-change',
        kind: 'unmodeled-change',
        severity: 'information',
        message: c.message,
        range: changeRange(u, c),
        patch: u.unit.patch,
        diffFile: c.place.file,
        ...(c.place.function ? { function: c.place.function } : {}),
      });
    }
    const first = u.hunks[0];
    for (const p of u.reading.problems)
      out.add({
        code: 'unmodeled-change',
        kind: 'unmodeled-change',
        severity: 'information',
        message: `not modelled: ${p}`,
        range: first.hunk.headerRange,
        patch: u.unit.patch,
        diffFile: first.file.path,
      });
  }
}
