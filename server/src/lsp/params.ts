/**
 * Checks of request parameters as the client sent them (plain JSON, not yet the types they
 * should be): a bad one is an InvalidParams error naming the field, never a TypeError inside a
 * handler. Used by the LSP features (server.ts) and the custom requests (customRequests.ts).
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Position, Range } from '../common/position';

export const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** At most this much of a bad value is quoted back in an error message. */
const QUOTED = 200;

/** A bad value as an error message quotes it: JSON, cut short. */
export function quoted(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > QUOTED ? `${s.slice(0, QUOTED)}…` : s;
}

export function uriParam(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v)
    throw invalid(`${field}: expected a document URI string, got ${quoted(v)}`);
  return v;
}

export function positionParam(v: unknown, field: string): Position {
  if (!isObject(v) || !Number.isInteger(v.line) || !Number.isInteger(v.character)) {
    throw invalid(`${field}: expected { line, character } with whole numbers, got ${quoted(v)}`);
  }
  return { line: v.line as number, character: v.character as number };
}

export function rangeParam(v: unknown, field: string): Range {
  if (!isObject(v)) throw invalid(`${field}: expected { start, end }, got ${quoted(v)}`);
  return { start: positionParam(v.start, `${field}.start`), end: positionParam(v.end, `${field}.end`) };
}

export function paramsObject(p: unknown, method: string): Record<string, unknown> {
  if (!isObject(p)) throw invalid(`${method}: params must be an object, got ${quoted(p)}`);
  return p;
}

/** `{ textDocument: { uri } }`, the start of every text document request's params. */
export function textDocumentParam(p: unknown, method: string): string {
  const params = paramsObject(p, method);
  if (!isObject(params.textDocument))
    throw invalid(`textDocument: expected { uri }, got ${quoted(params.textDocument)}`);
  return uriParam(params.textDocument.uri, 'textDocument.uri');
}
