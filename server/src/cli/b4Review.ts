/**
 * The series a b4 check runs in, read from b4's review branch. `b4 review` keeps a series as the
 * branch `b4/review/<change-id>`: the base, the patches from `first-patch-commit` on, and a tracking
 * commit at the tip; its checks export that tracking data as JSON in `B4_TRACKING_FILE` and run in
 * the repository's top level. Nothing from the tracking file reaches a shell: git gets each value
 * as one argument, after it is checked against the shape b4 writes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface ReviewSeries {
  branch: string;
  /** One `git format-patch` mail per patch commit, in series order. */
  mails: string[];
  /** The commit subjects, in the same order. */
  subjects: string[];
}

const MAX_TRACKING_BYTES = 4 << 20;
const MAX_GIT_OUTPUT = 64 << 20;
const GIT_TIMEOUT_MS = 60_000;
/** What b4 writes: a change-id such as `20231106-vfio-memory-v1-abcdef` and full or short commit ids. */
const CHANGE_ID = /^[A-Za-z0-9][A-Za-z0-9._+@-]{0,200}$/;
const COMMIT = /^[0-9a-f]{7,64}$/;
/** The separator line `git format-patch --stdout` writes before each mail. */
const FORMAT_PATCH_FROM = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;

function git(cwd: string, args: string[]): { ok: true; out: string } | { ok: false; error: string } {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: MAX_GIT_OUTPUT,
    timeout: GIT_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) return { ok: false, error: `git ${args[0]}: ${r.error.message}` };
  if (r.status !== 0) {
    const why = (r.stderr || '').trim().split('\n')[0] || `exit ${r.status ?? r.signal}`;
    return { ok: false, error: `git ${args[0]}: ${why}` };
  }
  return { ok: true, out: r.stdout };
}

/** Splits `git format-patch --stdout` output into its mails (each with its `From <sha>` line). */
export function splitFormatPatch(text: string): string[] {
  const mails: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (FORMAT_PATCH_FROM.test(line)) {
      if (current) mails.push(current.join('\n'));
      current = [line];
    } else current?.push(line);
  }
  if (current) mails.push(current.join('\n'));
  return mails;
}

/**
 * The series of the review branch that `trackingFile` describes, or why it cannot be read: a missing
 * or malformed file, a change-id or commit of an unexpected shape, a branch that is not there.
 */
export function readReviewSeries(trackingFile: string, cwd: string): ReviewSeries | { error: string } {
  let tracking: unknown;
  try {
    const stat = fs.statSync(trackingFile);
    if (stat.size > MAX_TRACKING_BYTES)
      return { error: `${trackingFile} is ${stat.size} bytes, more than a tracking file holds` };
    tracking = JSON.parse(fs.readFileSync(trackingFile, 'utf8'));
  } catch (e) {
    return { error: `${trackingFile} cannot be read as JSON (${(e as Error).message})` };
  }
  const series = (tracking as { series?: Record<string, unknown> } | null)?.series;
  const changeId = series?.['change-id'];
  const first = series?.['first-patch-commit'];
  if (typeof changeId !== 'string' || !CHANGE_ID.test(changeId))
    return { error: `${trackingFile} names no change-id of the shape b4 writes` };
  if (typeof first !== 'string' || !COMMIT.test(first))
    return { error: `${trackingFile} names no first-patch-commit (a commit id)` };
  const branch = `b4/review/${changeId}`;
  const range = `${first}~1..refs/heads/${branch}~1`;
  const log = git(cwd, ['log', '--reverse', '--format=%s', range, '--']);
  if (!log.ok) return { error: `the review branch ${branch} cannot be read (${log.error})` };
  const subjects = log.out.split('\n').filter((s) => s !== '');
  const patches = git(cwd, ['format-patch', '--stdout', '--no-signature', '--numbered', range, '--']);
  if (!patches.ok) return { error: `the review branch ${branch} cannot be read (${patches.error})` };
  const mails = splitFormatPatch(patches.out);
  if (mails.length !== subjects.length || mails.length === 0)
    return {
      error: `the review branch ${branch} gave ${mails.length} patch mail(s) for ${subjects.length} commit(s)`,
    };
  return { branch, mails, subjects };
}
