/**
 * Shared by the zPCI model tests: one catalogue compiled with the real C parser (tree-sitter-c
 * through csrc/cexpr.ts), and short ways to run a script and read its last observation.
 */
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import {
  FH_MASK_ENABLE,
  FH_SHM_VFIO,
  ZPCI_FS,
  ZpciCatalogue,
  decidingExplanation,
} from '../../../../server/src/model/zpci';
import type { ZpciState, ZpciTraceEntry, ZpciVersionId } from '../../../../server/src/model/zpci';

let catalogue: ZpciCatalogue | undefined;

export async function zpci(): Promise<ZpciCatalogue> {
  if (!catalogue) {
    await initCParser();
    catalogue = new ZpciCatalogue(parseCExpression);
  }
  return catalogue;
}

export function cat(): ZpciCatalogue {
  if (!catalogue) throw new Error('call `await zpci()` in a before() hook first');
  return catalogue;
}

/** The trace of a script (the all-unknowns-0 branch). */
export function trace(version: string, device: string, script: string, host?: string): ZpciTraceEntry[] {
  return cat().simulate(version, device, script, host)[0].trace;
}

/** The last step's observation. */
export function last(version: string, device: string, script: string, host?: string): ZpciTraceEntry {
  const t = trace(version, device, script, host);
  return t[t.length - 1];
}

/** The last step's observation, run from a given state (for states no step reaches). */
export function lastFrom(version: string, device: string, start: ZpciState, script: string): ZpciTraceEntry {
  const c = cat();
  const system = c.zpciSystemFor(version, device);
  const t = system.run(c.steps(script), start)[0].trace;
  return t[t.length - 1];
}

/** "pcistb/length" of the check that decided, or "-". */
export function decidedBy(o: ZpciTraceEntry): string {
  return decidingExplanation(o)?.node ?? '-';
}

/** A short form of an outcome for table rows: "pgm:PGM_OPERAND", "cc:1/12", "accepted", ... */
export function outcome(o: ZpciTraceEntry): string {
  const x = o.outcome;
  switch (x.kind) {
    case 'program-interrupt':
      return `pgm:${x.pgm}`;
    case 'condition-code':
      return x.status === undefined ? `cc:${x.cc}` : `cc:${x.cc}/${x.status}`;
    case 'plug-refused':
      return `refused:${x.message}`;
    case 'plugged':
      return x.interpreted ? 'plugged:interpreted' : 'plugged:intercepted';
    case 'clp':
      return `clp:${x.response}`;
    case 'state':
      return `state:${x.key}`;
    default:
      return x.kind;
  }
}

/** Versions by the ranges the domain doc writes ("v2.3 - v2.5" is the v2.3 row, ...). */
export const ALL: ZpciVersionId[] = [
  'v2.3',
  'v2.6',
  'v2.7',
  'v2.8',
  'v2.9',
  'v2.12',
  'v5.2',
  'v6.0',
  'v7.2',
  'v8.0',
  'latest',
];
export const PRE_212: ZpciVersionId[] = ['v2.3', 'v2.6', 'v2.7', 'v2.8', 'v2.9'];
export const FROM_212: ZpciVersionId[] = ['v2.12', 'v5.2', 'v6.0', 'v7.2', 'v8.0', 'latest'];
export const FROM_52: ZpciVersionId[] = ['v5.2', 'v6.0', 'v7.2', 'v8.0', 'latest'];
export const FROM_60: ZpciVersionId[] = ['v6.0', 'v7.2', 'v8.0', 'latest'];

/** A plugged, enabled intercepted vfio function in PERMANENT_ERROR (a state no step reaches). */
export const permanentErrorState = (): ZpciState => ({
  plug: 'plugged',
  fs: ZPCI_FS.ZPCI_FS_PERMANENT_ERROR,
  fh: (FH_MASK_ENABLE | FH_SHM_VFIO | 1) >>> 0,
  blocked: false,
  interp: false,
  problemState: false,
});
