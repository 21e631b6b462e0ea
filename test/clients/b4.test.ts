/**
 * b4's own check runner (b4.review.checks.run_perpatch_checks and run_series_checks from b4's
 * source, vendored in b4/vendor/ with its licence; b4's core from Debian's b4 package) runs
 * `vfio-lens analyze --format b4` as review-perpatch-check-cmd and review-series-check-cmd on a
 * series, once as a plain repository and once with the series' review branch and B4_TRACKING_FILE.
 * Every row must agree with itself: a `warn` or `fail` names in its summary each code its details
 * warn about, a `pass` has no warning in its details.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readShared, sharedMissing } from '../support/shared';
import { makeReviewRepo } from './b4/reviewBranch';
import { clientMissing, clientsDir, envWithCli, sampleSeries, tempDir } from './support';

const python = '/usr/bin/python3';
const driver = path.join(clientsDir, 'b4', 'run_checks.py');
const CHECK = 'vfio-lens analyze --format b4';

interface CheckResult {
  tool: string;
  status: string;
  summary: string;
  details: string;
}
interface Matrix {
  perpatch: { label: string; subject: string; results: CheckResult[] }[];
  series: { label: string; results: CheckResult[] } | null;
}

const missing = clientMissing("Debian's b4 (python3 -c 'import b4')", () => {
  const r = spawnSync(python, ['-c', 'import b4, requests'], { stdio: 'ignore' });
  return r.status === 0;
});

function runChecks(mbox: string, name: string, withTracking: boolean): Matrix {
  const root = tempDir(`b4-${name}`);
  const topdir = path.join(root, 'linux');
  fs.mkdirSync(topdir);
  const repo = makeReviewRepo(topdir, fs.readFileSync(mbox, 'utf8'), `20240101-${name}-v1`, {
    'b4.review-perpatch-check-cmd': CHECK,
    'b4.review-series-check-cmd': CHECK,
  });
  // b4 reads git config from HOME too: give it one of its own.
  const env = envWithCli({ HOME: root, XDG_DATA_HOME: path.join(root, 'data'), GIT_CONFIG_NOSYSTEM: '1' });
  const args = [driver, mbox, ...(withTracking ? [repo.trackingFile] : [])];
  const r = spawnSync(python, args, { cwd: topdir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `run_checks.py failed: ${r.stderr}`);
  fs.rmSync(root, { recursive: true, force: true });
  return JSON.parse(r.stdout) as Matrix;
}

/** The matrix as b4 shows it: label, tool, status, summary. */
function rows(m: Matrix): { label: string; r: CheckResult }[] {
  return [
    ...(m.series ? m.series.results.map((r) => ({ label: `${m.series!.label} (series)`, r })) : []),
    ...m.perpatch.flatMap((p) => p.results.map((r) => ({ label: p.label, r }))),
  ];
}

function printMatrix(title: string, m: Matrix): void {
  console.log(`b4 matrix, ${title}:`);
  for (const { label, r } of rows(m)) console.log(`  ${label.padEnd(12)} ${r.status.padEnd(4)} ${r.summary}`);
}

/** Codes of the details lines at warning or error ("N: warning: ... [code]"). */
function warnedCodes(details: string): string[] {
  return details
    .split('\n')
    .map((l) => /: (warning|error): .*\[([\w-]+)\]$/.exec(l)?.[2])
    .filter((c): c is string => c !== undefined);
}

function assertAgrees(label: string, r: CheckResult): void {
  assert.equal(r.tool, 'vfio-lens', `${label}: a result of another tool: ${JSON.stringify(r)}`);
  const codes = warnedCodes(r.details);
  if (r.status === 'pass') {
    assert.deepEqual(codes, [], `${label}: pass, but its details warn about ${codes.join(', ')}`);
    assert.doesNotMatch(r.summary, /\bwarns\b/, `${label}: pass with a summary that warns`);
  } else {
    assert.ok(codes.length > 0, `${label}: ${r.status} with no warning in its details: ${r.details}`);
    for (const c of codes)
      assert.ok(r.summary.includes(c), `${label}: ${r.status}, summary "${r.summary}" does not name ${c}`);
  }
}

