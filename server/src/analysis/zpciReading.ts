/**
 * The zPCI part of a document: the hunks of the files the zPCI reader covers (QEMU's
 * hw/s390x/s390-pci-*.c and their headers, the kernel's vfio_pci_zdev.c, pci_mmio.c and
 * vfio_zdev.h) read by csrc/zpci patch by patch, the series applied in order on the baseline its
 * pre-images show (recogniseZpciSeries), and every change's place turned back into document
 * ranges. Built once per document (context.ts); the zPCI producers read it.
 */
import type { Range } from '../common/position';
import { functionFromHeading } from '../csrc/functions';
import {
  fileKind,
  recogniseZpciChanges,
  recogniseZpciSeries,
  type ImageLine,
  type ZpciChange,
  type ZpciHunkImages,
  type ZpciReading,
} from '../csrc/zpci';
import type { FileDiff, Hunk, HunkLine } from '../diff/types';
import type { ReadResult } from '../mail/types';
import type { AnalysisUnit } from './units';

/** One hunk the zPCI reader was given, with the document lines of each of its images. */
export interface ZpciHunkRecord {
  file: FileDiff;
  hunk: Hunk;
  pre: HunkLine[];
  post: HunkLine[];
}

export interface ZpciUnitReading {
  unit: AnalysisUnit;
  /** Index = a change's `place.hunk`. */
  hunks: ZpciHunkRecord[];
  reading: ZpciReading;
}

export interface ZpciDocumentReading {
  /** The units with zPCI hunks, in series order (quoted-only units after, each read alone). */
  units: ZpciUnitReading[];
  /** The QEMU version the series applies to (when the document has QEMU zPCI hunks). */
  qemu?: { id: string; detectedFrom: string };
  /** The host kernel (when it has kernel zPCI hunks). */
  host?: { id: string; detectedFrom: string };
}

function images(file: FileDiff, hunk: Hunk): { images: ZpciHunkImages; record: ZpciHunkRecord } {
  const pre: ImageLine[] = [];
  const post: ImageLine[] = [];
  const record: ZpciHunkRecord = { file, hunk, pre: [], post: [] };
  for (const l of hunk.lines) {
    if (l.kind === 'no-newline') continue;
    const changed = l.kind !== 'context';
    if (l.kind !== 'added') {
      pre.push({ text: l.text, changed, ...(l.oldLine !== undefined ? { line: l.oldLine } : {}) });
      record.pre.push(l);
    }
    if (l.kind !== 'removed') {
      post.push({ text: l.text, changed, ...(l.newLine !== undefined ? { line: l.newLine } : {}) });
      record.post.push(l);
    }
  }
  const fn = functionFromHeading(hunk.heading);
  return {
    images: {
      file: file.path,
      ...(fn ? { function: fn } : {}),
      ...(hunk.heading ? { heading: hunk.heading } : {}),
      pre,
      post,
    },
    record,
  };
}

/** A unit's hunks in the files the zPCI reader covers, as images (and their document lines). */
function unitHunks(unit: AnalysisUnit): { images: ZpciHunkImages[]; records: ZpciHunkRecord[] } {
  const out = { images: [] as ZpciHunkImages[], records: [] as ZpciHunkRecord[] };
  for (const file of unit.files) {
    if (fileKind(file.path) === 'outside') continue;
    for (const hunk of file.hunks) {
      const x = images(file, hunk);
      out.images.push(x.images);
      out.records.push(x.record);
    }
  }
  return out;
}

const evidenceText = (e: string[]) => e.join('; ');

export function readZpciDocument(units: readonly AnalysisUnit[], read: ReadResult): ZpciDocumentReading {
  const series: { unit: AnalysisUnit; images: ZpciHunkImages[]; records: ZpciHunkRecord[] }[] = [];
  const quoted: typeof series = [];
  for (const unit of units) {
    const h = unitHunks(unit);
    if (!h.images.length) continue;
    (unit.quoted ? quoted : series).push({ unit, ...h });
  }
  const out: ZpciDocumentReading = { units: [] };
  if (!series.length && !quoted.length) return out;
  const dateOf = (u: AnalysisUnit) => read.messages[u.messageIndex]?.headers.date;
  const readings = series.length
    ? recogniseZpciSeries(
        series.map((s) => {
          const date = dateOf(s.unit);
          return { hunks: s.images, ...(date ? { date } : {}) };
        }),
      ).patches
    : [];
  series.forEach((s, i) => out.units.push({ unit: s.unit, hunks: s.records, reading: readings[i] }));
  for (const q of quoted) {
    const date = dateOf(q.unit);
    out.units.push({
      unit: q.unit,
      hunks: q.records,
      reading: recogniseZpciChanges(q.images, date ? { date } : {}),
    });
  }
  const first = out.units[0].reading;
  const kinds = new Set(out.units.flatMap((u) => u.hunks.map((h) => fileKind(h.file.path))));
  if (kinds.has('qemu-c') || kinds.has('qemu-header'))
    out.qemu = { id: first.baseline.id, detectedFrom: evidenceText(first.baseline.evidence) };
  const withHost = out.units.find((u) => u.reading.host);
  if (
    withHost?.reading.host &&
    (kinds.has('kernel-zdev') || kinds.has('kernel-mmio') || kinds.has('kernel-uapi'))
  )
    out.host = {
      id: withHost.reading.host.baseline.id,
      detectedFrom: evidenceText(withHost.reading.host.baseline.evidence),
    };
  return out;
}

/** The document range of a change: its first changed post-image line, else pre-image, else the hunk. */
export function changeRange(u: ZpciUnitReading, c: ZpciChange): Range {
  const h = u.hunks[c.place.hunk];
  if (!h) return u.unit.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const pick = (lines: HunkLine[], indices: number[]) => {
    const valid = indices.filter((i) => lines[i]);
    const i = valid.find((k) => lines[k].kind !== 'context') ?? valid[0];
    return i === undefined ? undefined : lines[i].range;
  };
  return pick(h.post, c.place.postLines) ?? pick(h.pre, c.place.preLines) ?? h.hunk.headerRange;
}
