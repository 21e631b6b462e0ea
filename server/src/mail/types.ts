/**
 * What the reader produces for one document: messages (mails of an mbox or thread, or the single
 * pseudo-message of a bare diff or web-archive page), the patches among them, every file diff and
 * the problems met, each with its place in the document.
 */
import type { Range } from '../common/position';
import type { FileDiff } from '../diff/index';

export type DocumentKind = 'diff' | 'mail' | 'mbox' | 'web-archive' | 'text';

export type { ReadProblem } from '../common/readProblem';
import type { ReadProblem } from '../common/readProblem';

/** The bracketed tag of a subject: [RFC PATCH v2 3/8]. */
export interface PatchTag {
  /** The words before the numbers, e.g. "PATCH", "RFC PATCH", "PATCH net-next". */
  prefix: string;
  version: number;
  /** Position in the series (0 for a cover letter); undefined for a lone patch. */
  index?: number;
  total?: number;
  rfc: boolean;
}

export interface MailHeaders {
  from?: string;
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  contentType?: string;
}

/** A run of quoted lines in a reply, with the reviewer's own text that follows it. */
export interface QuoteBlock {
  depth: number;
  range: Range;
  /** The reviewer's own lines right after this quote (until the next quote), if any. */
  replyRange?: Range;
  replyText?: string;
  /** The attribution line(s) before the quote ("On ..., X wrote:"), if any. */
  attribution?: Range;
  /** Who is quoted: from the attribution line or an Outlook "From: ... Sent: ..." block. */
  author?: string;
  /** An Outlook "-----Original Message-----" / "From: Sent:" quote without "> " markers. */
  outlook?: boolean;
}

export interface Message {
  index: number;
  range: Range;
  headers: MailHeaders;
  /** Subject without "Re:" and the bracketed tag. */
  title: string;
  tag?: PatchTag;
  isReply: boolean;
  /** Index of the message this one replies to (In-Reply-To/References, else quoting), if known. */
  replyTo?: number;
  /** Author's display name (e.g. "Bjorn Helgaas"), from From: or an attribution line. */
  author?: string;
  bodyRange: Range;
  /** File diffs written in this message (quoteDepth 0) and quoted in it (quoteDepth > 0). */
  files: FileDiff[];
  quotes: QuoteBlock[];
  /** Signed-off-by, Reviewed-by, Acked-by, ... */
  trailers: { name: string; value: string; range: Range }[];
}

export interface Patch {
  messageIndex: number;
  subject: string;
  title: string;
  version: number;
  index?: number;
  total?: number;
  isCover: boolean;
  range: Range;
  /** The file diffs the patch itself carries (not quoted ones). */
  files: FileDiff[];
  /** For a cover letter: the diffstat lines (path, changes). */
  diffstat?: { path: string; changes: number; range: Range }[];
  /** git format-patch's unedited cover-letter template ("*** SUBJECT HERE ***"). */
  template?: boolean;
  /**
   * How subject, index or version were inferred when the text did not carry them (a headerless
   * web-archive patch matched to the cover letter's shortlog), e.g. "shortlog: vfio/pci".
   */
  inferred?: string;
}

export interface ReadResult {
  kind: DocumentKind;
  lineCount: number;
  messages: Message[];
  patches: Patch[];
  /** Every file diff of the document, in document order, quoted ones included. */
  files: FileDiff[];
  problems: ReadProblem[];
}
