/**
 * Which message replies to which: In-Reply-To, else the last known References entry; for mails
 * that carry neither (web-archive text), the earlier message whose own lines the reply quotes.
 * A headerless reply's author is taken from the attribution line of a later reply that quotes it.
 */
import type { ReadMessage } from './message';

const MIN_QUOTED = 12;

function normal(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function linkReplies(reads: ReadMessage[]): void {
  const byId = new Map<string, number>();
  for (const r of reads) {
    const id = r.message.headers.messageId;
    if (id && !byId.has(id)) byId.set(id, r.message.index);
  }
  let ownLines: Map<string, number>[] | undefined;
  for (const r of reads) {
    const m = r.message;
    const h = m.headers;
    if (h.inReplyTo !== undefined || h.references.length > 0) {
      let to = h.inReplyTo !== undefined ? byId.get(h.inReplyTo) : undefined;
      for (let k = h.references.length - 1; to === undefined && k >= 0; k--) to = byId.get(h.references[k]);
      if (to !== undefined && to !== m.index) m.replyTo = to;
      continue;
    }
    if (!r.headerless || m.quotes.length === 0 || m.index === 0) continue;
    ownLines ??= reads.map(ownLineIndex);
    const votes = new Map<number, number>();
    const { body, depth } = r;
    for (let i = 0; i < body.count; i++) {
      if (depth[i] !== 1) continue;
      const t = normal(body.text(i).replace(/^\s*>\s?/, ''));
      if (t.length < MIN_QUOTED) continue;
      for (let k = m.index - 1; k >= 0; k--) {
        if (ownLines[k].has(t)) {
          votes.set(k, (votes.get(k) ?? 0) + 1);
          break;
        }
      }
    }
    let best = -1;
    let bestVotes = 0;
    for (const [k, v] of votes)
      if (v > bestVotes || (v === bestVotes && k > best)) [best, bestVotes] = [k, v];
    if (best >= 0) m.replyTo = best;
  }
  for (const r of reads) {
    const m = r.message;
    const first = m.quotes.find((q) => q.author && q.depth === 1 && !q.outlook);
    if (m.replyTo === undefined || !first?.author) continue;
    const parent = reads[m.replyTo].message;
    if (!parent.author) parent.author = first.author;
  }
}

/** A message's own (unquoted) lines, normalised, for matching quotes against. */
function ownLineIndex(r: ReadMessage): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < r.body.count; i++) {
    if (r.depth[i] !== 0) continue;
    const t = normal(r.body.text(i));
    if (t.length >= MIN_QUOTED) out.set(t, i);
  }
  return out;
}
