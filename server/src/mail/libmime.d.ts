/** The parts of libmime (and its libqp / libbase64 dependencies) the mail layer uses. */
declare module 'libmime' {
  interface ParsedHeaderValue {
    value: string;
    params: Record<string, string>;
  }
  interface Libmime {
    decodeWords(str: string): string;
    decodeFlowed(str: string, delSp?: boolean): string;
    parseHeaderValue(str: string): ParsedHeaderValue;
    decode(buf: Buffer, fromCharset?: string): string;
    charset: { decode(buf: Buffer, fromCharset?: string): string; normalizeCharset(charset: string): string };
  }
  const libmime: Libmime;
  export = libmime;
}

declare module 'libqp' {
  export function decode(str: string | Buffer): Buffer;
}

declare module 'libbase64' {
  export function decode(str: string): Buffer;
}

declare module 'libmime/lib/charset' {
  const charset: { decode(buf: Buffer, fromCharset?: string): string };
  export = charset;
}
