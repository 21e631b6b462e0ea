/**
 * Tables of rows with stable ids (kernel variants, device kinds): the one check that a string is
 * one of their ids, the one lookup, and the one way of saying that it is not.
 */

/** An id that names no row; the message lists the valid ones. */
export class UnknownIdError extends Error {}

export class RowTable<Row extends { readonly id: string }> {
  readonly ids: readonly Row['id'][];
  private readonly byId: ReadonlyMap<string, Row>;

  constructor(
    /** What one row is, in words ("device kind"), and many ("device kinds"). */
    readonly noun: string,
    readonly plural: string,
    readonly rows: readonly Row[],
  ) {
    this.ids = rows.map((r) => r.id);
    this.byId = new Map(rows.map((r) => [r.id, r]));
    if (this.byId.size !== rows.length) throw new Error(`${plural}: an id is given twice`);
  }

  has(value: unknown): value is Row['id'] {
    return typeof value === 'string' && this.byId.has(value);
  }

  /** The valid ids, for a message: "pf, pf-no-io, vf, ...". */
  list(): string {
    return this.ids.join(', ');
  }

  /** The row of an id; an unknown id is an UnknownIdError naming the valid ones. */
  get(id: string): Row {
    const row = this.byId.get(id);
    if (!row) throw new UnknownIdError(`unknown ${this.noun} "${id}"; valid ${this.plural}: ${this.list()}`);
    return row;
  }

  /** The id itself, once checked (an UnknownIdError otherwise). */
  check(id: string): Row['id'] {
    return this.get(id).id;
  }

  /** "FIELD: expected one of a, b, got "x"": the message for a bad value in a request or setting. */
  expected(field: string, value: unknown): string {
    return `${field}: expected one of ${this.list()}, got ${JSON.stringify(value)}`;
  }
}
