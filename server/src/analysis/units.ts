/**
 * The units a document is analysed in: each patch of a series (applied in series order), a bare
 * diff as one unit, and hunks quoted in replies whose original is not in the document (analysed
 * as the reviewer sees them). Quoted copies of hunks that ARE in the document are kept apart:
 * findings go on the original, with the quote as related information.
 */
import type { FileDiff, Hunk } from '../diff/types';
import type { ReadResult } from '../mail/types';
import type { Range } from '../common/position';

export interface AnalysisUnit {
  /** Position in ReadResult.patches, when the unit is a patch. */
  patch?: number;
  /** Order in which the unit applies (series index, else document order). */
  order: number;
  subject: string;
  range?: Range;
  files: FileDiff[];
  quoted: boolean;
  messageIndex: number;
  /** Where the unit stands in its series ("[PATCH v5 2/3]", of the patch or of the reply quoting it). */
  series?: { index: number; total: number; version: number };
}

export interface QuotedCopy {
  file: FileDiff;
  hunk: Hunk;
  messageIndex: number;
}

/** A hunk's identity across quoting: path, the @@ numbers, and its changed lines without spacing. */
export function hunkIdentity(file: FileDiff, hunk: Hunk): string {
  // a "-- " signature a web-archive copy lost its blank line before can be read as a removed "-"
  const body = hunk.lines.filter((l) => l.kind === 'added' || l.kind === 'removed');
  while (body.length && body[body.length - 1].kind === 'removed' && /^-\s*$/.test(body[body.length - 1].text))
    body.pop();
  const changed = body.map((l) => (l.kind === 'added' ? '+' : '-') + l.text.replace(/\s+/g, '')).join('\n');
  return `${file.path}@${hunk.oldStart},${hunk.newStart}\n${changed}`;
}

export function collectUnits(read: ReadResult): { units: AnalysisUnit[]; quotes: Map<string, QuotedCopy[]> } {
  const units: AnalysisUnit[] = [];
  const originals = new Set<string>();
  read.patches.forEach((p, i) => {
    if (p.isCover) return;
    const files = p.files.filter((f) => f.quoteDepth === 0);
    if (files.length === 0) return;
    files.forEach((f) => f.hunks.forEach((h) => originals.add(hunkIdentity(f, h))));
    units.push({
      patch: i,
      order: p.index ?? 1000 + i,
      subject: p.subject,
      range: p.range,
      files,
      quoted: false,
      messageIndex: p.messageIndex,
      ...(p.index !== undefined && p.total !== undefined
        ? { series: { index: p.index, total: p.total, version: p.version } }
        : {}),
    });
  });
  // Diffs not inside any patch (a bare diff, git log -p, a thread without series tags).
  const inPatches = new Set(units.flatMap((u) => u.files));
  const loose = read.files.filter((f) => f.quoteDepth === 0 && !inPatches.has(f));
  if (loose.length) {
    loose.forEach((f) => f.hunks.forEach((h) => originals.add(hunkIdentity(f, h))));
    units.push({
      order: 2000,
      subject: '(diff)',
      files: loose,
      quoted: false,
      messageIndex: loose[0].messageIndex,
    });
  }
  // Quoted hunks: copies of originals become related locations; the rest are analysed per message.
  const quotes = new Map<string, QuotedCopy[]>();
  const quotedOnly = new Map<number, FileDiff[]>();
  const seenQuoted = new Set<string>();
  for (const f of read.files) {
    if (f.quoteDepth === 0) continue;
    const keep: Hunk[] = [];
    for (const h of f.hunks) {
      const id = hunkIdentity(f, h);
      if (originals.has(id) || seenQuoted.has(id)) {
        const list = quotes.get(id) ?? [];
        list.push({ file: f, hunk: h, messageIndex: f.messageIndex });
        quotes.set(id, list);
      } else {
        seenQuoted.add(id);
        keep.push(h);
      }
    }
    if (keep.length) {
      const list = quotedOnly.get(f.messageIndex) ?? [];
      list.push({ ...f, hunks: keep });
      quotedOnly.set(f.messageIndex, list);
    }
  }
  // A thread of replies without the patches: the quoted hunks apply in the order of the series
  // their replies name ("Re: [PATCH v5 3/3]"), not in the order the replies came.
  const noPatches = units.length === 0;
  for (const [messageIndex, files] of quotedOnly) {
    const m = read.messages[messageIndex];
    const tag = m?.tag;
    const series =
      tag?.index !== undefined && tag.total !== undefined && tag.index > 0
        ? { index: tag.index, total: tag.total, version: tag.version }
        : undefined;
    units.push({
      order: noPatches && series ? series.index + messageIndex / 10_000 : 3000 + messageIndex,
      subject: `(quoted in ${m?.headers.subject ?? 'a reply'})`,
      files,
      quoted: true,
      messageIndex,
      ...(series ? { series } : {}),
    });
  }
  units.sort((a, b) => a.order - b.order);
  return { units, quotes };
}
