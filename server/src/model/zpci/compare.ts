/**
 * Comparing two QEMU versions on one zPCI device kind: their transition systems explored
 * together by core/explore.ts explorePair (the one breadth-first walk) over the zPCI alphabet;
 * every reported sequence is a shortest one to its difference, with both traces. Where a side
 * never gets its function plugged, the result says so: no difference there means no instruction
 * ever reached the function, not "no change".
 */
import { BoundedCache } from '../cache';
import type { WalkBudget, WalkStats } from '../core/explore';
import { dependencies, explorePair, reachable } from '../core/explore';
import type { Assumptions } from '../core/system';
import type { ZpciVersion } from './compile';
import { internalZpciObservation, visibleZpciObservation } from './format';
import type { CompiledHost } from './host';
import { UNPLUGGED } from './machine';
import { ZPCI_EXPLORATION_ALPHABET } from './steps';
import { zpciSystem } from './system';
import type { ZpciDeviceKind, ZpciStep, ZpciTraceEntry } from './types';

export const ZPCI_DEFAULT_DEPTH = 4;

export interface ZpciCompareOptions {
  depth?: number;
  /** Also report the same outcome decided by another check (the deciding check is compared). */
  internal?: boolean;
  alphabet?: readonly ZpciStep[];
  budget?: WalkBudget;
  /** The host of the second side when it differs (a host kernel patch: one QEMU version, two hosts). */
  hostAfter?: CompiledHost;
}

export interface ZpciDifference {
  device: string;
  host: string;
  steps: string[];
  before: ZpciTraceEntry[];
  after: ZpciTraceEntry[];
  /** Only the deciding check differs (internal comparisons). */
  internalOnly?: boolean;
  dependsOn?: string[];
  assumptions?: Assumptions;
}

export interface ZpciCompareResult {
  differences: ZpciDifference[];
  /** What the exploration could not reach (a plug refused on a side, a budget cut). */
  notes: string[];
  stats: WalkStats;
}

const cache = new BoundedCache<string, ZpciCompareResult>(256);

/** A note when a side never plugs its function within the depth (its plug refusal, if any). */
function unpluggedNote(
  label: string,
  version: ZpciVersion,
  device: ZpciDeviceKind,
  host: CompiledHost,
  depth: number,
  alphabet: readonly ZpciStep[],
): string | null {
  const system = zpciSystem(version, device, host);
  const walk = reachable(system, { depth, alphabet, maxStates: 64 });
  if (walk.states.some((s) => s.plug === 'plugged')) return null;
  const refused = walk.states.find((s) => s.refusedBecause)?.refusedBecause;
  return (
    `${device.id} is never plugged under ${version.spec.id} (the ${label} side)` +
    (refused ? ` (plug refused: "${refused}")` : '') +
    ': no PCILG, PCISTG or PCISTB reaches the function there, so their checks cannot show a difference'
  );
}

export function compareZpci(
  a: ZpciVersion,
  b: ZpciVersion,
  device: ZpciDeviceKind,
  host: CompiledHost,
  options: ZpciCompareOptions = {},
): ZpciCompareResult {
  const depth = options.depth ?? ZPCI_DEFAULT_DEPTH;
  const alphabet = options.alphabet ?? ZPCI_EXPLORATION_ALPHABET;
  const observe = options.internal ? internalZpciObservation : visibleZpciObservation;
  const hostB = options.hostAfter ?? host;
  const cacheKey = JSON.stringify([
    a.key,
    b.key,
    device.id,
    host.spec.id,
    hostB === host ? null : hostB.spec,
    depth,
    !!options.internal,
    alphabet.map((s) => s.text),
  ]);
  const cached = options.budget ? undefined : cache.get(cacheKey);
  if (cached) return cached;
  const sa = zpciSystem(a, device, host);
  const sb = zpciSystem(b, device, hostB);
  const walk = explorePair(sa, sb, { depth, alphabet, observe, budget: options.budget });
  const differences = walk.differences.map((found): ZpciDifference => {
    const d: ZpciDifference = {
      device: device.id,
      host: hostB === host ? host.spec.id : `${host.spec.id} -> ${hostB.spec.id}`,
      steps: found.steps.map((s) => s.text),
      before: sa.run(found.steps, UNPLUGGED, found.assumptions)[0].trace,
      after: sb.run(found.steps, UNPLUGGED, found.assumptions)[0].trace,
    };
    if (options.internal && visibleZpciObservation(found.before) === visibleZpciObservation(found.after))
      d.internalOnly = true;
    const dependsOn = dependencies(found.branches);
    if (dependsOn.length) d.dependsOn = dependsOn;
    if (Object.keys(found.assumptions).length) d.assumptions = { ...found.assumptions };
    return d;
  });
  const notes = [
    unpluggedNote('before', a, device, host, depth, alphabet),
    unpluggedNote('after', b, device, hostB, depth, alphabet),
  ].filter((n): n is string => n !== null);
  if (walk.stats.cut)
    notes.push(`exploration cut (${walk.stats.cut}) before depth ${depth}: not every sequence was compared`);
  const result = { differences, notes, stats: walk.stats };
  if (!options.budget) cache.set(cacheKey, result);
  return result;
}
