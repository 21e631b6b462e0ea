/**
 * The framing of the LSP base protocol (`Content-Length: N\r\n\r\n` then N bytes of JSON), checked
 * on the bytes before vscode-jsonrpc's StreamMessageReader sees them. That reader waits for ever
 * on a Content-Length larger than what follows, keeps garbage bytes as the start of a header, and
 * reports the rest as errors nobody acts on: a server that is alive and answers nothing. Here a
 * message that cannot be framed is a `FramingError` with its reason; the transport (cli/lsp.ts)
 * ends the connection on it, so the client sees the server exit and can start it again.
 *
 * Checked: the header section is printable ASCII lines `Name: value`, ends within
 * MAX_HEADER_BYTES, and has one decimal Content-Length of at most MAX_MESSAGE_BYTES; a body starts
 * with `{` or `[` and ends with `}` or `]` (a Content-Length too small cuts it); a body does not
 * hold the raw header of another message (a Content-Length too large swallows the next message:
 * raw CR LF cannot be in JSON text, so `Content-Length: 12\r\n` inside a body is a framing error);
 * and a message once begun is finished within `quietMs` of the last byte.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** LSP headers are two short lines; anything longer is not a header. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** The largest message accepted (far over vfioLens.maxDocumentSize's largest sensible value). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** How long a begun message may wait for its next byte before the connection is given up. */
export const DEFAULT_QUIET_MS = 60_000;

export class FramingError extends Error {}

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const isSpace = (b: number) => b === 0x20 || b === TAB || b === CR || b === LF;
/** Another message's header inside a body: only a broken Content-Length puts it there. */
const HEADER_IN_BODY = /Content-Length:[ \t]*\d+\r\n/i;
/** How much of a chunk's end is kept to find a header cut between two chunks. */
const HEADER_TAIL = 64;

type Phase =
  | { kind: 'header'; bytes: number[] }
  | {
      kind: 'body';
      length: number;
      left: number;
      /** First and last non-blank bytes of the body seen so far. */
      first?: number;
      last?: number;
      tail: string;
    };

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Passes the bytes of well-framed messages through unchanged; on the first framing error emits
 * 'error' with a FramingError and passes nothing more.
 */
export class FramingGuard extends Transform {
  private phase: Phase = { kind: 'header', bytes: [] };
  private failed = false;
  private quiet: NodeJS.Timeout | undefined;
  private lastByte = Date.now();

