/**
 * Review comments attached to the hunks they quote: for each reply that quotes a hunk, the
 * quote's place and the reviewer's own words after it become related information on the finding.
 */
import type { Range } from '../common/position';
import type { Message, ReadResult } from '../mail/types';
import type { QuotedCopy } from './units';
import type { RelatedInfo } from './types';

function within(inner: Range, outer: Range): boolean {
  const a = inner.start.line;
  return a >= outer.start.line && a <= outer.end.line;
}

/** The message holding a line: by the diff's own index, else by where it sits in the document. */
function messageAt(read: ReadResult, index: number, line: number): Message | undefined {
  if (index >= 0 && read.messages[index]) return read.messages[index];
  return read.messages.find((m) => m.range.start.line <= line && line <= m.range.end.line);
}

/**
 * Who wrote a reply: From:/attribution as the reader found it, else the name the reviewer signs
 * with (a short last line such as "Alex" or "Thanks,\nBjorn"), expanded to a full name another
 * message of the thread gives.
 */
function authorOf(read: ReadResult, m: Message): string | undefined {
  if (m.author) return m.author;
  if (m.headers.from)
    return m.headers.from.replace(/\s*<[^>]*>\s*$/, '').replace(/^"|"$/g, '') || m.headers.from;
  const own = m.quotes.map((q) => q.replyText ?? '').join('\n');
  const lines = own
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  const sig = /^(?:thanks,?\s*)?([A-Z][a-z]+)\.?$/.exec(last) ?? /^thanks,\s*([A-Z][a-z]+)$/i.exec(last);
  if (!sig) return undefined;
  const first = sig[1];
  const full = read.messages
    .flatMap((o) => [o.author, ...o.quotes.map((q) => q.author)])
    .find((n): n is string => !!n && n.split(/\s+/)[0] === first && n.includes(' '));
  return full ?? first;
}

export function reviewRelated(read: ReadResult, copies: QuotedCopy[]): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  const seenMessages = new Set<number>();
  for (const c of copies) {
    const m = messageAt(read, c.messageIndex, c.hunk.headerRange.start.line);
    const who = (m && authorOf(read, m)) ?? 'a reviewer';
    out.push({ range: c.hunk.headerRange, message: `quoted by ${who}`, kind: 'quote' });
    if (!m || seenMessages.has(m.index)) continue;
    seenMessages.add(m.index);
    // the reviewer's own text: the reply after the quote holding this hunk, else every reply in the mail
    const holding = m.quotes.find((q) => within(c.hunk.headerRange, q.range) && q.replyText);
    const replies = holding ? [holding] : m.quotes.filter((q) => q.replyText && q.replyText.trim());
    for (const q of replies.slice(0, 3)) {
      const text = (q.replyText ?? '').replace(/\s+/g, ' ').trim();
      if (!text || !q.replyRange) continue;
      out.push({
        range: q.replyRange,
        message: `${who}: ${text.length > 240 ? text.slice(0, 237) + '...' : text}`,
        kind: 'review',
      });
    }
  }
  return out;
}
