/**
 * RFC 2822 header blocks: unfolding, RFC 2047 encoded words (libmime), message ids, and the
 * display name of an address ("Bjorn Helgaas" from "Bjorn Helgaas <[email protected]>").
 */
import libmime from 'libmime';
import type { MailHeaders } from './types';
import type { DocumentText } from './lines';

/** A header name as RFC 2822 allows it: printable ASCII without the colon. */
const HEADER_LINE = /^([!-9;-~]+):[ \t]?(.*)$/;

export interface HeaderBlock {
  /** Lower-cased name -> unfolded raw values, in order. */
  fields: Map<string, string[]>;
  /** First line after the block (the blank separator line, or the first body line). */
  end: number;
  /** True if the block ended on a blank line, as RFC 2822 wants. */
  blankSeparated: boolean;
}

export function isHeaderLine(line: string): boolean {
  return HEADER_LINE.test(line);
}

/** Reads the header block starting at line `start`; stops at a blank line or a non-header line. */
export function readHeaderBlock(doc: DocumentText, start: number, end: number): HeaderBlock {
  const fields = new Map<string, string[]>();
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = fields.get(name);
    if (list) list.push(value);
    else fields.set(name, [value]);
    name = undefined;
  };
  let i = start;
  for (; i < end; i++) {
    const line = doc.line(i);
    if (line.trim() === '') {
      flush();
      return { fields, end: i, blankSeparated: true };
    }
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && name !== undefined) {
      value += ' ' + line.trim();
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (!m) break;
    flush();
    name = m[1].toLowerCase();
    value = m[2].trim();
  }
  flush();
  return { fields, end: i, blankSeparated: false };
}

export function field(block: HeaderBlock, name: string): string | undefined {
  return block.fields.get(name)?.[0];
}

export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

const MESSAGE_ID = /<([^<>\s]+)>/g;

export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of value.matchAll(MESSAGE_ID)) out.push(m[1]);
  if (out.length === 0 && value.trim() && !/\s/.test(value.trim())) out.push(value.trim());
  return out;
}

export function mailHeaders(block: HeaderBlock): MailHeaders {
  const subject = field(block, 'subject');
  const from = field(block, 'from');
  return {
    from: from === undefined ? undefined : decodeWords(from),
    subject: subject === undefined ? undefined : decodeWords(subject),
    date: field(block, 'date'),
    messageId: messageIds(field(block, 'message-id'))[0],
    inReplyTo: messageIds(field(block, 'in-reply-to'))[0],
    references: messageIds((block.fields.get('references') ?? []).join(' ')),
    contentType: field(block, 'content-type'),
  };
}

/**
 * The display name of a From: value or of an attribution's name part. Handles "Name <addr>",
 * "\"Last, First\" <addr>", "addr (Name)", Outlook's "x On Behalf Of Name", a bare address
 * (its local part) and the archives' "[email protected]" / "xxx@xxxxxxxxxx" obfuscation.
 */
export function displayName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let v = decodeWords(value).trim();
  const behalf = /\bOn Behalf Of\s+(.+)$/i.exec(v);
  if (behalf) v = behalf[1].trim();
  const paren = /^\S+@\S+\s+\((.+)\)$/.exec(v);
  if (paren) return paren[1].trim();
  const angle = v.indexOf('<');
  if (angle > 0) v = v.slice(0, angle).trim();
  else if (angle === 0) v = v.replace(/^<|>.*$/g, '');
  v = v.replace(/^"(.*)"$/, '$1').trim();
  if (/^\S+@\S+$/.test(v)) {
    const local = v.slice(0, v.indexOf('@'));
    return local && !/^x+$/.test(local) ? local : undefined;
  }
  if (v === '' || /\[email\s+protected\]/i.test(v)) return undefined;
  return v;
}
