/** The diff reader's public face: parse unified diffs from a LineSource. */
export { parseDiffs, type DiffParseResult } from './parse';
export { documentLines, DocumentLines } from './documentLines';
export type * from './types';
