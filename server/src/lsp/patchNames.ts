/**
 * A document's patch sides named as a reviewer names them (issue 14 point 4): a patch by its
 * subject tag and subject, "[PATCH v5 3/3] vfio/pci: ..." (the tag as the mail writes it, else
 * built from the series position the reader found; a commit without one by its subject alone), a
 * loose diff without a subject by the document's file name; a side is "before ..." or "after ..." that patch, the whole series
 * "before" its first patch and "after" its last. Only names: a side is still requested by its
 * KernelRef `{ uri, patch?, side }`.
 */
import type { PatchSummary } from '../analysis/types';
import type { PatchSides } from './protocol';
import type { ServerAnalysis } from './serverAnalysis';

/** The longest name shown: a select box or a table header, not the whole subject of a long mail. */
export const PATCH_NAME_MAX = 100;

/** A subject that starts with its own tag ("[PATCH v5 3/3] ...", "[RFC PATCH net-next 1/4] ...", "[PULL 02/12] ..."). */
const TAGGED = /^\[[^\]]*\]/;

const cut = (s: string) => (s.length > PATCH_NAME_MAX ? `${s.slice(0, PATCH_NAME_MAX - 1)}…` : s);

export function patchName(
  p: Pick<PatchSummary, 'index' | 'total' | 'version' | 'subject'>,
  file: string,
): string {
  const subject = p.subject.replace(/\s+/g, ' ').trim();
  if (TAGGED.test(subject)) return cut(subject);
  const version = p.version > 1 ? ` v${p.version}` : '';
  const position = p.index !== undefined && p.total !== undefined ? ` ${p.index}/${p.total}` : '';
  // a commit of `git log -p` or a bare diff: no tag the text does not carry
  if (!version && !position) return cut(subject || file);
  return cut(`[PATCH${version}${position}]${subject ? ` ${subject}` : ''}`);
}

/** The file name of a document's URI (what its editor tab shows). */
export function fileNameOf(uri: string): string {
  const last = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const name = last.slice(last.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || uri;
  } catch {
    return name || uri;
  }
}

/**
 * The sides the simulator offers for a document: the whole series first (no `patch`), then each
 * patch of a series of more than one, in series order (cover letters left out: they change
 * nothing; a document of cover letters alone has no side to name).
 */
export function patchSides(output: ServerAnalysis, uri: string): PatchSides[] {
  const patches = output.result.patches;
  if (output.policies.length === 0) return [];
  const file = fileNameOf(uri);
  const name = (k: number) => patchName(patches[k], file);
  // in series order (a web archive may hold 3/3 before 1/3), cover letters left out
  const own = patches
    .flatMap((_, k) => (output.read.patches[k]?.isCover ? [] : [k]))
    .sort((a, b) => (patches[a].index ?? a) - (patches[b].index ?? b) || a - b);
  const series = output.series;
  if (!series && own.length === 0) return [];
  const first = series
    ? series.first.patch !== undefined
      ? name(series.first.patch)
      : cut(series.first.subject)
    : name(own[0] ?? 0);
  const last = series
    ? series.last.patch !== undefined
      ? name(series.last.patch)
      : cut(series.last.subject)
    : name(own[own.length - 1] ?? patches.length - 1);
  const sides: PatchSides[] = [{ before: `before ${first}`, after: `after ${last}` }];
  if (own.length > 1)
    for (const k of own) sides.push({ patch: k, before: `before ${name(k)}`, after: `after ${name(k)}` });
  return sides;
}
