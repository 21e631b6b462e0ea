/**
 * A git repository laid out as `b4 review` leaves it (b4/review/_review.py, create_review_branch):
 * the branch `b4/review/<change-id>` holds a base commit, the series' patches applied with `git am`,
 * and an empty tracking commit at the tip whose message is the cover text, b4's marker line and the
 * tracking JSON. b4's check runner dumps that JSON to a file and names it in B4_TRACKING_FILE.
 * The base holds, per file, the pre-image lines of the hunks that touch it, each after the hunk
 * header's function line and three blank lines (so `git format-patch` gives the function back in
 * the hunk header): enough for the patches to apply, not the kernel.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SeriesMail {
  text: string;
  subject: string;
  /** k of [PATCH k/n]; 0 for the cover letter. */
  counter: number;
}

export interface ReviewRepo {
  topdir: string;
  changeId: string;
  branch: string;
  trackingFile: string;
}

/** Mails of an mbox (split at `From ` lines), each with its subject and counter. */
export function seriesMails(mbox: string): SeriesMail[] {
  const mails: string[] = [];
  let current: string[] | undefined;
  for (const line of mbox.split('\n')) {
    if (line.startsWith('From ') && (current === undefined || current[current.length - 1] === '')) {
      if (current) mails.push(current.join('\n'));
      current = [line];
    } else current?.push(line);
  }
  if (current) mails.push(current.join('\n'));
  return mails.map((text) => {
    const subject = /^Subject: (.*(?:\n[ \t].*)*)/m.exec(text)?.[1].replace(/\n[ \t]+/g, ' ') ?? '';
    const m = /\[[^\]]*?(\d+)\/(\d+)\]/.exec(subject);
    return { text, subject, counter: m && !/^re:/i.test(subject) ? Number(m[1]) : -1 };
  });
}

/** Pre-image of every file a patch mail changes: per hunk, the function line and the old lines. */
function preImages(mail: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const lines = mail.split('\n');
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const old = l.slice(4).split('\t')[0];
      file = old === '/dev/null' ? undefined : old.replace(/^a\//, '');
      if (file && !files.has(file)) files.set(file, []);
      i++;
      continue;
    }
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@ ?(.*)$/.exec(l);
    if (!h || !file) continue;
    let oldLeft = h[1] === undefined ? 1 : Number(h[1]);
    let newLeft = h[2] === undefined ? 1 : Number(h[2]);
    const out = files.get(file)!;
    // Three blank lines keep the function line out of the context, so git puts it in the header.
    if (h[3]) out.push(h[3], '', '', '');
    while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
      const b = lines[++i];
      const tag = b[0] ?? ' ';
      if (tag === '\\') continue;
      if (tag === ' ' || tag === '-') {
        out.push(b.slice(1));
        oldLeft--;
      }
      if (tag === ' ' || tag === '+') newLeft--;
    }
  }
  return files;
}

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Rita Reviewer', '-c', 'user.email=rita@example.org', ...args],
    {
      cwd,
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/** Builds the review branch for the series in `mbox` under `dir`; checks run there with `commands`. */
export function makeReviewRepo(
  dir: string,
  mbox: string,
  changeId: string,
  commands: Record<string, string>,
): ReviewRepo {
  const mails = seriesMails(mbox);
  const patches = mails.filter((m) => m.counter > 0).sort((a, b) => a.counter - b.counter);
  const cover = mails.find((m) => m.counter === 0);
  git(dir, ['init', '-q', '-b', 'master']);
  for (const [key, value] of Object.entries(commands)) git(dir, ['config', key, value]);
  const base = new Map<string, string[]>();
  for (const p of patches) for (const [f, pre] of preImages(p.text)) if (!base.has(f)) base.set(f, pre);
  for (const [f, pre] of base) {
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), pre.join('\n') + '\n');
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base: the pre-images of the series']);
  const baseCommit = git(dir, ['rev-parse', 'HEAD']).trim();
  const branch = `b4/review/${changeId}`;
  git(dir, ['checkout', '-q', '-b', branch]);
  for (const p of patches)
    git(dir, ['am', '-q', '--keep-cr'], p.text.endsWith('\n') ? p.text : p.text + '\n');
  const first = git(dir, ['rev-list', '--reverse', `${baseCommit}..HEAD`]).split('\n')[0];
  const tracking = {
    series: {
      identifier: 'vfio-lens-tests',
      status: 'reviewing',
      revision: 1,
      'change-id': changeId,
      subject: cover?.subject ?? patches[0]?.subject ?? '',
      expected: patches.length,
      complete: true,
      'base-commit': baseCommit,
      'prerequisite-commits': [],
      'first-patch-commit': first,
    },
    followups: [],
    patches: patches.map((p) => ({ title: p.subject })),
  };
  const magic =
    '--- b4-review-tracking ---\n# This section is used internally by b4 review for tracking purposes.\n';
  git(
    dir,
    ['commit', '-q', '--allow-empty', '-F', '-'],
    `${cover?.subject ?? 'series'}\n\n${magic}${JSON.stringify(tracking, null, 2)}\n`,
  );
  git(dir, ['checkout', '-q', 'master']);
  const trackingFile = path.join(dir, '..', `${changeId}.tracking.json`);
  fs.writeFileSync(trackingFile, JSON.stringify(tracking, null, 2));
  return { topdir: dir, changeId, branch, trackingFile };
}
