/**
 * Reading corpus patches for the config-space C reader: the diff layer's hunks turned into the
 * image lines the reader takes, per patch mail; compiled variants; the config model's comparison
 * of two variants on a device kind; and the check that every changed line ends in a change.
 */
import * as fs from 'node:fs';
import { readDocument } from '../../../../server/src/mail';
import type { Hunk } from '../../../../server/src/diff/types';
import { functionFromHeading } from '../../../../server/src/csrc/functions';
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { explorePair } from '../../../../server/src/model/core/explore';
import {
  DEVICE_KIND_IDS,
  deviceKind,
  policySystem,
  visibleObservation,
} from '../../../../server/src/model/index';
import {
  CONFIG_VARIANTS,
  compileConfigVariant,
  configAlphabet,
  type CfgObservation,
  type CompiledVariant,
  type ConfigVariantSpec,
} from '../../../../server/src/model/vfio/config';
import type { ConfigPatchReading, HunkImages, ImageLine } from '../../../../server/src/csrc/config';
import { sharedPath } from '../../../support/shared';

let all: CompiledVariant[] | undefined;

export async function ready(): Promise<void> {
  await initCParser();
  all ??= CONFIG_VARIANTS.map((v) => compileConfigVariant(v, parseCExpression));
}

/** One hunk as its two images (what the analysis producer will hand the reader). */
export function imagesOf(hunk: Hunk, file: string): HunkImages {
  const pre: ImageLine[] = [];
  const post: ImageLine[] = [];
  for (const l of hunk.lines) {
    if (l.kind === 'no-newline') continue;
    if (l.kind !== 'added') pre.push({ text: l.text, changed: l.kind === 'removed' });
    if (l.kind !== 'removed') post.push({ text: l.text, changed: l.kind === 'added' });
  }
  return { file, heading: hunk.heading, functionName: functionFromHeading(hunk.heading), pre, post };
}

export interface CorpusPatch {
  subject: string;
  body: string;
  hunks: HunkImages[];
}

/** The corpus file whose name starts with `prefix`. */
export function corpusFile(prefix: string): string {
  const dir = sharedPath('corpus', 'real');
  const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no corpus file ${prefix}*`);
  return sharedPath('corpus', 'real', name);
}

/** The patches of a corpus file: one per mail that carries diffs (quoted ones when no mail has its own). */
export function corpusPatches(prefix: string): CorpusPatch[] {
  const text = fs.readFileSync(corpusFile(prefix), 'utf8');
  const doc = readDocument(text);
  const own = doc.files.some((f) => f.quoteDepth === 0);
  const byMessage = new Map<number, HunkImages[]>();
  for (const f of doc.files) {
    if (own && f.quoteDepth > 0) continue;
    const list = byMessage.get(f.messageIndex) ?? [];
    for (const h of f.hunks) list.push(imagesOf(h, f.path));
    byMessage.set(f.messageIndex, list);
  }
  return [...byMessage.entries()].map(([i, hunks]) => {
    const m = doc.messages[i];
    const body = m
      ? text
          .split('\n')
          .slice(m.bodyRange.start.line, m.bodyRange.end.line + 1)
          .join('\n')
      : text;
    return { subject: m?.headers.subject ?? '', body, hunks };
  });
}

export function compile(spec: ConfigVariantSpec): CompiledVariant {
  return compileConfigVariant(spec, parseCExpression);
}

/** Every device kind of the one model. */
export const KIND_IDS = DEVICE_KIND_IDS;

const NO_CONFIG: Omit<CfgObservation, 'step'> = {
  outcome: 'ok',
  hardware: [],
  dropped: [],
  effects: [],
  chunks: [],
  notes: [],
};

/** The model's comparison of two config rows on one device kind (depth 2: open and one step), config parts. */
export function compareOn(a: ConfigVariantSpec, b: ConfigVariantSpec, kindId: string, depth = 2) {
  const kind = deviceKind(kindId);
  const ca = compile(a);
  const cb = compile(b);
  const specs = [...(all ?? []), ca, cb].map((c) => c.spec.config);
  return explorePair(policySystem(ca, kind), policySystem(cb, kind), {
    depth,
    alphabet: configAlphabet(kind, specs),
    observe: visibleObservation,
  }).differences.map((d) => ({
    ...d,
    before: d.before.config ?? { ...NO_CONFIG, step: d.before.action },
    after: d.after.config ?? { ...NO_CONFIG, step: d.after.action },
  }));
}

/** Changed image lines that no change names (must be none: silence is never an answer). */
export function unaccounted(reading: ConfigPatchReading): string[] {
  const out: string[] = [];
  reading.hunks.forEach((h, hunk) => {
    for (const side of ['pre', 'post'] as const) {
      h[side].forEach((l, i) => {
        if (!l.changed) return;
        const named = reading.changes.some((c) =>
          c.places.some((p) => p.hunk === hunk && p.side === side && p.lines.includes(i)),
        );
        if (!named) out.push(`hunk ${hunk} ${side} line ${i}: ${l.text.trim()}`);
      });
    }
  });
  return out;
}
