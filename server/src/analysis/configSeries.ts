/**
 * The config-space reading of a document: each unit's hunks read by csrc/config (readConfigPatch),
 * the baseline variant its pre-images and the mail's kernel line give (detectConfigBaseline,
 * kernelLineFromMail), and the series applied in order (applyConfigChanges: each unit's after is
 * the next one's before). Built once per document in context.ts; configFindings.ts compares it.
 */
import {
  applyConfigChanges,
  detectConfigBaseline,
  kernelLineFromMail,
  readConfigPatch,
  type ConfigBaseline,
  type ConfigChange,
  type ConfigPatchReading,
  type HunkImages,
} from '../csrc/config/index';
import { BoundedCache } from '../model/index';
import { configVariant, type ConfigVariantSpec } from '../model/vfio/config/index';
import type { ReadResult } from '../mail/types';
import type { HunkRecord } from './applySeries';
import { readByConfig } from './scope';
import type { AnalysisUnit } from './units';

/** One unit's config-space reading, and the variant before and after it. */
export interface ConfigUnitEffect {
  unit: AnalysisUnit;
  /** The unit's hunk records, in the order the reading indexes them (hunk i is records[i]). */
  records: HunkRecord[];
  reading: ConfigPatchReading;
  before: ConfigVariantSpec;
  after: ConfigVariantSpec;
  /** The config-space changes applied (the Command-register ones are the behaviour producer's). */
  applied: ConfigChange[];
  refused: { change: ConfigChange; reason: string }[];
}

function images(r: HunkRecord): HunkImages {
  const side = (img: HunkRecord['facts']['pre']['image']) =>
    img.map((l) => ({ text: l.text, changed: l.changed }));
  return {
    file: r.file.path,
    functionName: r.facts.functionName,
    heading: r.hunk.heading,
    pre: side(r.facts.pre.image),
    post: side(r.facts.post.image),
  };
}

/** The body text of the message a unit comes from (for the kernel line it names). */
function bodyOf(read: ReadResult, text: string, unit: AnalysisUnit): string {
  const m = read.messages[unit.messageIndex];
  if (!m) return '';
  return text
    .split('\n')
    .slice(m.bodyRange.start.line, m.bodyRange.end.line + 1)
    .join('\n');
}

const isCommandChange = (c: ConfigChange) => c.edits.some((e) => e.kind === 'command');

/** Readings by the hunks' content: a document opened again, or edited in another patch, is not read again. */
const readingCache = new BoundedCache<string, ConfigPatchReading>(256);

/** A unit's config reading (never changed after it is made), remembered by its hunks' text; one the budget cut is not remembered. */
function cachedReading(hunks: HunkImages[], stop: () => boolean): ConfigPatchReading {
  if (hunks.length === 0) return readConfigPatch(hunks);
  const key = JSON.stringify(hunks);
  let reading = readingCache.get(key);
  if (!reading) {
    reading = readConfigPatch(hunks, stop);
    if (reading.cutAt === undefined) readingCache.set(key, reading);
  }
  return reading;
}

export interface ConfigReadings {
  units: { unit: AnalysisUnit; records: HunkRecord[]; reading: ConfigPatchReading }[];
  /** The first hunk the budget left unread (a record of it), when it cut a reading. */
  cut?: HunkRecord;
  /** The variant the first unit with config-space facts matches, with the kernel line its mail names. */
  detected: ConfigBaseline;
}

/** Reads every unit's hunks, and detects the baseline from the first unit with config-space facts. */
export function readConfigUnits(
  read: ReadResult,
  text: string,
  units: readonly AnalysisUnit[],
  records: readonly HunkRecord[],
  stop: () => boolean = () => false,
): ConfigReadings {
  // only hunks of the places the config reader reads (scope.ts rows marked config): the zPCI files
  // are the zPCI producers', the markers' files the marker producers', the rest counted as outside
  const byUnit = new Map<AnalysisUnit, HunkRecord[]>();
  for (const r of records) {
    if (!readByConfig(r.file.path, r.facts.functionName)) continue;
    const own = byUnit.get(r.unit);
    if (own) own.push(r);
    else byUnit.set(r.unit, [r]);
  }
  const readings = units.map((unit) => {
    const own = byUnit.get(unit) ?? [];
    return { unit, records: own, reading: cachedReading(own.map(images), stop) };
  });
  const informative = readings.find((r) => r.reading.sides.some((s) => s.facts.length > 0)) ?? readings[0];
  const line = informative
    ? kernelLineFromMail(informative.unit.subject, bodyOf(read, text, informative.unit))
    : undefined;
  const detected = detectConfigBaseline(
    informative?.reading ?? { hunks: [], sides: [], changes: [] },
    line && line.decidedBy !== 'none' ? line : undefined,
  );
  const cutReading = readings.find((r) => r.reading.cutAt !== undefined);
  const cut = cutReading ? cutReading.records[cutReading.reading.cutAt!] : undefined;
  return { units: readings, detected, ...(cut ? { cut } : {}) };
}

/** The units applied in order from the baseline variant: each unit's after is the next one's before. */
export function applyConfigSeries(readings: ConfigReadings, baseline: string): ConfigUnitEffect[] {
  let current = configVariant(baseline) ?? configVariant(readings.detected.variant)!;
  return readings.units.map(({ unit, records, reading }) => {
    const before = current;
    const changes = reading.changes.filter((c) => !isCommandChange(c));
    const applied = changes.some((c) => c.kind === 'model')
      ? applyConfigChanges(before, changes, { id: before.id, label: before.label })
      : { variant: before, applied: [], refused: [] };
    current = applied.variant;
    return {
      unit,
      records,
      reading,
      before,
      after: current,
      applied: applied.applied,
      refused: applied.refused,
    };
  });
}
