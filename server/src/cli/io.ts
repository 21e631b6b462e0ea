/** Reading the CLI's inputs: files or standard input ("-"), each as text with its display name. */
import * as fs from 'node:fs';

export interface InputDocument {
  file: string;
  text: string;
}

export class InputError extends Error {}

export function readStdin(): string {
  return fs.readFileSync(0, 'utf8');
}

/** Reads every FILE (or "-" for stdin). A missing or unreadable file is an InputError naming it. */
export function readInputs(files: string[]): InputDocument[] {
  if (files.length === 0) throw new InputError('no input: name one or more files, or - for standard input');
  return files.map((file) => {
    if (file === '-') return { file: '<stdin>', text: readStdin() };
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new InputError(`${file}: no such file`);
    }
    if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a patch or mail file`);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch (e) {
      throw new InputError(`${file}: cannot be read (${(e as Error).message})`);
    }
  });
}
