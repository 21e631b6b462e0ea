/**
 * Which config variant a patch applies to: every fact of the pre-images (and, at half weight,
 * every slot the post-images add where the pre-images show nothing: the tree lacked it) is
 * compared with each variant's row, entry, table slot or decision; the best-scoring releases are
 * the candidates, and the kernel line the mail names chooses among them (the latest not after
 * it; without a line, the newest). The result lists the evidence with the variants each fact
 * matches.
 */
import {
  CONFIG_VARIANTS,
  commandSpec,
  tableDefault,
  type CapPerms,
  type ConfigVariantSpec,
} from '../../model/vfio/config';
import { slotKey, slotName } from './changes';
import type { KernelLineReading } from './kernelLine';
import type { ConfigPatchReading } from './read';
import type { ChangePlace, ConfigFact } from './types';
import { canonical, constantOf, resolveExpr, sameValue } from './values';
import { parseCExpression } from '../cexpr';

export interface BaselineEvidence {
  fact: string;
  place: ChangePlace;
  /** 1: the pre-image shows it; 0.5: the post-image adds it where the pre-image shows nothing. */
  weight: number;
  matches: string[];
  differs: string[];
}

export interface ConfigBaseline {
  variant: string;
  candidates: string[];
  scores: Record<string, number>;
  evidence: BaselineEvidence[];
  line?: KernelLineReading;
  decidedBy: 'pre-images' | 'pre-images and kernel line' | 'kernel line' | 'default';
  explanation: string;
}

/** v5.8-rc1 -> 5.0079..., mainline -> Infinity; proposals have no place on the line. */
export function variantVersion(id: string): number | undefined {
  if (id === 'mainline') return Infinity;
  const m = /^v(\d+)\.(\d+)(?:-rc(\d+))?$/.exec(id);
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Number(m[2]) - (m[3] ? 1 - Number(m[3]) / 100 : 0);
}

const lineVersion = (line: string) => {
  const [a, b] = line.split('.').map(Number);
  return a * 1000 + b;
};

const entryOf = (v: ConfigVariantSpec, cap: string): CapPerms =>
  v.perms.find((p) => p.cap === cap) ?? tableDefault(cap);

/** A size as the variant reads it: `pci_cap_length[PCI_CAP_ID_PM]` is that variant's table entry. */
function sizeIn(v: ConfigVariantSpec, text: string | null): number | undefined {
  if (text === null) return undefined;
  const m = /^pci_(ext_)?cap_length\[(\w+)\]$/.exec(text.replace(/\s+/g, ''));
  if (!m) return constantOf(text);
  const id = constantOf(m[2]);
  const entry = id === undefined ? undefined : (m[1] ? v.ecapLengths : v.capLengths)[id];
  return entry === undefined ? 0 : constantOf(entry);
}

/** Whether a variant holds what the fact shows (undefined: the fact says nothing the variant has). */
function holds(v: ConfigVariantSpec, f: ConfigFact, value: string | null): boolean | undefined {
  const s = f.slot;
  const eq = (a: string | null | undefined, b: string | null) => {
    if ((a ?? null) === null || b === null) return (a ?? null) === b;
    return sameValue(a!, b).same;
  };
  switch (s.kind) {
    case 'decision':
      return eq(v.decisions[s.decision], value);
    case 'command':
      return eq(commandSpec(v).decisions[s.decision], value);
    case 'length': {
      const table = s.space === 'ext' ? v.ecapLengths : v.capLengths;
      const have = table[s.id] === undefined ? 0 : constantOf(table[s.id]);
      const want = value === null ? 0 : constantOf(value);
      return want === undefined ? undefined : have === want;
    }
    case 'perm-entry': {
      const e = entryOf(v, s.cap);
      if (s.field === 'alloc')
        return value === null ? e.alloc === null : sizeIn(v, value) === sizeIn(v, e.alloc);
      return (e[s.field] ?? null) === value;
    }
    case 'perm-row': {
      const e = entryOf(v, s.cap);
      const whenKey = (w: string | undefined) => (w ? canonical(resolveExpr(parseCExpression(w))) : '');
      const want = s.when === 'outside' ? undefined : whenKey(s.when ?? undefined);
      const row = e.rows.find(
        (r) =>
          r.width === s.width &&
          constantOf(r.offset) === s.offset &&
          (want === undefined || whenKey(r.when) === want),
      );
      if (value === null || !f.row) return !row;
      if (!row) return false;
      return (
        constantOf(row.virt) === constantOf(f.row.virt) && constantOf(row.write) === constantOf(f.row.write)
      );
    }
    case 'built-in':
      return undefined;
  }
}

