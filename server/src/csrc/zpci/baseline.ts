/**
 * Which QEMU version (or host kernel) a patch applies to, from what its pre-images show: every
 * recognised item of the pre-images is evidence a version matches exactly, has with other C text
 * (alignable), or lacks altogether. The version lacking the fewest, then matching the most,
 * wins; among equals the last release before the patch's date (without one: the newest), and a
 * proposal only when it alone fits best. The evidence says how it was chosen.
 */
import {
  HOST_KERNELS,
  ZPCI_VERSION_SPECS,
  type HostKernelSpec,
  type ZpciInstruction,
  type ZpciVersionSpec,
} from '../../model/zpci';
import type { Evidence } from './functionChanges';
import type { HostEvidence } from './kernel';
import { knownNodes, nameFromVersions } from './known';
import { outcomeKey } from './outcome';
import { exprForm } from './cForm';
import type { BaselineCandidate, BaselineDetection } from './types';
import { type Unit, unitText } from './units';

/**
 * Dates of the modelled versions: the release tags; `latest` is the stored qemu/qemu snapshot's
 * late-2024 state (approximate); proposals have none.
 */
export const RELEASE_DATES: Readonly<Record<string, string>> = {
  'v2.3': '2015-04-24',
  'v2.6': '2016-05-11',
  'v2.7': '2016-09-02',
  'v2.8': '2016-12-20',
  'v2.9': '2017-04-20',
  'v2.12': '2018-04-24',
  'v5.2': '2020-12-08',
  'v6.0': '2021-04-29',
  'v7.2': '2022-12-14',
  'v8.0': '2023-04-19',
  latest: '2024-12-01',
  'host-v5.7': '2020-05-31',
  'host-v5.8': '2020-08-02',
  'host-v5.10': '2020-12-13',
  'host-v6.0': '2022-10-02',
  'host-v6.8': '2024-03-10',
  'host-v6.15': '2025-05-25',
};

/** A pre-image unit of an instruction as evidence. */
export function unitEvidence(fn: string, instruction: ZpciInstruction, u: Unit): Evidence {
  const kind = u.kind === 'decode' ? null : u.kind;
  const named = kind
    ? nameFromVersions(instruction, kind, u.form, u.kind === 'check' ? u.outcome : undefined)
    : undefined;
  return {
    fn,
    what: named ? `${instruction}/${named.id}` : unitText(u),
    verdict: (v) => {
      if (u.kind === 'decode')
        return exprForm(v.decode[instruction][u.field!]) === u.form ? 'match' : 'differs';
      const nodes = knownNodes(v, instruction);
      const exact = nodes.some(
        (n) =>
          n.kind === u.kind &&
          n.form === u.form &&
          (u.kind !== 'check' || !u.outcome || outcomeKey(n.outcome) === outcomeKey(u.outcome)) &&
          (n.guard ? exprForm(n.guard) : '') === (u.guard ? exprForm(u.guard) : ''),
      );
      if (exact) return 'match';
      return named && nodes.some((n) => n.id === named.id) ? 'differs' : 'lacks';
    },
  };
}

interface Scored<T> {
  spec: T;
  c: BaselineCandidate;
}

function choose<T extends { id: string; proposal?: boolean }>(
  candidates: readonly T[],
  score: (s: T) => BaselineCandidate,
  date: string | undefined,
): { best: Scored<T>; tied: Scored<T>[]; all: Scored<T>[] } {
  const all = candidates.map((spec) => ({ spec, c: score(spec) }));
  const better = (a: BaselineCandidate, b: BaselineCandidate) =>
    a.lacks !== b.lacks ? a.lacks < b.lacks : a.matches > b.matches;
  const same = (a: BaselineCandidate, b: BaselineCandidate) => a.lacks === b.lacks && a.matches === b.matches;
  let top = all[0];
  for (const x of all) if (better(x.c, top.c)) top = x;
  let tied = all.filter((x) => same(x.c, top.c));
  if (tied.some((x) => !x.spec.proposal)) tied = tied.filter((x) => !x.spec.proposal);
  const when = date ? Date.parse(date) : NaN;
  let best = tied[tied.length - 1];
  const dated = tied.filter((x) => RELEASE_DATES[x.spec.id]);
  if (!Number.isNaN(when) && dated.length) {
    // The release nearest the patch's date: the one it was written on, or the one it was written for.
    const distance = (x: Scored<T>) => Math.abs(Date.parse(RELEASE_DATES[x.spec.id]) - when);
    best = dated.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  }
  return { best, tied, all };
}

