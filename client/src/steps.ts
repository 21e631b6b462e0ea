/**
 * Step scripts: the presets offered in quick picks and in the panel, and the split of a typed
 * script into steps. The server parses and checks each step; the client only splits on ";".
 */
import { SIMULATOR_PRESETS, STEP_ACTIONS } from '../../server/src/model/index';

export interface StepPreset {
  name: string;
  steps: string;
}

export const STEP_PRESETS: readonly StepPreset[] = SIMULATOR_PRESETS.map((p) => ({
  name: p.name,
  steps: p.script,
}));

export const STEP_ACTION_NAMES: readonly string[] = STEP_ACTIONS;

/** "open; write-cmd 0x2;; read-cmd" -> ["open", "write-cmd 0x2", "read-cmd"]. */
export function splitSteps(script: string): string[] {
  return script
    .split(/[;\n]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.length > 0);
}

export const joinSteps = (steps: readonly string[]): string => steps.join('; ');
