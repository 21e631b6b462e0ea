/**
 * RFC 2822 header blocks: unfolding, RFC 2047 encoded words (libmime), message ids, and the
 * display name of an address ("Bjorn Helgaas" from "Bjorn Helgaas <[email protected]>").
 */
import libmime from 'libmime';
import type { MailHeaders } from './types';
import type { DocumentText } from './documentText';
import type { DocumentMemo } from './memo';

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

/** The fields the reader uses; others are recognised as header lines but not kept. */
const KEPT = new Set([
  'from',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'content-type',
  'content-transfer-encoding',
  'author',
  'to',
]);

const KEPT_LENGTHS = new Set([...KEPT].map((k) => k.length));

/**
 * Reads the header block starting at line `start`; stops at a blank line or a non-header line.
 * Only the fields in KEPT are unfolded and stored (mail headers are mostly Received/DKIM noise).
 */
export function readHeaderBlock(doc: DocumentText, start: number, end: number): HeaderBlock {
  const fields = new Map<string, string[]>();
  const text = doc.text;
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = fields.get(name);
    if (list) list.push(value);
    else fields.set(name, [value]);
    name = undefined;
  };
  let other = false; // inside a field we do not keep
  let i = start;
  for (; i < end; i++) {
    const s = doc.starts[i];
    const e = doc.ends[i];
    const c = text.charCodeAt(s);
    if (c === 32 || c === 9) {
      if (isBlank(text, s, e)) {
        flush();
        return { fields, end: i, blankSeparated: true };
      }
      if (name !== undefined) value += ' ' + trimmedSlice(text, s, e);
      else if (!other) break;
      continue;
    }
    if (s === e) {
      flush();
      return { fields, end: i, blankSeparated: true };
    }
    // a header name: printable ASCII without the colon, then the colon (matched in place)
    HEADER_NAME.lastIndex = s;
    if (!HEADER_NAME.test(text)) break;
    const colon = HEADER_NAME.lastIndex - 1;
    if (colon >= e) break;
    flush();
    // most fields are Received/DKIM/X- noise: their name's length already rules them out
    const kept = KEPT_LENGTHS.has(colon - s) ? keptName(text, s, colon) : undefined;
    const key = kept ?? (KEPT_LENGTHS.has(colon - s) ? text.slice(s, colon).toLowerCase() : '');
    if (kept !== undefined) {
      name = kept;
      value = trimmedSlice(text, colon + 1, e);
      other = false;
    } else {
      // still a field: record that it is there, without its value
      if (!key) {
        other = true;
        continue;
      }
      if (!fields.has(key)) fields.set(key, []);
      other = true;
    }
  }
  flush();
  return { fields, end: i, blankSeparated: false };
}

const KEPT_BY_LENGTH = new Map<number, string[]>();
for (const k of KEPT) KEPT_BY_LENGTH.set(k.length, [...(KEPT_BY_LENGTH.get(k.length) ?? []), k]);

/** The KEPT name text[s, colon) spells in any case, or undefined (compared in place, no copy). */
function keptName(text: string, s: number, colon: number): string | undefined {
  const names = KEPT_BY_LENGTH.get(colon - s);
  if (!names) return undefined;
  next: for (const name of names) {
    for (let k = 0; k < name.length; k++) {
      let c = text.charCodeAt(s + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== name.charCodeAt(k)) continue next;
    }
    return name;
  }
  return undefined;
}

/** text.slice(s, e).trim(), cutting ASCII blanks before slicing (one string, not two). */
function trimmedSlice(text: string, s: number, e: number): string {
  while (s < e && isAsciiSpace(text.charCodeAt(s))) s++;
  while (e > s && isAsciiSpace(text.charCodeAt(e - 1))) e--;
  const out = text.slice(s, e);
  // other white space (U+00A0, U+2028, ...) is trim()'s to judge
  return s < e && (text.charCodeAt(s) > 127 || text.charCodeAt(e - 1) > 127) ? out.trim() : out;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * A header name and its colon at a line start (sticky: matched where lastIndex is, by the regex
 * engine, which is fast from the first mail on, where a character walk in JavaScript is slow).
 */
const HEADER_NAME = /[!-9;-~]+:/y;

function isBlank(text: string, s: number, e: number): boolean {
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
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
  // exec on the one constant regex (matchAll copies it for every value)
  MESSAGE_ID.lastIndex = 0;
  for (let m = MESSAGE_ID.exec(value); m !== null; m = MESSAGE_ID.exec(value)) out.push(m[1]);
  if (out.length === 0 && value.trim() && !/\s/.test(value.trim())) out.push(value.trim());
  return out;
}

export function mailHeaders(block: HeaderBlock, memo?: DocumentMemo): MailHeaders {
  const subject = field(block, 'subject');
  const from = field(block, 'from');
  return {
    from: from === undefined ? undefined : memo ? memo.word(from, decodeWords) : decodeWords(from),
    subject: subject === undefined ? undefined : decodeWords(subject),
    date: field(block, 'date'),
    messageId: messageIds(field(block, 'message-id'))[0],
    inReplyTo: messageIds(field(block, 'in-reply-to'))[0],
    references: messageIds((block.fields.get('references') ?? []).join(' ')),
    contentType: field(block, 'content-type'),
  };
}

/*
 * The three address shapes below are what /^\S+@\S+\s+\((.+)\)$/, /^<|>.*$/g and /^\S+@\S+$/
 * match, read in one pass each: the expressions retried every split of a run of "@" (a From
 * header of 5,000 "@" and a space took 0.9 s, quadratic in its length).
 */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** An address token with an "@" inside it (not at either end), nothing but non-spaces. */
function isBareAddress(v: string): boolean {
  if (/\s/.test(v)) return false;
  const at = v.indexOf('@', 1);
  return at >= 1 && at <= v.length - 2;
}

/** "user@host (Display Name)": the comment, or undefined. */
function commentAfterAddress(v: string): string | undefined {
  if (!v.endsWith(')')) return undefined;
  const space = v.search(/\s/);
  if (space < 0 || !isBareAddress(v.slice(0, space))) return undefined;
  let k = space;
  while (k < v.length && /\s/.test(v[k])) k++;
  if (v[k] !== '(') return undefined;
  const inner = v.slice(k + 1, -1);
  return inner.length > 0 && !LINE_TERMINATOR.test(inner) ? inner : undefined;
}

/** "<user@host> rest" -> "user@host": the leading "<" and, from the first ">" no line end follows, the rest. */
function withoutAngles(v: string): string {
  const s = v.slice(1);
  let lastBreak = -1;
  for (let i = 0; i < s.length; i++) if (LINE_TERMINATOR.test(s[i])) lastBreak = i;
  const close = s.indexOf('>', lastBreak + 1);
  return close < 0 ? s : s.slice(0, close);
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
  const paren = commentAfterAddress(v);
  if (paren !== undefined) return paren.trim();
  const angle = v.indexOf('<');
  if (angle > 0) v = v.slice(0, angle).trim();
  else if (angle === 0) v = withoutAngles(v);
  v = v.replace(/^"(.*)"$/, '$1').trim();
  if (isBareAddress(v)) {
    const local = v.slice(0, v.indexOf('@'));
    return local && !/^x+$/.test(local) ? local : undefined;
  }
  if (v === '' || /\[email\s+protected\]/i.test(v)) return undefined;
  return v;
}
