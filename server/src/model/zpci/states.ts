/**
 * The zPCI state diagram: the states one function reaches under one version (breadth first, the
 * one walk of core/explore.ts), each with a canonical id (the same state has the same id under
 * every version) and a short label.
 */
import { reachable } from '../core/explore';
import { ZPCI_FS, constantName } from './constants';
import type { ZpciState } from './scope';
import type { ZpciSystem } from './system';
import type { ZpciObservation, ZpciStep } from './types';

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** "plugged ZPCI_FS_ENABLED fh 0x80010001 intercepted"; the label drops the prefix and the zeros. */
export function zpciStateLabel(s: ZpciState): { id: string; label: string } {
  if (s.plug !== 'plugged') {
    const id = `${s.plug}${s.problemState ? ' problem-state' : ''}`;
    return { id, label: s.plug === 'refused' ? 'plug refused' : id };
  }
  const fs = constantName(ZPCI_FS, s.fs) ?? String(s.fs);
  const flags = [
    s.interp ? 'interpreted' : 'intercepted',
    s.blocked ? 'blocked' : '',
    s.problemState ? 'problem-state' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    id: `plugged ${fs} fh ${hex(s.fh)} ${flags}`,
    label: `${fs.replace(/^ZPCI_FS_/, '')} fh ${(s.fh >>> 0).toString(16)}${s.interp ? ' (interp)' : ''}${s.blocked ? ' blocked' : ''}`,
  };
}

export function reachableZpci(
  system: ZpciSystem,
  options: { depth: number; alphabet: readonly ZpciStep[]; maxStates: number },
): {
  states: ZpciState[];
  edges: { from: ZpciState; to: ZpciState; step: ZpciStep; observation: ZpciObservation }[];
  truncated: boolean;
} {
  const walk = reachable(system, { ...options, nodeKey: (s) => zpciStateLabel(s).id });
  return { states: walk.states, edges: walk.edges, truncated: walk.frontier || walk.stats.cut !== undefined };
}
