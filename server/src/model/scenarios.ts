/**
 * The behaviour matrix: named scenarios (rows of SCENARIOS) run for every device kind under
 * every policy, each cell summarised by what the user sees after the open.
 */
import { CLOSED_STATE } from './machine';
import { stepSummary } from './observation';
import type { Policy } from './policy';
import { parseSteps } from './steps';
import { policySystem } from './system';
import type { DeviceKind, TraceEntry } from './types';

export interface Scenario {
  id: string;
  script: string;
  description: string;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'open-then-access',
    script: 'open; read-cmd; mmio-read; mmap-touch',
    description: 'Open and access the BARs without writing COMMAND (DPDK-style user; the s390 regression).',
  },
  {
    id: 'enable-then-read-back',
    script: 'open; write-cmd 0x0002; read-cmd',
    description: 'Set MEMORY and read COMMAND back (does the user see the bit it wrote?).',
  },
  {
    id: 'enable-twice',
    script: 'open; write-cmd 0x0002; write-cmd 0x0002',
    description: 'Set MEMORY twice (spurious BAR restore on devices whose MEMORY is hard-wired 0).',
  },
  {
    id: 'clear-then-access',
    script: 'open; write-cmd 0x0000; mmio-read; mmap-touch; ioeventfd-write',
    description: 'Clear MEMORY, then access the BARs (blocked, or reaching a disabled device).',
  },
  {
    id: 'setpci-io-twice',
    script: 'open; write-cmd 0x0001; write-cmd 0x0001',
    description: "Write COMMAND=1 twice, as setpci from a guest does (Alex's latent restore bug).",
  },
  {
    id: 'backdoor-reset-then-enable',
    script: 'open; backdoor-reset; mmio-read; write-cmd 0x0002; mmio-read',
    description: "The device resets behind vfio's back; does the next MEMORY write restore the BARs?",
  },
  {
    id: 'd3hot-then-access',
    script: 'open; mmap-touch; d3hot; mmio-read; mmap-touch',
    description: 'Access the BARs while the device is in D3hot.',
  },
];

export function runScenario(scenario: Scenario, policy: Policy, device: DeviceKind): TraceEntry[] {
  return policySystem(policy, device).run(parseSteps(scenario.script), CLOSED_STATE)[0].trace;
}

/** The cell text: the steps after the open that show something, joined. */
export function scenarioSummary(trace: TraceEntry[]): string {
  return trace
    .filter((e) => e.action === 'open' || e.outcome || e.restore === 'performed' || e.restore === 'skipped')
    .map(stepSummary)
    .join('; ');
}
