/**
 * Subjects of patch mails: reply prefixes (Re:, RE:, Aw:, Fwd:), the bracketed series tag
 * ([PATCH v4 2/3], [RFC PATCH v2 0/8], [PATCH1/8], [PATCH net-next 3/5], [PATCH 1/1][v2]) and
 * the title that remains.
 */
import type { PatchTag } from './types';

const REPLY_PREFIX = /^\s*(?:re|aw|sv|antw|vs|odp|fwd?)\s*(?:\[\d+\])?\s*:\s*/i;
/** Words that make a bracket group a series tag rather than a list name ("[Intel-wired-lan]"). */
const TAG_WORD = /^(?:patch|rfc|pull|git|resend|autosel|for|v\d+|\d+\/\d+)$/i;

export interface ParsedSubject {
  isReply: boolean;
  tag?: PatchTag;
  title: string;
}

const TAG_GROUP = /^\[([^\]]*)\]\s*/;
const GLUED = /^([A-Za-z]+)(\d+\/\d+)$/;
const VERSION = /^v(\d+)$/i;
const INDEX = /^(\d+)\/(\d+)$/;
const RFC = /^rfc$/i;
/** Whitespace other than single spaces: only then is the subject's spacing normalised. */
const ODD_SPACE = /[^\S ]| {2}/;

export function parseSubject(subject: string | undefined): ParsedSubject {
  let s = subject ?? '';
  if (ODD_SPACE.test(s)) s = s.replace(/\s+/g, ' ');
  else {
    const common = commonPatchSubject(s);
    if (common) return common;
  }
  s = s.trim();
  let isReply = false;
  const words: string[] = [];
  let sawTag = false;
  for (;;) {
    const re = s.charCodeAt(0) === 91 ? null : REPLY_PREFIX.exec(s);
    if (re) {
      isReply = true;
      s = s.slice(re[0].length);
      continue;
    }
    const group = s.charCodeAt(0) === 91 /* [ */ ? TAG_GROUP.exec(s) : null;
    if (!group) break;
    const tokens = splitTagTokens(group[1]);
    if (tokens.some((t) => TAG_WORD.test(t))) {
      words.push(...tokens);
      sawTag = true;
    }
    s = s.slice(group[0].length);
  }
  return { isReply, tag: sawTag ? tagOf(words) : undefined, title: s.trim() };
}

/**
 * The shape most patch mails have, "[PATCH] t", "[PATCH n/m] t", "[PATCH vN] t" or
 * "[PATCH vN n/m] t" (single spaces only), read without the general regexes; the same result as
 * the general walk, or undefined for anything else (another group or a reply prefix after it).
 */
function commonPatchSubject(s: string): ParsedSubject | undefined {
  if (!s.startsWith('[PATCH')) return undefined;
  let i = 6;
  let version = 1;
  let index: number | undefined;
  let total: number | undefined;
  if (s.charCodeAt(i) === 32 /* space */ && s.charCodeAt(i + 1) === 118 /* v */) {
    const end = digitsEnd(s, i + 2);
    if (end === i + 2) return undefined;
    version = Number(s.slice(i + 2, end));
    i = end;
  }
  if (s.charCodeAt(i) === 32) {
    const slash = digitsEnd(s, i + 1);
    if (slash === i + 1 || s.charCodeAt(slash) !== 47 /* / */) return undefined;
    const end = digitsEnd(s, slash + 1);
    if (end === slash + 1) return undefined;
    index = Number(s.slice(i + 1, slash));
    total = Number(s.slice(slash + 1, end));
    i = end;
  }
  if (s.charCodeAt(i) !== 93 /* ] */) return undefined;
  i++;
  if (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 91 /* [ */) return undefined;
  const rest = s.slice(i);
  if (REPLY_PREFIX.test(rest)) return undefined;
  return { isReply: false, tag: { prefix: 'PATCH', version, index, total, rfc: false }, title: rest.trim() };
}

function digitsEnd(s: string, from: number): number {
  let i = from;
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i;
}

/** "PATCH1/8" -> PATCH, 1/8; "v4" stays; "2/3" stays. */
function splitTagTokens(group: string): string[] {
  const out: string[] = [];
  for (const raw of group.split(/[\s,]+/)) {
    if (!raw) continue;
    const glued = GLUED.exec(raw);
    if (glued) out.push(glued[1], glued[2]);
    else out.push(raw);
  }
  return out;
}

function tagOf(tokens: string[]): PatchTag {
  let version: number | undefined;
  let index: number | undefined;
  let total: number | undefined;
  const prefix: string[] = [];
  for (const t of tokens) {
    const v = VERSION.exec(t);
    const n = v ? null : INDEX.exec(t);
    if (v && version === undefined) version = Number(v[1]);
    else if (n && index === undefined) {
      index = Number(n[1]);
      total = Number(n[2]);
    } else if (!v) prefix.push(t);
  }
  return {
    prefix: prefix.join(' '),
    version: version ?? 1,
    index,
    total,
    rfc: prefix.some((w) => RFC.test(w)),
  };
}
