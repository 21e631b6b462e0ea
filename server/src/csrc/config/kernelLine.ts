/**
 * The kernel line a patch mail targets, from what the mail says: a stable or AUTOSEL subject
 * ("[PATCH 4.9 58/71]", "[PATCH AUTOSEL 5.6 184/606]"), a backport's "[ Upstream commit <id> ]"
 * or "commit <id> upstream." line (the tree is older than the version that commit is first in,
 * when the model dates it), and "base-commit: <id>" (the tree has that commit). The subject
 * decides when it names a line; the result says which evidence decided and lists the rest.
 */
import { VARIANT_CHANGES } from '../../model/vfio/config';
import { parseSubject } from '../../mail/subject';

export interface KernelLineReading {
  /** The line the mail names ("5.4", "6.13"). */
  line?: string;
  /** The tree is older than this variant: the patch backports the commit that makes it. */
  before?: string;
  /** The tree has this variant's commit (base-commit names it). */
  atLeast?: string;
  decidedBy: 'subject' | 'upstream-commit' | 'base-commit' | 'none';
  evidence: string[];
}

const LINE_TOKEN = /^v?(\d+\.\d+)(?:\.\d+|\.y)?(?:-rc\d+)?$/;
const UPSTREAM =
  /^\s*\[\s*Upstream commit ([0-9a-f]{7,40})\s*\]\s*$|^\s*commit ([0-9a-f]{12,40}) upstream\.?\s*$/i;
const BASE = /^\s*base-commit:\s*([0-9a-f]{7,40})\s*$/i;
/** Lines of a body read for these markers (they sit near the top or at the end). */
const MAX_LINES = 20000;

/** Commit id prefix (12 hex digits) -> the variant whose change it is. */
const DATED: ReadonlyMap<string, string> = new Map(
  Object.entries(VARIANT_CHANGES).flatMap(([variant, changes]) =>
    changes.flatMap((c) => (c.commit.match(/\b[0-9a-f]{12}\b/g) ?? []).map((id) => [id, variant] as const)),
  ),
);

const dated = (id: string) => DATED.get(id.slice(0, 12).toLowerCase());

export function kernelLineFromMail(subject: string | undefined, body: string): KernelLineReading {
  const evidence: string[] = [];
  const tag = parseSubject(subject).tag;
  const token = tag?.prefix.split(/\s+/).find((t) => LINE_TOKEN.test(t));
  const line = token ? LINE_TOKEN.exec(token)![1] : undefined;
  if (line) evidence.push(`subject tag [${tag!.prefix}]: kernel line ${line}`);
  let before: string | undefined;
  let atLeast: string | undefined;
  const lines = body.split('\n');
  for (let i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
    const up = UPSTREAM.exec(lines[i]);
    if (up) {
      const id = (up[1] ?? up[2]).toLowerCase();
      const v = dated(id);
      evidence.push(
        v
          ? `backport of ${id.slice(0, 12)}, the change that makes ${v}: the tree is older`
          : `backport of ${id.slice(0, 12)} (a commit the model does not date)`,
      );
      before ??= v;
      continue;
    }
    const base = BASE.exec(lines[i]);
    if (base) {
      const id = base[1].toLowerCase();
      const v = dated(id);
      evidence.push(
        v
          ? `base-commit ${id.slice(0, 12)} is ${v}'s change: the tree has it`
          : `base-commit ${id.slice(0, 12)} (a commit the model does not date)`,
      );
      atLeast ??= v;
    }
  }
  if (lines.length > MAX_LINES)
    evidence.push(`only the first ${MAX_LINES} lines of the body were read for upstream and base commits`);
  const decidedBy = line ? 'subject' : before ? 'upstream-commit' : atLeast ? 'base-commit' : 'none';
  return { line, before, atLeast, decidedBy, evidence };
}
