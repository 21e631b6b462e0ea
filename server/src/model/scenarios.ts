/**
 * Named step scripts: the behaviour matrix's scenarios (rows of SCENARIOS, run for every device
 * kind of their story under every policy, each cell summarised by what the user sees after the
 * open), and the presets the simulator offers (SIMULATOR_PRESETS).
 */
import { CLOSED_STATE } from './machine';
import { stepSummary } from './observation';
import type { Policy } from './policy';
import { parseSteps } from './steps';
import { policySystem } from './system';
import type { DeviceKind, Story, TraceEntry } from './types';

export interface Scenario {
  id: string;
  script: string;
  description: string;
  /** The story whose device kinds the matrix runs it on (default: the Command-register story). */
  story?: Story;
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
  {
    id: 'interrupt-pin',
    script: 'open; cfg-read PCI_INTERRUPT_PIN 1',
    description: 'Read the Interrupt Pin (bogus VF pins, no IRQ, IRQ_NOTCONNECTED, no INTx on s390).',
    story: 'config-space',
  },
  {
    id: 'capability-chain',
    script: 'open; cfg-walk',
    description: 'Walk the capability chains as a guest driver does (hidden and exposed capabilities).',
    story: 'config-space',
  },
  {
    id: 'devctl-readrq',
    script: 'open; cfg-write PCI_EXP_DEVCTL 2 0x5930; cfg-read PCI_EXP_DEVCTL 2',
    description:
      'Set Max_Read_Request_Size in PCIe Device Control (virtualized since 3.7-4.19: pcie_set_readrq).',
    story: 'config-space',
  },
  {
    id: 'pm-d3hot',
    script: 'open; set-power D3hot; cfg-read PCI_PM_CTRL 2',
    description: 'Write PowerState D3hot to PM_CTRL and read it back (trapped by vfio since 3.7-4.19).',
    story: 'config-space',
  },
];

/** A script the simulator offers by name (quick pick, panel). */
export interface Preset {
  name: string;
  script: string;
}

export const SIMULATOR_PRESETS: readonly Preset[] = [
  { name: 'Enable memory, read COMMAND, touch MMIO', script: 'open; write-cmd 0x0002; read-cmd; mmio-read' },
  { name: 'MMIO right after open', script: 'open; mmio-read' },
  { name: 'Disable memory, then MMIO', script: 'open; write-cmd 0x0002; write-cmd 0x0000; mmio-read' },
  {
    name: 'Backdoor reset, then re-enable (BAR restore)',
    script: 'open; write-cmd 0x0002; backdoor-reset; write-cmd 0x0002; mmio-read',
  },
  {
    name: 'mmap after disable (zap)',
    script: 'open; write-cmd 0x0002; mmap-touch; write-cmd 0x0000; mmap-touch',
  },
  { name: 'ioeventfd write with memory off', script: 'open; write-cmd 0x0000; ioeventfd-write' },
  { name: 'I/O port read', script: 'open; write-cmd 0x0001; ioport-read' },
  { name: 'D3hot and back', script: 'open; write-cmd 0x0002; d3hot; mmio-read; d0; mmio-read' },
  { name: 'Byte write of COMMAND', script: 'open; write-cmd-byte 0x04 0x02; read-cmd; mmio-read' },
  { name: 'Interrupt Pin and the capability chain', script: 'open; cfg-read PCI_INTERRUPT_PIN 1; cfg-walk' },
  {
    name: 'PCIe DEVCTL: MRRS and FLR',
    script:
      'open; cfg-write PCI_EXP_DEVCTL 2 0x5930; cfg-read PCI_EXP_DEVCTL 2; cfg-write PCI_EXP_DEVCTL 2 0xa930',
  },
  {
    name: 'PM: D3hot through PM_CTRL',
    script: 'open; set-power D3hot; cfg-read PCI_PM_CTRL 2; set-power D0',
  },
  { name: 'PCI core: PASID and PRI on the function', script: 'open; pci_enable_pasid; pci_enable_pri' },
];

export function runScenario(scenario: Scenario, policy: Policy, device: DeviceKind): TraceEntry[] {
  return policySystem(policy, device).run(parseSteps(scenario.script), CLOSED_STATE)[0].trace;
}

/** The cell text: the steps after the open that show something, joined. */
export function scenarioSummary(trace: TraceEntry[]): string {
  return trace
    .filter(
      (e) =>
        e.action === 'open' || e.config || e.outcome || e.restore === 'performed' || e.restore === 'skipped',
    )
    .map(stepSummary)
    .join('; ');
}
