/**
 * Review comments attached to the hunks they quote: for each reply that quotes a hunk, the
 * quote's place and the reviewer's own words after it become related information on the finding.
 */
import type { Range } from '../common/position';
import type { ReadResult } from '../mail/types';
import type { QuotedCopy } from './units';
import type { RelatedInfo } from './types';

function within(inner: Range, outer: Range): boolean {
  const a = inner.start.line;
  return a >= outer.start.line && a <= outer.end.line;
}

export function reviewRelated(read: ReadResult, copies: QuotedCopy[]): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  const seenMessages = new Set<number>();
  for (const c of copies) {
    const m = read.messages[c.messageIndex];
    const who = m?.author ?? m?.headers.from ?? 'a reviewer';
    out.push({ range: c.hunk.headerRange, message: `quoted by ${who}` });
    if (!m || seenMessages.has(c.messageIndex)) continue;
    seenMessages.add(c.messageIndex);
    // the reviewer's own text: the reply after the quote holding this hunk, else every reply in the mail
    const holding = m.quotes.find((q) => within(c.hunk.headerRange, q.range) && q.replyText);
    const replies = holding ? [holding] : m.quotes.filter((q) => q.replyText && q.replyText.trim());
    for (const q of replies.slice(0, 3)) {
      const text = (q.replyText ?? '').replace(/\s+/g, ' ').trim();
      if (!text || !q.replyRange) continue;
      out.push({
        range: q.replyRange,
        message: `${who}: ${text.length > 240 ? text.slice(0, 237) + '...' : text}`,
      });
    }
  }
  return out;
}