/**
 * The most facts the baseline is read from, in document order: a patch shows its tree in its first
 * hunks, and every fact is compared with every variant (6,000 hunks: 2.4 s of comparisons).
 */
export const MAX_BASELINE_EVIDENCE = 512;

export function detectConfigBaseline(
  reading: ConfigPatchReading,
  line?: KernelLineReading,
  variants: readonly ConfigVariantSpec[] = CONFIG_VARIANTS,
): ConfigBaseline {
  const seen: { fact: ConfigFact; value: string | null; weight: number; place: ChangePlace }[] = [];
  const preKeys = new Set(
    reading.sides.filter((s) => s.side === 'pre').flatMap((s) => s.facts.map((f) => slotKey(f.slot))),
  );
  let more = 0;
  for (const s of reading.sides) {
    for (const f of s.facts) {
      if (f.problem || f.slot.kind === 'built-in') continue;
      if (seen.length >= MAX_BASELINE_EVIDENCE) {
        more++;
        continue;
      }
      const place = { hunk: s.hunk, side: s.side, lines: f.lines };
      if (s.side === 'pre') seen.push({ fact: f, value: f.value, weight: 1, place });
      else if (!preKeys.has(slotKey(f.slot)) && f.lines.some((i) => s.image[i]?.changed))
        seen.push({ fact: f, value: null, weight: 0.5, place });
    }
  }
  const scores: Record<string, number> = {};
  const evidence: BaselineEvidence[] = seen.map(({ fact, value, weight, place }) => {
    const matches: string[] = [];
    const differs: string[] = [];
    for (const v of variants) {
      const h = holds(v, fact, value);
      if (h === undefined) continue;
      (h ? matches : differs).push(v.id);
      scores[v.id] = (scores[v.id] ?? 0) + (h ? weight : -weight);
    }
    const shown =
      weight === 1 ? fact.what : `${slotName(fact.slot, fact)} absent (the post-image adds ${fact.what})`;
    return { fact: shown, place, weight, matches, differs };
  });
  for (const v of variants) scores[v.id] ??= 0;
  const releases = variants.filter((v) => v.status === 'release');
  const best = (vs: readonly ConfigVariantSpec[]) => Math.max(...vs.map((v) => scores[v.id]));
  const bestRelease = best(releases);
  const proposals = variants.filter((v) => v.status === 'proposal' && scores[v.id] > bestRelease);
  const pool = proposals.length
    ? proposals.filter((v) => scores[v.id] === best(proposals))
    : releases.filter((v) => scores[v.id] === bestRelease);
  const candidates = pool.map((v) => v.id);
  const informative = evidence.length > 0;
  const dated = candidates.filter((id) => variantVersion(id) !== undefined);
  let variant = candidates[candidates.length - 1];
  let how = informative
    ? `pre-images match ${candidates.join(', ')} best (score ${scores[variant]}` +
      (more ? `, from the first ${MAX_BASELINE_EVIDENCE} facts of ${MAX_BASELINE_EVIDENCE + more})` : ')')
    : 'no config-space fact in the pre-images';
  const cap = line?.line ? lineVersion(line.line) : undefined;
  const below = line?.before ? variantVersion(line.before) : undefined;
  const floor = line?.atLeast ? variantVersion(line.atLeast) : undefined;
  const fit = dated.filter(
    (id) =>
      (cap === undefined || variantVersion(id)! <= cap) &&
      (below === undefined || variantVersion(id)! < below) &&
      (floor === undefined || variantVersion(id)! >= floor),
  );
  let decidedBy: ConfigBaseline['decidedBy'] = informative ? 'pre-images' : 'default';
  if (line && line.decidedBy !== 'none' && dated.length) {
    variant = fit.length ? fit[fit.length - 1] : dated[0];
    decidedBy = informative ? 'pre-images and kernel line' : 'kernel line';
    const said = line.line
      ? `the mail targets ${line.line}`
      : line.before
        ? `the tree is older than ${line.before}`
        : `the tree has ${line.atLeast}`;
    how += fit.length
      ? `; ${said}: ${variant} is the latest of them that fits`
      : `; ${said}, which none of them fits: took the earliest, ${variant}`;
  } else if (candidates.length > 1) how += `; took the newest, ${variant}`;
  return { variant, candidates, scores, evidence, line, decidedBy, explanation: `${variant}: ${how}` };
}
