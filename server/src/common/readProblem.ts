/** A problem a reader met, at its place in the document (the mail and diff readers both report them). */
import type { Range } from './position';

export interface ReadProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning' | 'info';
}
