/**
 * Step scripts: the presets offered in quick picks and in the panel, and the split of a typed
 * script into steps. The server parses and checks each step; the client only splits on ";".
 */
import { STEP_ACTIONS } from '../../server/src/model/types';

export interface StepPreset {
  name: string;
  steps: string;
}

export const STEP_PRESETS: readonly StepPreset[] = [
  { name: 'Enable memory, read COMMAND, touch MMIO', steps: 'open; write-cmd 0x0002; read-cmd; mmio-read' },
  { name: 'MMIO right after open', steps: 'open; mmio-read' },
  { name: 'Disable memory, then MMIO', steps: 'open; write-cmd 0x0002; write-cmd 0x0000; mmio-read' },
  {
    name: 'Backdoor reset, then re-enable (BAR restore)',
    steps: 'open; write-cmd 0x0002; backdoor-reset; write-cmd 0x0002; mmio-read',
  },
  {
    name: 'mmap after disable (zap)',
    steps: 'open; write-cmd 0x0002; mmap-touch; write-cmd 0x0000; mmap-touch',
  },
  { name: 'ioeventfd write with memory off', steps: 'open; write-cmd 0x0000; ioeventfd-write' },
  { name: 'I/O port read', steps: 'open; write-cmd 0x0001; ioport-read' },
  { name: 'D3hot and back', steps: 'open; write-cmd 0x0002; d3hot; mmio-read; d0; mmio-read' },
  { name: 'Byte write of COMMAND', steps: 'open; write-cmd-byte 0x04 0x02; read-cmd; mmio-read' },
];

export const STEP_ACTION_NAMES: readonly string[] = STEP_ACTIONS;

/** "open; write-cmd 0x2;; read-cmd" -> ["open", "write-cmd 0x2", "read-cmd"]. */
export function splitSteps(script: string): string[] {
  return script
    .split(/[;\n]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.length > 0);
}

export const joinSteps = (steps: readonly string[]): string => steps.join('; ');
