/**
 * What one document's mails repeat: the same From: values (a series has few authors), the same
 * Content-Type values. Each is worked out once per document and looked up after that. A memo
 * lives for one readDocument call only: nothing is kept between documents.
 */
export class DocumentMemo {
  private readonly words = new Map<string, string>();
  private readonly names = new Map<string, string | undefined>();
  private readonly types = new Map<string, unknown>();

  /** `compute(value)`, once per distinct value. */
  word(value: string, compute: (v: string) => string): string {
    let out = this.words.get(value);
    if (out === undefined) {
      out = compute(value);
      this.words.set(value, out);
    }
    return out;
  }

  name(value: string, compute: (v: string) => string | undefined): string | undefined {
    if (this.names.has(value)) return this.names.get(value);
    const out = compute(value);
    this.names.set(value, out);
    return out;
  }

  /** A parsed header value; the result is shared between the mails that carry the same value. */
  parsed<T>(value: string, compute: (v: string) => T): T {
    let out = this.types.get(value) as T | undefined;
    if (out === undefined) {
      out = compute(value);
      this.types.set(value, out);
    }
    return out;
  }
}
