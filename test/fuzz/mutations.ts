/**
 * Damage done to a real document, as a reviewer's mailer, an archive or a hostile sender would do
 * it: lines dropped, duplicated, swapped or cut; line ends changed; quote prefixes; `@@` counts
 * altered (huge ones included); base64 and quoted-printable bodies corrupted; headers duplicated or
 * made 100 KB long; NUL characters and invalid UTF-8. Places are fractions of the document, so a
 * mutation means the same thing on any source.
 */

export type LineEnds = 'crlf' | 'cr' | 'mixed';

export type Mutation =
  | { op: 'drop-lines'; at: number; count: number }
  | { op: 'duplicate-lines'; at: number; count: number }
  | { op: 'swap-lines'; at: number; other: number }
  | { op: 'truncate'; at: number }
  | { op: 'truncate-line'; at: number; keep: number }
  | { op: 'line-ends'; style: LineEnds; seed: number }
  | { op: 'quote'; at: number; count: number; prefix: string }
  | { op: 'hunk-counts'; nth: number; field: number; value: number }
  | { op: 'corrupt-base64'; nth: number; at: number; char: string }
  | { op: 'corrupt-qp'; nth: number; kind: 'bad-escape' | 'cut-escape' | 'soft-break' }
  | { op: 'duplicate-header'; name: string }
  | { op: 'long-header'; name: string; length: number; folded: boolean }
  | { op: 'nul'; at: number; count: number }
  | { op: 'invalid-utf8'; at: number; bytes: number[] }
  | { op: 'lone-surrogate'; at: number }
  | { op: 'insert'; at: number; text: string };

/** A line with its own terminator ("" for a last line without one). */
interface Line {
  text: string;
  end: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), end: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length || out.length === 0) out.push({ text: text.slice(start), end: '' });
  return out;
}

const join = (lines: Line[]) => lines.map((l) => l.text + l.end).join('');
const index = (fraction: number, length: number) =>
  Math.min(Math.max(0, length - 1), Math.max(0, Math.floor(fraction * length)));

/** The next value of a small linear congruential generator (mutations stay deterministic). */
function lcg(s: number): number {
  return (Math.imul(s, 1103515245) + 12345) >>> 0;
}

/**
 * A terminator per line in the given style (mixed: \n, \r\n or \r at random), such that the
 * document keeps its lines: an empty line after a lone \r never ends in \n (that would make a
 * \r\n of the two and merge them).
 */
export function lineEnds(texts: string[], style: LineEnds, seed: number): string[] {
  let s = seed >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    s = lcg(s);
    let end = style === 'crlf' ? '\r\n' : style === 'cr' ? '\r' : ['\n', '\r\n', '\r'][s % 3];
    if (end === '\n' && texts[i] === '' && out[i - 1] === '\r') end = '\r\n';
    out.push(end);
  }
  return out;
}

/** The text of lines with line ends of the style (none after the last line). */
export function withLineEnds(texts: string[], style: LineEnds, seed: number): string {
  const ends = lineEnds(texts, style, seed);
  return texts.map((t, i) => (i === texts.length - 1 ? t : t + ends[i])).join('');
}

/** Lines that look like a line of base64 (a body part's encoded text). */
const BASE64_LINE = /^[A-Za-z0-9+/]{16,}={0,2}$/;
const QP_LINE = /=[0-9A-F]{2}|=$/;
const HEADER = (name: string) => new RegExp(`^${name}:`, 'i');

