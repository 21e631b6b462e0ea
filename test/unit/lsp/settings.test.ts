/** The vfioLens.* settings: defaults, validation with a message per bad value, and what they change. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SETTINGS,
  analysisKey,
  analyzeOptionsFor,
  normalizeSettings,
} from '../../../server/src/lsp/settings';
import { applySeverities, severityUnder } from '../../../server/src/analysis/severity';
import type { Finding } from '../../../server/src/analysis/types';

test('defaults are the documented ones', () => {
  assert.deepEqual(normalizeSettings(undefined).settings, {
    baseline: 'auto',
    devices: [
      'pf',
      'pf-no-io',
      'vf',
      's390-vf-linked',
      's390-vf-detached',
      's390-vf-noiov',
      'guest-vf',
      'pf-pcie',
      'vf-pcie',
      'cap-id-zero',
      'dvsec',
      'ecap-unknown-first',
      'no-irq',
      'irq-notconnected',
      'platform-rom',
      'conventional',
    ],
    severity: {},
    inlayHints: { enabled: true },
    maxDocumentSize: 4194304,
    analysisBudgetMs: 3000,
  });
});

test('bad values are named and replaced by defaults; good ones are kept', () => {
  const { settings, problems } = normalizeSettings({
    baseline: 'v9.9',
    devices: ['vf', 'toaster'],
    severity: { 'behaviour-change': 'off', lint: 'loud' },
    inlayHints: { enabled: 'yes' },
    maxDocumentSize: -1,
    analysisBudgetMs: 500,
  });
  assert.equal(settings.baseline, 'auto');
  assert.deepEqual(settings.devices, ['vf']);
  assert.deepEqual(settings.severity, { 'behaviour-change': 'off' });
  assert.equal(settings.inlayHints.enabled, true);
  assert.equal(settings.maxDocumentSize, DEFAULT_SETTINGS.maxDocumentSize);
  assert.equal(settings.analysisBudgetMs, 500);
  assert.equal(problems.length, 5);
  assert.match(problems.join('\n'), /vfioLens\.baseline: unknown kernel "v9\.9"/);
  assert.match(problems.join('\n'), /"toaster"/);
  assert.match(problems.join('\n'), /vfioLens\.severity\.lint: "loud"/);
  assert.deepEqual(normalizeSettings('nonsense').problems, [
    'vfioLens: settings must be an object; using defaults',
  ]);
});

test('analysis options and cache key follow the settings; severities are not among them', () => {
  const s = normalizeSettings({ baseline: 'v5.8', severity: { lint: 'hint', 'marker-set': 'off' } }).settings;
  const o = analyzeOptionsFor('file:///a.patch', s);
  assert.equal(o.baseline, 'v5.8');
  assert.equal('severity' in o, false, 'the analysis never applies severities');
  assert.equal(o.budgetMs, 3000);
  assert.notEqual(analysisKey(s), analysisKey(DEFAULT_SETTINGS));
  const bigger = { ...DEFAULT_SETTINGS, maxDocumentSize: 10 };
  assert.notEqual(analysisKey(bigger), analysisKey(DEFAULT_SETTINGS));
  const quieter = { ...DEFAULT_SETTINGS, severity: { 'behaviour-change': 'off' as const } };
  assert.equal(analysisKey(quieter), analysisKey(DEFAULT_SETTINGS), 'a severity change re-uses the analysis');
});

test("an empty list for severity is Neovim's empty Lua table: an empty map, no problem", () => {
  const { settings, problems } = normalizeSettings({ severity: [] });
  assert.deepEqual(settings.severity, {});
  assert.deepEqual(problems, []);
  assert.match(
    normalizeSettings({ severity: ['hint'] }).problems.join('\n'),
    /vfioLens\.severity: must be an object/,
  );
});

test('severity by code wins over severity by kind; "off" leaves a finding out', () => {
  const f = { code: 'dev-flags-bit-collision', kind: 'lint', severity: 'warning' } as Finding;
  const s = normalizeSettings({ severity: { lint: 'hint' } }).settings;
  assert.equal(severityUnder(f, s.severity), 'hint');
  s.severity['dev-flags-bit-collision'] = 'error';
  assert.equal(severityUnder(f, s.severity), 'error');
  assert.equal(severityUnder(f, DEFAULT_SETTINGS.severity), 'warning');
  const g = { code: 'marker-set', kind: 'marker-set', severity: 'information' } as Finding;
  assert.deepEqual(
    applySeverities([f, g], { lint: 'hint', 'marker-set': 'off' }).map((x) => [x.code, x.severity]),
    [['dev-flags-bit-collision', 'hint']],
  );
  assert.equal(applySeverities([f], {})[0], f, 'a finding no override touches is the same object');
});