const row = (m: Matrix, label: string) => m.perpatch.find((p) => p.label === label)!.results[0];

describe("b4's check runner on the sample series", { skip: missing }, () => {
  it('without the review branch: rows agree, patch k > 1 says what it expects from the earlier ones', () => {
    const m = runChecks(sampleSeries, 'sample', false);
    printMatrix('sample series, no review branch', m);
    for (const { label, r } of rows(m)) assertAgrees(label, r);
    assert.equal(m.perpatch.length, 3);
    const p2 = row(m, '2/3');
    assert.equal(p2.status, 'pass');
    assert.match(p2.summary, /expects no_command_memory from patch 1\/3/);
    assert.match(p2.details, /information: uses no_command_memory, .*expects patch 1\/3 to define it/);
    const p3 = row(m, '3/3');
    assert.equal(p3.status, 'warn');
    assert.match(p3.summary, /if no earlier patch sets no_command_memory/);
    assert.match(p3.summary, /expects no_command_memory from one of patches 1\/3-2\/3/);
    const cover = m.series!.results[0];
    assert.equal(cover.status, 'pass');
    assert.match(cover.summary, /cover letter of 3 patch\(es\), no diff: not analysed/);
  });

  it('with the review branch (B4_TRACKING_FILE): each patch is checked after the earlier ones', () => {
    const m = runChecks(sampleSeries, 'sample', true);
    printMatrix('sample series, review branch and B4_TRACKING_FILE', m);
    for (const { label, r } of rows(m)) assertAgrees(label, r);
    const p2 = row(m, '2/3');
    assert.equal(p2.status, 'pass');
    assert.doesNotMatch(p2.details, /bisect-marker-undefined/);
    assert.match(p2.details, /read patches 1-1 from b4\/review\//);
    // With patches 1 and 2 known, VFs carry no_command_memory: only the s390 VFs change, and the
    // restore lint left is pre-existing (the IO cases restore before the series as after it), so
    // it ranks below a warning (as when the whole mbox is analysed): the merged series passes.
    const p3 = row(m, '3/3');
    assert.equal(p3.status, 'pass');
    assert.deepEqual([...new Set(warnedCodes(p3.details))], []);
    assert.match(p3.details, /: s390-vf-detached: .*, also for s390-vf-noiov;/);
    assert.match(
      p3.details,
      /information: pre-existing, not changed by this patch: .*\[restore-on-unimplemented-enable\]$/m,
    );
    const series = m.series!.results[0];
    assert.match(series.summary, /^series of 3 patch\(es\) from b4\/review\/20240101-sample-v1: /);
    assert.doesNotMatch(series.summary, /warns: /);
    assert.match(series.details, /^3\/3: information: pre-existing.*\[restore-on-unimplemented-enable\]$/m);
  });
});

describe(
  "b4's check runner on a real series (corpus k05, PCI_DEV_FLAGS v4)",
  { skip: missing ?? sharedMissing() },
  () => {
    const file = 'k05_mse-bit-v4_series.mbox';
    for (const tracking of [false, true]) {
      it(`${tracking ? 'with' : 'without'} the review branch: every row agrees`, () => {
        const dir = tempDir('k05');
        const mbox = path.join(dir, file);
        fs.writeFileSync(mbox, readShared('corpus', 'real', file));
        const m = runChecks(mbox, 'k05', tracking);
        printMatrix(`${file}, ${tracking ? 'review branch' : 'no review branch'}`, m);
        for (const { label, r } of rows(m)) assertAgrees(label, r);
        assert.equal(m.perpatch.length, 3);
        fs.rmSync(dir, { recursive: true, force: true });
      });
    }
  },
);
