/**
 * `analyze --format b4` on the mails b4 hands a check one at a time (the sample series, split), and
 * on what can go wrong with B4_TRACKING_FILE: each bad input says what is wrong in the details and
 * the mail is checked alone. b4's own runner drives the same output in test/clients/b4.test.ts.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initAnalysis } from '../../../server/src/analysis/index';
import { toB4, type B4Result } from '../../../server/src/cli/b4';
import { readReviewSeries, splitFormatPatch } from '../../../server/src/cli/b4Review';
import { seriesMails } from '../../clients/b4/reviewBranch';
import { projectRoot } from '../../support/shared';

const mails = seriesMails(fs.readFileSync(path.join(projectRoot, 'samples', 'sample-series.mbox'), 'utf8'));
const mail = (k: number) => mails.find((m) => m.counter === k)!.text;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vfio-lens-b4-unit-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function check(k: number, env: Record<string, string> = {}, cwd = tmp): B4Result {
  const [r] = toB4([{ file: '<stdin>', text: mail(k) }], { env, cwd });
  return r;
}

/** Every code a details line warns about is named in the summary; a pass warns about nothing. */
function assertAgrees(r: B4Result): void {
  const warned = r.details
    .split('\n')
    .map((l) => /: (warning|error): .*\[([\w-]+)\]$/.exec(l)?.[2])
    .filter((c): c is string => !!c);
  if (r.status === 'pass') assert.deepEqual(warned, []);
  else for (const c of warned) assert.ok(r.summary.includes(c), `${r.summary} does not name ${c}`);
}

before(() => initAnalysis());

test('the cover letter alone is not analysed, and says so', () => {
  const r = check(0);
  assert.equal(r.status, 'pass');
  assert.match(r.summary, /^cover letter of 3 patch\(es\), no diff: not analysed/);
});

test('patch 2/3 alone: the marker it uses is expected from patch 1/3, as information', () => {
  const r = check(2);
  assertAgrees(r);
  assert.equal(r.status, 'pass');
  assert.match(r.summary, /; expects no_command_memory from patch 1\/3$/);
  assert.match(
    r.details,
    /^\d+: information: uses no_command_memory, which this patch does not define and v5\.8/m,
  );
});

test('patch 3/3 alone: every warned code is in the summary, behaviour read from the marker is conditional', () => {
  const r = check(3);
  assertAgrees(r);
  assert.equal(r.status, 'warn');
  assert.match(
    r.summary,
    /^warns: behaviour-change for vf, s390-vf-linked \(memory-enabled, init-force-memory\) if no earlier patch sets no_command_memory; 2 more decision/,
  );
  assert.match(r.summary, /expects no_command_memory from one of patches 1\/3-2\/3$/);
});

test('patch 1/3 is checked as it is: nothing before it to expect', () => {
  const r = check(1);
  assertAgrees(r);
  assert.doesNotMatch(r.summary, /expects/);
});

test('B4_TRACKING_FILE that cannot be used: the reason in the details, the mail checked alone', () => {
  const write = (name: string, data: unknown) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data));
    return f;
  };
  const cases: [string, string, RegExp][] = [
    ['missing', path.join(tmp, 'nope.json'), /cannot be read as JSON/],
    ['not JSON', write('bad.json', '{ "series": '), /cannot be read as JSON/],
    [
      'option as change-id',
      write('opt.json', { series: { 'change-id': '--upload-pack=x', 'first-patch-commit': 'abcdef1' } }),
      /names no change-id/,
    ],
    [
      'no commit',
      write('nocommit.json', { series: { 'change-id': '20240101-x-v1', 'first-patch-commit': 'HEAD;rm' } }),
      /names no first-patch-commit/,
    ],
  ];
  for (const [what, file, why] of cases) {
    const r = check(2, { B4_TRACKING_FILE: file });
    assert.match(r.details, /^information: B4_TRACKING_FILE: .*; checked this mail alone$/m, what);
    assert.match(r.details, why, what);
    assert.match(r.summary, /expects no_command_memory from patch 1\/3/, what);
  }
});

test('a tracking file whose review branch is not in the repository names the branch', () => {
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(repo);
  execFileSync('git', ['init', '-q', repo]);
  const file = path.join(tmp, 'tracking.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ series: { 'change-id': '20240101-gone-v1', 'first-patch-commit': 'abcdef1' } }),
  );
  const read = readReviewSeries(file, repo);
  assert.ok('error' in read);
  assert.match(read.error, /^the review branch b4\/review\/20240101-gone-v1 cannot be read \(git log: /);
  assert.match(check(3, { B4_TRACKING_FILE: file }, repo).details, /B4_TRACKING_FILE: the review branch/);
});

test('splitFormatPatch splits at the From lines git format-patch writes, and nowhere else', () => {
  const sha = 'a'.repeat(40);
  const text = [
    `From ${sha} Mon Sep 17 00:00:00 2001`,
    'Subject: one',
    '',
    'From the body',
    `From ${sha} Mon Sep 17 00:00:00 2001`,
    'Subject: two',
    '',
  ].join('\n');
  const parts = splitFormatPatch(text);
  assert.equal(parts.length, 2);
  assert.match(parts[0], /From the body/);
  assert.match(parts[1], /Subject: two/);
  assert.deepEqual(splitFormatPatch('no mail here'), []);
});
