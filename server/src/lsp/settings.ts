/**
 * The `vfioLens.*` settings the server reads per resource (workspace/configuration, section
 * "vfioLens"), their defaults, and their validation: a bad value is reported and replaced by the
 * default, never trusted.
 */
import {
  DEVICE_KIND_IDS,
  DEVICE_KIND_TABLE,
  KERNEL_TABLE,
  type DeviceKindId,
  type KernelId,
} from '../model/index';
import type { SeveritySetting } from '../analysis/severity';
import type { AnalyzeOptions } from '../analysis/types';

export type { SeveritySetting };

export interface VfioLensSettings {
  baseline: 'auto' | KernelId;
  devices: DeviceKindId[];
  severity: Record<string, SeveritySetting>;
  inlayHints: { enabled: boolean };
  maxDocumentSize: number;
  analysisBudgetMs: number;
}

export const DEFAULT_SETTINGS: VfioLensSettings = {
  baseline: 'auto',
  devices: [...DEVICE_KIND_IDS],
  severity: {},
  inlayHints: { enabled: true },
  maxDocumentSize: 4_194_304,
  analysisBudgetMs: 3000,
};

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns whatever the client sent into settings. Every value that is present but wrong is named in
 * `problems` ("vfioLens.baseline: unknown kernel "v9"; using auto") and replaced by its default.
 */
export function normalizeSettings(raw: unknown): { settings: VfioLensSettings; problems: string[] } {
  const problems: string[] = [];
  const s: VfioLensSettings = structuredClone(DEFAULT_SETTINGS);
  if (raw === undefined || raw === null) return { settings: s, problems };
  if (!isRecord(raw))
    return { settings: s, problems: ['vfioLens: settings must be an object; using defaults'] };

  if (raw.baseline !== undefined) {
    if (raw.baseline === 'auto' || KERNEL_TABLE.has(raw.baseline)) {
      s.baseline = raw.baseline as VfioLensSettings['baseline'];
    } else {
      problems.push(
        `vfioLens.baseline: unknown kernel ${JSON.stringify(raw.baseline)} (use "auto" or one of ${KERNEL_TABLE.list()}); using auto`,
      );
    }
  }
  if (raw.devices !== undefined) {
    if (Array.isArray(raw.devices)) {
      const unknown = raw.devices.filter((d) => !DEVICE_KIND_TABLE.has(d));
      if (unknown.length) {
        problems.push(
          `vfioLens.devices: unknown device kind(s) ${unknown.map((d) => JSON.stringify(d)).join(', ')} ignored (known: ${DEVICE_KIND_TABLE.list()})`,
        );
      }
      s.devices = raw.devices.filter((d): d is DeviceKindId => DEVICE_KIND_TABLE.has(d));
    } else {
      problems.push('vfioLens.devices: must be an array of device kind ids; using all');
    }
  }
  // Neovim encodes an empty Lua table, `severity = {}`, as the JSON list []: the same empty map.
  const emptyList = Array.isArray(raw.severity) && raw.severity.length === 0;
  if (raw.severity !== undefined && !emptyList) {
    if (isRecord(raw.severity)) {
      for (const [key, value] of Object.entries(raw.severity)) {
        if ((SEVERITIES as readonly unknown[]).includes(value)) s.severity[key] = value as SeveritySetting;
        else
          problems.push(
            `vfioLens.severity.${key}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(', ')}`,
          );
      }
    } else {
      problems.push('vfioLens.severity: must be an object of finding kind or code -> severity');
    }
  }
  const hints = raw.inlayHints;
  if (hints !== undefined) {
    if (isRecord(hints) && (hints.enabled === undefined || typeof hints.enabled === 'boolean')) {
      if (typeof hints.enabled === 'boolean') s.inlayHints.enabled = hints.enabled;
    } else {
      problems.push('vfioLens.inlayHints.enabled: must be true or false');
    }
  }
  const positive = (name: 'maxDocumentSize' | 'analysisBudgetMs') => {
    const v = raw[name];
    if (v === undefined) return;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) s[name] = Math.floor(v);
    else problems.push(`vfioLens.${name}: must be a positive number; using ${DEFAULT_SETTINGS[name]}`);
  };
  positive('maxDocumentSize');
  positive('analysisBudgetMs');
  return { settings: s, problems };
}

/**
 * The analysis options for one document under these settings. Severities are not among them:
 * the server applies them to the analysis it has (analysis/severity.ts).
 */
export function analyzeOptionsFor(
  file: string,
  settings: VfioLensSettings,
): Omit<AnalyzeOptions, 'isCancelled'> {
  return {
    file,
    baseline: settings.baseline === 'auto' ? undefined : settings.baseline,
    devices: settings.devices,
    budgetMs: settings.analysisBudgetMs,
  };
}

/** A stable key of what changes an analysis (the cache is per document version and this key). */
export function analysisKey(settings: VfioLensSettings): string {
  return JSON.stringify([
    settings.baseline,
    settings.devices,
    settings.analysisBudgetMs,
    settings.maxDocumentSize,
  ]);
}

/** A stable key of how an analysis is shown (a change re-publishes the analysis the server has). */
export function presentationKey(settings: VfioLensSettings): string {
  return JSON.stringify([settings.severity, settings.inlayHints]);
}