export function applyMutation(text: string, m: Mutation): string {
  const lines = splitLines(text);
  switch (m.op) {
    case 'drop-lines': {
      lines.splice(index(m.at, lines.length), m.count);
      return join(lines);
    }
    case 'duplicate-lines': {
      const i = index(m.at, lines.length);
      const copy = lines.slice(i, i + m.count).map((l) => ({ ...l, end: l.end || '\n' }));
      lines.splice(i, 0, ...copy);
      return join(lines);
    }
    case 'swap-lines': {
      const i = index(m.at, lines.length);
      const j = index(m.other, lines.length);
      [lines[i].text, lines[j].text] = [lines[j].text, lines[i].text];
      return join(lines);
    }
    case 'truncate':
      return text.slice(0, Math.floor(Math.max(0, Math.min(1, m.at)) * text.length));
    case 'truncate-line': {
      const l = lines[index(m.at, lines.length)];
      l.text = l.text.slice(0, Math.floor(Math.max(0, Math.min(1, m.keep)) * l.text.length));
      return join(lines);
    }
    case 'line-ends': {
      const ends = lineEnds(
        lines.map((l) => l.text),
        m.style,
        m.seed,
      );
      lines.forEach((l, i) => {
        if (l.end) l.end = ends[i];
      });
      return join(lines);
    }
    case 'quote': {
      const i = index(m.at, lines.length);
      for (let k = i; k < Math.min(lines.length, i + m.count); k++) lines[k].text = m.prefix + lines[k].text;
      return join(lines);
    }
    case 'hunk-counts': {
      const headers = lines.filter((l) => /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(l.text));
      if (headers.length === 0) return text;
      const h = headers[m.nth % headers.length];
      let field = 0;
      h.text = h.text.replace(/\d+/g, (d) => (field++ === m.field % 4 ? String(m.value) : d));
      return join(lines);
    }
    case 'corrupt-base64': {
      const b64 = lines.filter((l) => BASE64_LINE.test(l.text));
      if (b64.length === 0) return text;
      const l = b64[m.nth % b64.length];
      const at = index(m.at, l.text.length);
      l.text = l.text.slice(0, at) + m.char + l.text.slice(at + 1);
      return join(lines);
    }
    case 'corrupt-qp': {
      const qp = lines.filter((l) => QP_LINE.test(l.text));
      if (qp.length === 0) return text;
      const l = qp[m.nth % qp.length];
      if (m.kind === 'bad-escape') l.text = l.text.replace(/=[0-9A-F]{2}/, '=ZZ');
      else if (m.kind === 'cut-escape') l.text = l.text.replace(/=[0-9A-F]{2}(?!.*=[0-9A-F]{2})/, '=');
      else l.text = l.text.endsWith('=') ? l.text.slice(0, -1) : l.text + '=';
      return join(lines);
    }
    case 'duplicate-header': {
      const i = lines.findIndex((l) => HEADER(m.name).test(l.text));
      if (i < 0) return text;
      lines.splice(i, 0, { ...lines[i], end: lines[i].end || '\n' });
      return join(lines);
    }
    case 'long-header': {
      const i = lines.findIndex((l) => HEADER(m.name).test(l.text));
      const filler = 'x'.repeat(m.length);
      const value = m.folded ? filler.replace(/.{900}/g, '$&\n\t') : filler;
      const line = { text: `${m.name}: ${value}`, end: '\n' };
      if (i < 0) lines.unshift(line);
      else lines[i].text += ' ' + value;
      return join(lines);
    }
    case 'nul': {
      const at = Math.floor(Math.max(0, Math.min(1, m.at)) * text.length);
      return text.slice(0, at) + '\u0000'.repeat(m.count) + text.slice(at);
    }
    case 'invalid-utf8': {
      // the bytes as the CLI would read them: a document read with readFileSync(..., 'utf8')
      const at = Math.floor(Math.max(0, Math.min(1, m.at)) * text.length);
      const decoded = Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from(m.bytes),
        Buffer.from(text.slice(at)),
      ]).toString('utf8');
      return decoded;
    }
    case 'lone-surrogate': {
      const at = Math.floor(Math.max(0, Math.min(1, m.at)) * text.length);
      return text.slice(0, at) + '\ud800' + text.slice(at);
    }
    case 'insert': {
      const at = Math.floor(Math.max(0, Math.min(1, m.at)) * text.length);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}
