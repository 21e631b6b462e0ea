/**
 * Shared by the zPCI C reader tests: the hunks of a corpus file (read by the project's own mail
 * and diff reader) as the images the reader takes, per patch of a series or commit of a log.
 */
import assert from 'node:assert/strict';
import type { ZpciChange, ZpciChangeKind, ZpciReading } from '../../../../server/src/csrc/zpci/types';
import { recogniseZpciChanges, type RecogniseOptions } from '../../../../server/src/csrc/zpci/recognise';
import { readDocument } from '../../../../server/src/mail';
import type { FileDiff, Hunk } from '../../../../server/src/diff';
import { functionFromHeading } from '../../../../server/src/csrc/functions';
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import type { ImageLine, ZpciHunkImages } from '../../../../server/src/csrc/zpci/types';
import { readShared } from '../../../support/shared';

export async function ready(): Promise<void> {
  await initCParser();
}

function side(h: Hunk, which: 'pre' | 'post'): ImageLine[] {
  const out: ImageLine[] = [];
  for (const l of h.lines) {
    if (l.kind === 'no-newline') continue;
    if (which === 'pre' && l.kind === 'added') continue;
    if (which === 'post' && l.kind === 'removed') continue;
    const line = which === 'pre' ? l.oldLine : l.newLine;
    out.push({ text: l.text, changed: l.kind !== 'context', ...(line !== undefined ? { line } : {}) });
  }
  return out;
}

/** A file diff's hunks as images. */
export function hunkImages(f: FileDiff): ZpciHunkImages[] {
  return f.hunks.map((h) => {
    const fn = functionFromHeading(h.heading);
    return {
      file: f.path,
      ...(fn ? { function: fn } : {}),
      ...(h.heading ? { heading: h.heading } : {}),
      pre: side(h, 'pre'),
      post: side(h, 'post'),
    };
  });
}

export interface CorpusPatch {
  /** The message's subject (a commit's first line in git log -p), for test names. */
  subject: string;
  date?: string;
  hunks: ZpciHunkImages[];
}

/** Every patch (mail or commit) of a ../shared corpus file, each with its hunks as images. */
export function corpusPatches(name: string, dir = ['corpus', 'real']): CorpusPatch[] {
  const text = readShared(...dir, name);
  const doc = readDocument(text);
  const byMessage = new Map<number, FileDiff[]>();
  for (const f of doc.files) {
    if (f.quoteDepth > 0) continue;
    const list = byMessage.get(f.messageIndex) ?? [];
    list.push(f);
    byMessage.set(f.messageIndex, list);
  }
  return [...byMessage.entries()].map(([i, files]) => {
    const m = i >= 0 ? doc.messages[i] : undefined;
    const date = m?.headers.date;
    return {
      subject: m?.title ?? '',
      ...(date ? { date } : {}),
      hunks: files.flatMap(hunkImages),
    };
  });
}

/** The reading of one patch of a corpus file (the one whose subject contains `subject`, else the only one). */
export function readCorpus(name: string, subject?: string, options: RecogniseOptions = {}): ZpciReading {
  const patches = corpusPatches(name).filter((p) => p.hunks.length);
  const p = subject ? patches.find((x) => x.subject.includes(subject)) : patches[0];
  assert.ok(p, `${name}: no patch ${subject ?? ''}`);
  if (!subject) assert.equal(patches.length, 1, `${name} holds ${patches.length} patches: name one`);
  return recogniseZpciChanges(p.hunks, { ...(p.date ? { date: p.date } : {}), ...options });
}

/** The change with this key (and kind), failing with the keys there are. */
export function changeOf(r: ZpciReading, key: string, kind?: ZpciChangeKind): ZpciChange {
  const c = r.changes.find((x) => x.key === key && (!kind || x.change === kind));
  assert.ok(
    c,
    `no ${kind ?? ''} change ${key}; have: ${r.changes.map((x) => `${x.change} ${x.key}`).join(' | ')}`,
  );
  return c;
}

/** "kind key" of every change that edits the model (for exact comparisons). */
export function modelChanges(r: ZpciReading): string[] {
  return r.changes.filter((c) => c.edits.length || c.hostEdits?.length).map((c) => `${c.change} ${c.key}`);
}

export function notModelled(r: ZpciReading): string[] {
  return [...new Set(r.changes.filter((c) => c.change === 'not-modelled').map((c) => c.key))].sort();
}
