/**
 * The entry points the fuzzing drives, by name, each as a check over one input: the reader
 * (readDocument), the diff reader (parseDiffs), C extraction (readCode, parseCExpression,
 * expandMacros over every hunk the reader finds), the config-space and zPCI C readers
 * (readConfigPatch, recogniseZpciChanges over every hunk), the analysis (analyzeText) and the model
 * (model.ts). The LSP requests are driven apart, over stdio (lsp.test.ts).
 */
import { readDocument } from '../../server/src/mail/index';
import { checkAnalysis, checkConfig, checkCsrc, checkDiff, checkReader, checkZpci } from './checks';
import { buildText, type TextInput } from './inputs';
import { checkModel, type ModelInput } from './model';

export type TextEntry = 'reader' | 'diff' | 'csrc' | 'config' | 'zpci' | 'analysis';
export const TEXT_ENTRIES: readonly TextEntry[] = ['reader', 'diff', 'csrc', 'config', 'zpci', 'analysis'];

/** Runs the checks of the given entry points on one text input; throws a PropertyFailure. */
export function checkText(input: TextInput, entries: readonly TextEntry[]): void {
  const text = buildText(input);
  for (const entry of entries) {
    switch (entry) {
      case 'reader':
        checkReader(text);
        break;
      case 'diff':
        checkDiff(text);
        break;
      case 'csrc':
        checkCsrc(text, readDocument(text));
        break;
      case 'config':
        checkConfig(readDocument(text));
        break;
      case 'zpci':
        checkZpci(readDocument(text));
        break;
      case 'analysis':
        checkAnalysis(text);
        break;
    }
  }
}

export type FuzzInput = TextInput | ModelInput;

export function isModelInput(input: FuzzInput): input is ModelInput {
  return 'model' in input;
}

/** Every check that applies to an input (what a regression file replays). */
export function checkInput(input: FuzzInput, entries?: readonly string[]): void {
  if (isModelInput(input)) checkModel(input);
  else checkText(input, (entries ?? TEXT_ENTRIES) as TextEntry[]);
}
