/** The settings package.json contributes have the server's defaults, and the manifest's contracts hold. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES } from '../../../server/src/analysis/index';
import { FINDING_KINDS } from '../../../server/src/analysis/types';
import { DEFAULT_SETTINGS } from '../../../server/src/lsp/settings';
import { DEVICE_KIND_IDS, KERNEL_IDS } from '../../../server/src/model/index';
import { projectRoot } from '../../support/shared';

interface Manifest {
  activationEvents: string[];
  capabilities: Record<string, unknown>;
  contributes: {
    commands: { command: string; title: string }[];
    configuration: {
      properties: Record<
        string,
        {
          default: unknown;
          enum?: unknown[];
          items?: { enum: unknown[] };
          propertyNames?: { enum: unknown[] };
        }
      >;
    };
    languages: { id: string; extensions: string[] }[];
  };
}
const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as Manifest;
const props = manifest.contributes.configuration.properties;

test('contributed setting defaults are the server defaults', () => {
  assert.equal(props['vfioLens.baseline'].default, DEFAULT_SETTINGS.baseline);
  assert.deepEqual(props['vfioLens.baseline'].enum, ['auto', ...KERNEL_IDS]);
  assert.deepEqual(props['vfioLens.devices'].default, DEFAULT_SETTINGS.devices);
  assert.deepEqual(props['vfioLens.devices'].items?.enum, [...DEVICE_KIND_IDS]);
  assert.deepEqual(props['vfioLens.severity'].default, DEFAULT_SETTINGS.severity);
  // the manifest cannot be generated at run time: it must name every finding code and kind there is
  assert.deepEqual(
    [...(props['vfioLens.severity'].propertyNames?.enum ?? [])].sort(),
    [...new Set([...FINDING_CODES, ...FINDING_KINDS])].sort(),
  );
  assert.equal(props['vfioLens.inlayHints.enabled'].default, DEFAULT_SETTINGS.inlayHints.enabled);
  assert.equal(props['vfioLens.maxDocumentSize'].default, DEFAULT_SETTINGS.maxDocumentSize);
  assert.equal(props['vfioLens.analysisBudgetMs'].default, DEFAULT_SETTINGS.analysisBudgetMs);
  assert.equal(props['vfioLens.trace.server'].default, 'off');
});

test('commands, activation and capabilities as agreed', () => {
  const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
  assert.deepEqual(titles, {
    'vfioLens.simulate': 'vfio-lens: Simulate scenario…',
    'vfioLens.compare': 'vfio-lens: Compare kernels…',
    'vfioLens.showMatrix': 'vfio-lens: Show behaviour matrix',
    'vfioLens.explain': 'vfio-lens: Explain decision at cursor',
    'vfioLens.copySummary': 'vfio-lens: Copy behaviour summary as reply',
    'vfioLens.openAsPatchMail': 'vfio-lens: Open as Patch mail',
    'vfioLens.restartServer': 'vfio-lens: Restart server',
    'vfioLens.showOutput': 'vfio-lens: Show output',
  });
  assert.ok(!manifest.activationEvents.includes('*'));
  for (const lang of ['diff', 'patch-mail', 'plaintext', 'c']) {
    assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
  }
  // at startup only in a folder that holds patches or mail: the server starts while the editor
  // comes up, so the first patch opened there finds it running
  assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
  for (const ext of ['patch', 'diff', 'mbox', 'eml']) {
    assert.ok(manifest.activationEvents.includes(`workspaceContains:**/*.${ext}`), ext);
  }
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
  const mail = manifest.contributes.languages.find((l) => l.id === 'patch-mail');
  assert.deepEqual(mail?.extensions, ['.mbox', '.eml']);
  // patch mail and diffs are kernel C: tabs of 8, never re-detected from the quoted text
  const defaults = (
    manifest.contributes as { configurationDefaults?: Record<string, Record<string, unknown>> }
  ).configurationDefaults;
  for (const lang of ['[patch-mail]', '[diff]']) {
    assert.equal(defaults?.[lang]?.['editor.tabSize'], 8, lang);
    assert.equal(defaults?.[lang]?.['editor.detectIndentation'], false, lang);
  }
});