function describe(
  id: string,
  evidence: readonly { fn?: string; what: string; verdict: (v: never) => string }[],
  spec: unknown,
): string[] {
  const byFn = new Map<string, { n: number; match: string[]; off: string[] }>();
  for (const e of evidence) {
    const fn = e.fn || 'the headers';
    const row = byFn.get(fn) ?? { n: 0, match: [], off: [] };
    const v = e.verdict(spec as never);
    row.n++;
    if (v === 'match') row.match.push(e.what);
    else row.off.push(`${e.what} ${v === 'lacks' ? `(${id} lacks it)` : `(${id} writes it otherwise)`}`);
    byFn.set(fn, row);
  }
  const list = (xs: string[]) =>
    xs.slice(0, 5).join('; ') + (xs.length > 5 ? `; and ${xs.length - 5} more` : '');
  return [...byFn.entries()].map(
    ([fn, r]) =>
      `pre-images match ${id} at ${r.match.length} of ${r.n} items of ${fn}` +
      (r.match.length ? ` (${list(r.match)})` : '') +
      (r.off.length ? `; ${list(r.off)}` : ''),
  );
}

interface Detectable {
  id: string;
  proposal?: boolean;
}

/** One detection over candidates: the given one (by id or spec), else the best fit, with the evidence. */
function detect<T extends Detectable>(
  what: string,
  candidates: readonly T[],
  evidence: readonly { fn?: string; what: string; verdict: (v: T) => 'match' | 'differs' | 'lacks' }[],
  options: { given?: string | T; date?: string },
  nothing: string,
): { spec: T; detection: BaselineDetection; problem?: string } {
  const score = (v: T): BaselineCandidate => {
    const c = { id: v.id, matches: 0, differs: 0, lacks: 0 };
    for (const e of evidence) {
      const r = e.verdict(v);
      if (r === 'match') c.matches++;
      else if (r === 'differs') c.differs++;
      else c.lacks++;
    }
    return c;
  };
  const given =
    typeof options.given === 'string' ? candidates.find((v) => v.id === options.given) : options.given;
  if (given)
    return {
      spec: given,
      detection: {
        id: given.id,
        given: true,
        evidence: describe(given.id, evidence, given),
        tiedWith: [],
        candidates: [score(given)],
      },
    };
  const { best, tied, all } = choose(candidates, score, evidence.length ? options.date : undefined);
  const lines = evidence.length ? describe(best.spec.id, evidence, best.spec) : [nothing];
  if (tied.length > 1)
    lines.push(
      `${tied.map((t) => t.spec.id).join(', ')} fit equally well; chose ${best.spec.id}` +
        (options.date && evidence.length
          ? ` (the release nearest the patch's date, ${options.date})`
          : ' (the newest)'),
    );
  return {
    spec: best.spec,
    detection: {
      id: best.spec.id,
      evidence: lines,
      tiedWith: tied.filter((t) => t !== best).map((t) => t.spec.id),
      candidates: all.map((x) => x.c),
    },
    ...(typeof options.given === 'string'
      ? {
          problem:
            `unknown ${what} "${options.given}"; known: ${candidates.map((v) => v.id).join(', ')}; ` +
            `detected ${best.spec.id} instead`,
        }
      : {}),
  };
}

export function detectBaseline(
  evidence: readonly Evidence[],
  options: { given?: string | ZpciVersionSpec; date?: string },
): { spec: ZpciVersionSpec; detection: BaselineDetection; problem?: string } {
  return detect(
    'QEMU version',
    ZPCI_VERSION_SPECS,
    evidence,
    options,
    'the pre-images show nothing the model reads: no evidence for any version',
  );
}

export function detectHost(
  evidence: readonly HostEvidence[],
  options: { given?: string | HostKernelSpec; date?: string },
): { spec: HostKernelSpec; detection: BaselineDetection; problem?: string } {
  return detect(
    'host kernel',
    HOST_KERNELS,
    evidence.map((e) => ({
      ...e,
      verdict: (h: HostKernelSpec): 'match' | 'lacks' => (e.verdict(h) === 'match' ? 'match' : 'lacks'),
    })),
    options,
    'the kernel pre-images show nothing the host model reads',
  );
}
