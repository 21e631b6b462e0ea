/**
 * What CLP tells the guest about a function under two versions (or two hosts): the group's id,
 * maxstbl and fr bits and the function type, after the plug each side does. No step observes
 * these (a guest reads them with CLP Query PCI Function / Group), so a change of a trait like
 * "interpreted groups report imaxstbl" shows here and not in compareZpci's step sequences.
 */
import { functionGroup } from './clp';
import type { ZpciVersion } from './compile';
import type { CompiledHost } from './host';
import { zdevGroupInfo } from './host';
import { parseZpciSteps } from './steps';
import { zpciSystem } from './system';
import type { ZpciDeviceKind } from './types';

export interface ClpValues {
  plugged: boolean;
  interpreted: boolean;
  groupId: string;
  maxstbl: number;
  maxstblOrigin: string;
  fr: number;
  pft: number;
}

export interface ClpDifference {
  device: string;
  field: 'plugged' | 'interpreted' | 'groupId' | 'maxstbl' | 'fr' | 'pft';
  before: string;
  after: string;
  /** Where each side's value comes from. */
  why: string;
}

/** The CLP values a function gets under a version on a host, after `plug` (the all-unknowns-0 run). */
export function clpValues(version: ZpciVersion, device: ZpciDeviceKind, host: CompiledHost): ClpValues {
  const system = zpciSystem(version, device, host);
  const [run] = system.run(parseZpciSteps('plug'));
  const o = run.trace[0]?.outcome;
  const plugged = o?.kind === 'plugged';
  const interpreted = o?.kind === 'plugged' && o.interpreted;
  const g = functionGroup(version.spec.traits, device, zdevGroupInfo(host.spec, device), interpreted);
  return {
    plugged,
    interpreted,
    groupId: typeof g.id === 'number' ? `0x${g.id.toString(16)}` : g.id,
    maxstbl: g.clpMaxstbl,
    maxstblOrigin: g.clpOrigin,
    fr: g.fr,
    pft: g.clpPft,
  };
}

export function clpDifferences(
  a: ZpciVersion,
  b: ZpciVersion,
  device: ZpciDeviceKind,
  host: CompiledHost,
  hostAfter: CompiledHost = host,
): ClpDifference[] {
  const x = clpValues(a, device, host);
  const y = clpValues(b, device, hostAfter);
  const out: ClpDifference[] = [];
  const fields: ClpDifference['field'][] = ['plugged', 'interpreted', 'groupId', 'maxstbl', 'fr', 'pft'];
  for (const f of fields) {
    if (x[f] === y[f]) continue;
    out.push({
      device: device.id,
      field: f,
      before: String(x[f]),
      after: String(y[f]),
      why: f === 'maxstbl' ? `${x.maxstblOrigin} -> ${y.maxstblOrigin}` : `after plug on ${host.spec.id}`,
    });
  }
  return out;
}
