/**
 * Microsoft's SARIF validator (`sarif-multitool validate`, the pinned devDependency
 * @microsoft/sarif-multitool) on `vfio-lens analyze --format sarif` of a series and of a C file:
 * no error and no warning, with the default rules and with every rule kind and level the tool
 * offers for a log made outside a pipeline (SARIF, GitHub, GitHub Advanced Security; error,
 * warning, note; the GHAzDO kind asks for Azure DevOps build ids that only a pipeline run has).
 * The notes left are printed. Then what a reviewer's viewer needs: ruleId and rule for every result, rules with
 * help and full descriptions for every finding code, related locations, the tool's version.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { FINDING_CODES } from '../../server/src/cli/findingCodes';
import { cliPath, clientsDir, projectRoot, sampleSeries, tempDir } from './support';

// The package resolves to the platform's self-contained validator binary.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multitool = require('@microsoft/sarif-multitool') as string;
const cFile = path.join(clientsDir, 'fixtures', 'command-memory.c');
const ALL_RULES = ['--rule-kind', 'Sarif;Gh;Ghas', '--level', 'Error;Warning;Note'];

interface SarifLog {
  runs: {
    tool: { driver: Record<string, unknown> & { rules: Record<string, unknown>[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    artifacts?: { location?: { uri: string; uriBaseId?: string } }[];
    results: (Record<string, unknown> & {
      ruleId: string;
      ruleIndex: number;
      level?: string;
      relatedLocations?: unknown[];
      locations: { physicalLocation: { artifactLocation: { uri?: string; uriBaseId?: string } } }[];
    })[];
  }[];
}

/** `file` "-" reads `input` from standard input. */
function sarifOf(file: string, cwd = projectRoot, input?: string): { log: SarifLog; path: string } {
  const text = execFileSync(process.execPath, [cliPath, 'analyze', '--format', 'sarif', file], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const out = path.join(tempDir('sarif'), `${file === '-' ? 'stdin' : path.basename(file)}.sarif`);
  fs.writeFileSync(out, text);
  return { log: JSON.parse(text) as SarifLog, path: out };
}

interface Notification {
  level?: string;
  descriptor?: { id?: string };
  associatedRule?: { id?: string };
}
interface Invocation {
  executionSuccessful?: boolean;
  toolExecutionNotifications?: Notification[];
  toolConfigurationNotifications?: Notification[];
}

/** The validator's results and notifications by level ("error", "warning", "note"), as rule ids. */
function validate(sarif: string, extra: string[] = []): Record<string, string[]> {
  const out = `${sarif}.validation.sarif`;
  const r = spawnSync(multitool, ['validate', sarif, '-o', out, '--log', 'ForceOverwrite', ...extra], {
    encoding: 'utf8',
  });
  assert.ok(fs.existsSync(out), `sarif-multitool wrote no log (exit ${r.status}): ${r.stdout}${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(out, 'utf8')) as SarifLog & {
    runs: { invocations?: Invocation[] }[];
  };
  const byLevel: Record<string, string[]> = { error: [], warning: [], note: [] };
  for (const res of log.runs[0].results ?? []) (byLevel[res.level ?? 'warning'] ??= []).push(res.ruleId);
  // The validator's own trouble (a check that threw, a bad option) is a notification, not a result.
  for (const inv of log.runs[0].invocations ?? []) {
    for (const n of [
      ...(inv.toolExecutionNotifications ?? []),
      ...(inv.toolConfigurationNotifications ?? []),
    ])
      (byLevel[n.level ?? 'warning'] ??= []).push(
        `${n.descriptor?.id ?? '?'} (${n.associatedRule?.id ?? 'tool'})`,
      );
    if (inv.executionSuccessful === false) byLevel.error.push('executionSuccessful: false');
  }
  return byLevel;
}

function summary(ids: string[]): string {
  const n = new Map<string, number>();
  for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
  return [...n].map(([id, k]) => `${id} x${k}`).join(', ') || 'none';
}

const inputs = [
  { what: 'the sample series', file: path.relative(projectRoot, sampleSeries) },
  { what: 'a C file', file: path.relative(projectRoot, cFile) },
];

describe('sarif-multitool validate on analyze --format sarif', () => {
  for (const { what, file } of inputs) {
    it(`${what}: no error and no warning, default rules and every rule kind and level`, () => {
      const { log, path: p } = sarifOf(file);
      assert.ok(log.runs[0].results.length > 0, `${file}: no results to validate`);
      for (const [label, extra] of [
        ['default', []],
        ['all rule kinds and levels', ALL_RULES],
      ] as const) {
        const v = validate(p, [...extra]);
        console.log(
          `${file} (${label}): errors ${v.error.length}, warnings ${v.warning.length}, notes: ${summary(v.note)}`,
        );
        assert.deepEqual(v.error, [], `${file} (${label}): errors ${summary(v.error)}`);
        assert.deepEqual(v.warning, [], `${file} (${label}): warnings ${summary(v.warning)}`);
      }
    });
  }

  it('a file outside the working directory gets a file:// URI, and validates', () => {
    const elsewhere = tempDir('cwd');
    const { log, path: p } = sarifOf(sampleSeries, elsewhere);
    const loc = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.equal(loc.uri, pathToFileURL(sampleSeries).href);
    assert.equal(loc.uriBaseId, undefined);
    assert.deepEqual(validate(p).error, []);
    assert.deepEqual(validate(p, ALL_RULES).warning, []);
  });

  it('standard input: an artifact without a location, valid for the SARIF rules (GitHub needs a file)', () => {
    const { log, path: p } = sarifOf('-', projectRoot, fs.readFileSync(sampleSeries, 'utf8'));
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, undefined);
    for (const extra of [[], ['--rule-kind', 'Sarif', '--level', 'Error;Warning;Note']]) {
      const v = validate(p, extra);
      assert.deepEqual(
        [...v.error, ...v.warning],
        [],
        `stdin ${extra.join(' ')}: ${summary([...v.error, ...v.warning])}`,
      );
    }
  });

  it('carries ruleId, a rule per finding code with help and full description, related locations, the version', () => {
    const { log } = sarifOf(path.relative(projectRoot, sampleSeries));
    const run = log.runs[0];
    const rules = run.tool.driver.rules;
    for (const code of Object.keys(FINDING_CODES)) {
      const rule = rules.find((r) => r.id === code) as Record<string, { text?: string }> | undefined;
      assert.ok(rule, `no rule for ${code}`);
      assert.ok(
        rule.fullDescription?.text && rule.shortDescription?.text && rule.help?.text,
        `${code}: descriptions`,
      );
      assert.match(String(rule.helpUri), /^https:\/\//);
      assert.match(String(rule.name), /^[A-Z][A-Za-z]+$/);
    }
    for (const r of run.results) {
      assert.equal(rules[r.ruleIndex].id, r.ruleId);
      const loc = r.locations[0].physicalLocation.artifactLocation;
      assert.equal(loc.uri, 'samples/sample-series.mbox');
      assert.equal(loc.uriBaseId, 'SRCROOT');
    }
    assert.equal(run.originalUriBaseIds?.SRCROOT.uri, pathToFileURL(projectRoot).href + '/');
    assert.ok(
      run.results.some((r) => (r.relatedLocations ?? []).length > 0),
      'no result has related locations',
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const cliVersion = execFileSync(process.execPath, [cliPath, '--version'], { encoding: 'utf8' }).trim();
    assert.equal(run.tool.driver.version, pkg.version);
    assert.equal(cliVersion, `vfio-lens ${pkg.version}`);
  });

  it("README's table of finding codes names every rule", () => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Finding codes'));
    for (const code of Object.keys(FINDING_CODES))
      assert.ok(table.includes(`| \`${code}\``), `README: ${code}`);
  });
});
