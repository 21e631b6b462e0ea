/**
 * Named zPCI step scripts: the rows of the zPCI behaviour matrix (each run for every device kind
 * under every QEMU version) and the presets the simulator offers. Each row says what it shows,
 * in the domain doc's worked cases where it is one of them.
 */
import { formatOutcomeShort } from './format';
import type { ZpciTraceEntry } from './types';

export interface ZpciScenario {
  id: string;
  /** The simulator's name for it. */
  name: string;
  script: string;
  description: string;
}

export const ZPCI_SCENARIOS: readonly ZpciScenario[] = [
  {
    id: 'plug',
    name: 'Plug the function (MSI-X fence, interpretation)',
    script: 'plug',
    description: 'Hot-plug and configure the function: the MSI-X fence and the choice of interpretation.',
  },
  {
    id: 'pcistb-4k-block',
    name: 'One 4096-byte PCISTB (ISM-sized block)',
    script: 'plug; enable; pcistb 0 0 4096',
    description:
      'A 4096-byte block store at offset 0: 8 length bits read it as 0 before v6.0; above maxstbl after.',
  },
  {
    id: 'pcistb-24-at-8',
    name: 'PCISTB of 24 bytes at offset 8',
    script: 'plug; enable; pcistb 0 8 24',
    description:
      'Lengths other than 16/32/64/128 were refused before v2.12; any multiple of 8 above 8 since.',
  },
  {
    id: 'pcistb-128-at-0xfc0',
    name: 'PCISTB of 128 bytes crossing 4 KiB',
    script: 'plug; enable; pcistb 0 0xfc0 128',
    description:
      'A block store crossing a 4 KiB boundary: passes before v2.12, a specification exception since.',
  },
  {
    id: 'pcistb-16-at-4',
    name: 'PCISTB of 16 bytes at offset 4',
    script: 'plug; enable; pcistb 0 4 16',
    description: 'An offset that is not 8-aligned: passes before v2.12, a specification exception since.',
  },
  {
    id: 'pcistg-length-0',
    name: 'PCISTG of 0 bytes',
    script: 'plug; enable; pcistg 0 0 0',
    description: 'A zero-length store to a BAR: a 0-byte write before v2.12, an operand exception since.',
  },
  {
    id: 'pcilg-not-enabled',
    name: 'PCILG on a function not enabled',
    script: 'plug; pcilg 0 0 8',
    description: 'A load naming an fh whose enable bit is clear: executed in v2.3, cc 3 from v2.6.',
  },
  {
    id: 'pcilg-error-state',
    name: 'PCILG in the error state',
    script: 'plug; enable; error; pcilg 0 0 8',
    description: 'A load after the function entered the error state: cc 1 with status 12 (blocked).',
  },
  {
    id: 'reset-enabled',
    name: 'System reset of an enabled function',
    script: 'plug; enable; reset',
    description:
      'A system reset: the function is disabled from v2.7; an interpreted ISM device is reset from v8.0.',
  },
];

/** The simulator's presets: the scenarios by name. */
export const ZPCI_PRESETS: readonly { name: string; script: string }[] = ZPCI_SCENARIOS.map((s) => ({
  name: s.name,
  script: s.script,
}));

/**
 * A matrix cell's text: each step that shows something (a refused plug, an instruction, a reset),
 * "action: outcome" in a few words, joined.
 */
export function zpciScenarioSummary(trace: readonly ZpciTraceEntry[]): string {
  const shown = trace.filter(
    (e, i) =>
      i === trace.length - 1 ||
      !(e.outcome.kind === 'plugged' || (e.outcome.kind === 'clp' && e.outcome.response === 'CLP_RC_OK')),
  );
  return shown.map((e) => `${e.action}: ${formatOutcomeShort(e)}`).join('; ');
}