  constructor(private readonly quietMs = DEFAULT_QUIET_MS) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    this.lastByte = Date.now();
    try {
      this.scan(chunk);
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      return this.fail(e, done);
    }
    this.armQuietTimer();
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.disarm();
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.disarm();
    done(error);
  }

  private fail(e: FramingError, done?: TransformCallback): void {
    this.failed = true;
    this.disarm();
    if (done) done(e);
    else this.destroy(e);
  }

  private disarm(): void {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = undefined;
  }

  /** While a message is begun and not finished, a timer waits for the rest. */
  private armQuietTimer(): void {
    const begun = this.phase.kind === 'body' || this.phase.bytes.length > 0;
    if (!begun || this.quietMs <= 0) return this.disarm();
    if (this.quiet) return; // re-checked when it fires
    const check = () => {
      this.quiet = undefined;
      const still = this.phase.kind === 'body' || this.phase.bytes.length > 0;
      if (this.failed || !still) return;
      const idle = Date.now() - this.lastByte;
      if (idle < this.quietMs) {
        this.quiet = setTimeout(check, this.quietMs - idle);
        this.quiet.unref();
        return;
      }
      // bytes that arrived while the event loop was busy are read before this decides
      setImmediate(() => {
        if (this.failed || Date.now() - this.lastByte < this.quietMs) return this.armQuietTimer();
        this.fail(new FramingError(this.unfinished()));
      });
    };
    this.quiet = setTimeout(check, this.quietMs);
    this.quiet.unref();
  }

  private unfinished(): string {
    const p = this.phase;
    if (p.kind === 'body')
      return (
        `a message body stopped ${p.length - p.left} of ${p.length} bytes in (Content-Length ${p.length}) ` +
        `and nothing came for ${this.quietMs} ms: the Content-Length is larger than the message`
      );
    return `a message header stopped after ${p.bytes.length} bytes without its blank line, and nothing came for ${this.quietMs} ms`;
  }

  private scan(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      const p = this.phase;
      if (p.kind === 'header') {
        const b = chunk[i++];
        if (b !== CR && b !== LF && b !== TAB && (b < 0x20 || b > 0x7e))
          throw new FramingError(`byte ${hex(b)} in a message header (expected "Content-Length: N")`);
        p.bytes.push(b);
        if (p.bytes.length > MAX_HEADER_BYTES)
          throw new FramingError(
            `a message header longer than ${MAX_HEADER_BYTES} bytes without its blank line`,
          );
        const n = p.bytes.length;
        if (
          n >= 4 &&
          p.bytes[n - 1] === LF &&
          p.bytes[n - 2] === CR &&
          p.bytes[n - 3] === LF &&
          p.bytes[n - 4] === CR
        ) {
          const length = contentLength(Buffer.from(p.bytes).toString('ascii'));
          this.phase = { kind: 'body', length, left: length, tail: '' };
          if (length === 0) throw new FramingError('Content-Length 0: a message cannot be empty');
        }
        continue;
      }
      const take = Math.min(p.left, chunk.length - i);
      this.readBody(p, chunk.subarray(i, i + take));
      i += take;
      p.left -= take;
      if (p.left === 0) {
        const looksJson = (p.first === 0x7b || p.first === 0x5b) && (p.last === 0x7d || p.last === 0x5d);
        if (!looksJson)
          throw new FramingError(
            `a message body of ${p.length} bytes (its Content-Length) is not a JSON object: ` +
              `it starts with ${p.first === undefined ? 'nothing' : hex(p.first)} and ends with ` +
              `${p.last === undefined ? 'nothing' : hex(p.last)} (a Content-Length too small cuts it)`,
          );
        this.phase = { kind: 'header', bytes: [] };
      }
    }
  }

  private readBody(p: Extract<Phase, { kind: 'body' }>, part: Buffer): void {
    for (let k = 0; k < part.length && p.first === undefined; k++) if (!isSpace(part[k])) p.first = part[k];
    for (let k = part.length - 1; k >= 0; k--)
      if (!isSpace(part[k])) {
        p.last = part[k];
        break;
      }
    const text = p.tail + part.toString('latin1');
    if (HEADER_IN_BODY.test(text))
      throw new FramingError(
        `the body of a message (Content-Length ${p.length}) holds another message's header: ` +
          'the Content-Length is larger than the message',
      );
    p.tail = text.slice(-HEADER_TAIL);
  }
}

/** The Content-Length of a complete header section (its lines and the blank line ending it). */
function contentLength(section: string): number {
  const lines = section.split('\r\n').slice(0, -2);
  let length: number | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!/^[A-Za-z0-9-]+$/.test(name))
      throw new FramingError(`message header line ${JSON.stringify(line.slice(0, 80))} is not "Name: value"`);
    if (name.toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value))
      throw new FramingError(`Content-Length ${JSON.stringify(value.slice(0, 40))} is not a number of bytes`);
    const n = Number(value);
    if (n > MAX_MESSAGE_BYTES)
      throw new FramingError(
        `Content-Length ${value} is over the ${MAX_MESSAGE_BYTES}-byte limit of a message`,
      );
    if (length !== undefined && length !== n)
      throw new FramingError(`two Content-Length headers (${length} and ${n})`);
    length = n;
  }
  if (length === undefined)
    throw new FramingError(
      `a message header without Content-Length (${JSON.stringify(section.slice(0, 80))})`,
    );
  return length;
}
