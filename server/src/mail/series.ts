/**
 * The patches of a document: one per patch mail (or commit, or headerless patch section), the
 * cover letter (0/N, git's "*** SUBJECT HERE ***" template, or the only mail of a series without
 * a diff that carries a diffstat) with its diffstat, and, for a web-archive page that shows
 * patches without their subjects, subjects inferred from the cover letter's shortlog.
 */
import type { Range } from '../common/position';
import type { Patch } from './types';
import type { ReadMessage } from './message';
import { lineRange } from './message';

const DIFFSTAT_LINE = /^\s*(\S.*?)\s+\|\s+(\d+)(?:\s+[+-]*)?\s*$|^\s*(\S.*?)\s+\|\s+Bin\b/;
const DIFFSTAT_SUMMARY = /\b(\d+) files? changed\b/;
/** "Matthew Rosato (3):" heading git shortlog's list of titles. */
const SHORTLOG_HEAD = /^\s*([^\s(][^(]{0,80}?) \((\d+)\):\s*$/;
const FLAT_DIFFSTAT = /(?:^|\s)((?:\.\.\.)?[\w./+-]+) \| +(\d+) [+-]*(?=\s|$)/g;
const FLAT_SHORTLOG = /[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)* \((\d+)\): /;
const VERSION_HINT = /\b(?:changes|changelog)\s+(?:from|since|in)\s+v(\d+)\b|\bv(\d+)\s*(?:->|→)\s*v(\d+)\b/i;

interface CoverFacts {
  diffstat: { path: string; changes: number; range: Range }[];
  shortlog: string[];
  shortlogCount?: number;
  versionHint?: number;
}

export function buildPatches(reads: ReadMessage[], headerless: boolean): Patch[] {
  const patches: Patch[] = [];
  const cover = new Map<number, CoverFacts>();
  for (const read of reads) {
    const m = read.message;
    const own = m.files.filter((f) => f.quoteDepth === 0);
    const subject = m.headers.subject ?? '';
    const template = subject.includes('*** SUBJECT HERE ***');
    const facts = own.length === 0 && !m.isReply ? coverFacts(read) : undefined;
    const isCover =
      !m.isReply &&
      own.length === 0 &&
      (m.tag?.index === 0 || template || (facts !== undefined && facts.diffstat.length > 0));
    if (!isCover && own.length === 0 && (m.isReply || !m.tag)) continue;
    if (isCover && facts) cover.set(patches.length, facts);
    const tagged = m.tag && !m.isReply;
    patches.push({
      messageIndex: m.index,
      subject,
      title: m.title,
      version: m.tag?.version ?? 1,
      index: tagged ? (m.tag?.index ?? (isCover ? 0 : undefined)) : undefined,
      // a cover letter without N/M still says how many patches: "Name (N):" above its shortlog
      total: tagged ? (m.tag?.total ?? (isCover ? facts?.shortlogCount : undefined)) : undefined,
      isCover,
      range: m.range,
      files: own,
      diffstat: isCover ? (facts?.diffstat ?? []) : undefined,
      template: template || undefined,
    });
  }
  if (headerless) inferFromCover(patches, cover);
  return patches;
}

function coverFacts(read: ReadMessage): CoverFacts {
  const { body, depth } = read;
  const facts: CoverFacts = { diffstat: [], shortlog: [] };
  for (let i = 0; i < body.count; i++) {
    if (depth[i] !== 0) continue;
    const t = body.text(i);
    if (!facts.versionHint) {
      const v = VERSION_HINT.exec(t);
      if (v) facts.versionHint = v[1] ? Number(v[1]) + 1 : Number(v[3]);
    }
    if (t.length > 400) {
      readFlattened(read, i, facts);
      continue;
    }
    const head = SHORTLOG_HEAD.exec(t);
    if (head && facts.shortlogCount === undefined) {
      facts.shortlogCount = Number(head[2]);
      for (let j = i + 1; j < body.count && facts.shortlog.length < facts.shortlogCount; j++) {
        const title = body.text(j).trim();
        if (!title || DIFFSTAT_LINE.test(title)) break;
        facts.shortlog.push(title);
      }
      continue;
    }
    const d = DIFFSTAT_LINE.exec(t);
    if (d && !t.includes('||')) {
      facts.diffstat.push({
        path: (d[1] ?? d[3]).trim(),
        changes: d[2] === undefined ? 0 : Number(d[2]),
        range: lineRange(body, i, i),
      });
    }
  }
  const summary = facts.diffstat.length > 0 || hasSummary(read);
  if (!summary) facts.diffstat = [];
  return facts;
}

function hasSummary(read: ReadMessage): boolean {
  for (let i = 0; i < read.body.count; i++) if (DIFFSTAT_SUMMARY.test(read.body.text(i))) return true;
  return false;
}

/** A cover letter flattened onto one line (web archives): its diffstat entries and shortlog count. */
function readFlattened(read: ReadMessage, i: number, facts: CoverFacts): void {
  const t = read.body.text(i);
  if (!DIFFSTAT_SUMMARY.test(t)) return;
  for (const m of t.matchAll(FLAT_DIFFSTAT)) {
    const at = (m.index ?? 0) + m[0].length - m[0].trimStart().length;
    facts.diffstat.push({
      path: m[1],
      changes: Number(m[2]),
      range: { start: read.body.position(i, at), end: read.body.position(i, (m.index ?? 0) + m[0].length) },
    });
  }
  const s = FLAT_SHORTLOG.exec(t);
  if (s && facts.shortlogCount === undefined) facts.shortlogCount = Number(s[1]);
}

/**
 * INFERENCE, not read from the text: a web-archive page (seed 002) shows the cover letter and
 * then the patches without their subject lines, in any order. Each patch gets the shortlog title
 * whose subsystem prefix ("vfio/pci", "s390/pci", "PCI/IOV") best matches the paths it touches,
 * its index is that title's place in the shortlog, the total the shortlog's count, and the
 * version one more than the cover's "Changes from vN". `Patch.inferred` says so.
 */
function inferFromCover(patches: Patch[], covers: Map<number, CoverFacts>): void {
  for (const [at, facts] of covers) {
    const cover = patches[at];
    const version = cover.version === 1 && facts.versionHint ? facts.versionHint : cover.version;
    if (version !== cover.version) {
      cover.version = version;
      cover.inferred = `version from the cover letter's changelog (v${version - 1} -> v${version})`;
    }
    const total = facts.shortlogCount;
    if (total !== undefined && cover.total === undefined) cover.total = total;
    if (cover.index === undefined) cover.index = 0;
    const untagged = patches.filter((p, k) => k > at && !p.isCover && !p.subject);
    if (untagged.length === 0 || facts.shortlog.length === 0) continue;
    const score = untagged.map((p) => facts.shortlog.map((title) => prefixScore(title, p)));
    const taken = new Set<number>();
    const assigned = new Set<number>();
    // greedy on the best remaining pair: titles and patches are matched one to one
    for (;;) {
      let best = 0;
      let bp = -1;
      let bt = -1;
      for (let p = 0; p < untagged.length; p++) {
        if (assigned.has(p)) continue;
        for (let t = 0; t < facts.shortlog.length; t++) {
          if (!taken.has(t) && score[p][t] > best) [best, bp, bt] = [score[p][t], p, t];
        }
      }
      if (bp < 0) break;
      assigned.add(bp);
      taken.add(bt);
      const patch = untagged[bp];
      const title = facts.shortlog[bt];
      patch.subject = patch.title = title;
      patch.index = bt + 1;
      patch.total = total ?? facts.shortlog.length;
      patch.version = version;
      patch.inferred = `subject from the cover letter's shortlog: "${title.slice(0, title.indexOf(':'))}" matches the paths`;
    }
  }
}

/** How well a title's subsystem prefix ("PCI/IOV") matches the paths a patch touches. */
function prefixScore(title: string, patch: Patch): number {
  const colon = title.indexOf(':');
  if (colon <= 0) return 0;
  const words = title
    .slice(0, colon)
    .toLowerCase()
    .split(/[/\s]+/)
    .filter(Boolean);
  let best = 0;
  for (const f of patch.files) {
    const parts = f.path.toLowerCase().split('/');
    const stems = new Set(parts.map((p) => p.replace(/\.[a-z]+$/, '')));
    let s = 0;
    for (const w of words) if (stems.has(w)) s += 2;
    // a bare file name that starts with the word ("pci_bus.c" for "pci") counts a little
    for (const w of words) if (!stems.has(w) && parts.some((p) => p.startsWith(w))) s += 1;
    best = Math.max(best, s);
  }
  return best;
}
