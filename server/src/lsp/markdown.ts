/**
 * The one place where text the server did not write (a patch's subject, a file path, a function
 * name, C expressions, finding messages quoting the document) goes into the Markdown it sends
 * (hovers, Explain). Such text is shown, never interpreted: no link, image, HTML tag, emphasis or
 * table cell comes out of a reviewer's document. Everything else in those Markdown strings is
 * the server's own structure.
 */

/**
 * What Markdown makes of plain text, each as a pattern whose match is backslash-escaped:
 * characters that open markup anywhere (code, emphasis, links and images, HTML, entities, table
 * cells, strike-through, autolinked addresses), the starts of autolinks (`https://`, `www.`), and
 * what opens a block at the start of a line (heading, list item, quote, rule). The rest of the
 * punctuation stays as written, so `open; mmio-read: EIO` reads the same raw and rendered.
 */
const MARKUP = /[\\`*_[\]<>&|~@!]|:(?=\/\/)|(?<=\bwww)\.|^[#+=-]/gi;
/** A line starting `1.` or `1)` is an ordered list item. */
const LIST_NUMBER = /^(\d+)([.)])/;

/**
 * Document text as Markdown text: markup characters backslash-escaped (so `<img>`,
 * `![x](url)`, `**`, `|` and autolinks stay literal) and line ends made spaces (it is inline text).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/^\s+/, '')
    .replace(MARKUP, '\\$&')
    .replace(LIST_NUMBER, '$1\\$2');
}

/** The longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Document text as an inline code span: a fence longer than any backtick run inside it. */
export function codeSpan(text: string): string {
  const one = text.replace(/\r\n?|\n/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(one) + 1);
  const pad = /^[` ]|[` ]$/.test(one) ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

/** Document text as a fenced code block (`language` is ours): no line inside can close the fence. */
export function codeBlock(text: string, language = ''): string {
  const lines = text.replace(/\r\n?/g, '\n');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(lines) + 1));
  return `${fence}${language}\n${lines}\n${fence}`;
}
