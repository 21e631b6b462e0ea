/**
 * The zPCI C reader's public surface: a patch's hunks as images in, the changes it makes to the
 * zPCI model out (each placed, with its model node or "not modelled"), the baseline detected,
 * and the post-image's version. Code map: README.md.
 */
export {
  recogniseZpciChanges,
  recogniseZpciSeries,
  MAX_HUNKS,
  type RecogniseOptions,
  type SeriesPatch,
  type SeriesReading,
} from './recognise';
export { readImage, type ReadItem, type ImageReading } from './reader';
export { fileKind, functionRole, FUNCTION_ROLES, type FileKind, type FunctionRole } from './roles';
export { exprForm } from './cForm';
export { RELEASE_DATES } from './baseline';
export type * from './types';
