/**
 * The entry point: a patch's hunks as images in, the zPCI changes out. Each hunk side of a file
 * the reader covers is read into items (reader.ts); the items are grouped by the function they
 * are in; the baseline QEMU version (and host kernel) is detected from the pre-images; each
 * function's role (an instruction body, the plug, CLP, the PCI group, a function the model
 * computes, a header, a kernel file, or none) says how its changes are placed; and the edits of
 * all changes turn the baseline into the post-image's version (applyZpciEdits/applyHostEdits).
 */
import {
  DEFAULT_HOST,
  HOST_KERNELS,
  applyHostEdits,
  applyZpciEdits,
  checkIndex,
  type ZpciInstruction,
  type HostEdit,
  type HostKernelSpec,
  type ZpciEdit,
  type ZpciVersionSpec,
} from '../../model/zpci';
import { detectBaseline, detectHost, unitEvidence } from './baseline';
import { placeInstruction } from './bodyPlace';
import {
  type Evidence,
  type RoleReading,
  baseChanges,
  clpChanges,
  clpEvidence,
  groupChanges,
  groupEvidence,
  headerChanges,
  modelFunctionChanges,
  plugChanges,
  plugEvidence,
  unmodelledChanges,
} from './functionChanges';
import { hostEvidence, kernelChanges } from './kernel';
import { type ReadItem, readImage } from './reader';
import { MODEL_LOCALS, MODEL_LOCAL_CALLS, fileKind, functionRole } from './roles';
import { type FunctionSides, type SideItem, leftovers, placeOf } from './sides';
import type { BaselineDrift, ZpciChange, ZpciHunkImages, ZpciLint, ZpciReading } from './types';
import { type HunkItems, unitsOf } from './units';

export interface RecogniseOptions {
  /** The QEMU version the patch applies to (an id or a spec, e.g. the previous patch's `after`); detected when absent. */
  baseline?: string | ZpciVersionSpec;
  /** The host kernel (an id or a spec); detected from kernel pre-images when absent, else DEFAULT_HOST. */
  host?: string | HostKernelSpec;
  /** The patch's date (RFC 2822 or ISO): among equally fitting versions, the last release before it. */
  date?: string;
  /** Id and label of the derived version (default: "<baseline>+patch"). */
  name?: { id: string; label: string };
}

/** At most this many hunks are read; the rest is reported as a problem. */
export const MAX_HUNKS = 2000;

interface Read {
  hunk: number;
  file: string;
  pre: ReadItem[];
  post: ReadItem[];
}

/** `SYSCALL_DEFINE3(s390_pci_mmio_write, unsigned long, ...` defines s390_pci_mmio_write. */
function syscallName(heading: string | undefined): string | undefined {
  return heading ? /SYSCALL_DEFINE\d\s*\(\s*([A-Za-z_]\w*)/.exec(heading)?.[1] : undefined;
}

/** What an assignment or call in an instruction body is, when it changes nothing the model reads. */
function instructionNeutral(item: ReadItem): string | null {
  if (item.kind === 'assign') {
    const base = item.target.replace(/\[.*$/, '');
    if (MODEL_LOCALS.has(base) && !/\(/.test(item.value))
      return `${item.target}: a local the model defines itself`;
    if (base === 'pbdev' && [...MODEL_LOCAL_CALLS].some((c) => item.value.startsWith(c)))
      return 'pbdev: the function the handle names (the model looks it up itself)';
    if (base === 'env->regs') return 'the result register (the data a load returns is not modelled)';
  }
  if (item.kind === 'call') {
    if (item.callee === 'setcc' && /ZPCI_PCI_LS_OK/.test(item.args[1] ?? ''))
      return 'the success path (cc 0)';
    if (/^(s390_program_interrupt|program_interrupt|setcc|s390_set_status_code)$/.test(item.callee))
      return "an outcome statement of a label's code (the gotos to it carry it)";
    if (item.callee === 'zpci_endian_swap')
      return 'the byte swap of the data (the model does not model data)';
  }
  return null;
}

/** A patch's hunks read and grouped by file and function. */
export interface ReadPatch {
  groups: Map<string, FunctionSides>;
  problems: string[];
  read: Set<string>;
  outside: Set<string>;
  newFiles: string[];
}

export function readPatch(hunks: readonly ZpciHunkImages[]): ReadPatch {
  const problems: string[] = [];
  const reads: Read[] = [];
  const outside = new Set<string>();
  const read = new Set<string>();
  const carry = new Map<string, { pre: string; post: string }>();
  const newFiles: string[] = [];
  const lastFn = new Map<string, string>();
  hunks.slice(0, MAX_HUNKS).forEach((given, hunk) => {
    // A heading that names no function (a label, `retry:`): the function the previous hunk of the file ended in.
    const labelOnly = given.heading === undefined || /^\s*([A-Za-z_]\w*:)?\s*$/.test(given.heading);
    const inherited =
      !given.function && labelOnly && /\.c$/.test(given.file) ? lastFn.get(given.file) : undefined;
    const syscall =
      given.function && /^SYSCALL_DEFINE\d$/.test(given.function) ? syscallName(given.heading) : undefined;
    const h = inherited || syscall ? { ...given, function: inherited ?? syscall } : given;
    const kind = fileKind(h.file);
    if (kind === 'outside') {
      outside.add(h.file);
      return;
    }
    read.add(h.file);
    if (!h.pre.length && h.post.length) newFiles.push(h.file);
    const key = `${h.file}\u0000${h.function ?? ''}`;
    const c = carry.get(key) ?? { pre: '', post: '' };
    try {
      const pre = readImage(h.pre, h.file, h.function, c.pre);
      const post = readImage(h.post, h.file, h.function, c.post);
      carry.set(key, { pre: pre.openSwitch, post: post.openSwitch });
      reads.push({ hunk, file: h.file, pre: pre.items, post: post.items });
      const end = [...post.items].reverse().find((it) => it.fn);
      if (end) lastFn.set(h.file, end.fn);
    } catch (e) {
      problems.push(`hunk ${hunk} of ${h.file}: could not be read (${(e as Error).message})`);
    }
  });
  if (hunks.length > MAX_HUNKS)
    problems.push(`only the first ${MAX_HUNKS} of ${hunks.length} hunks were read`);

  // Group the items by file and function (headers and kernel files: by file).
  const groups = new Map<string, FunctionSides>();
  const byHunk = new Map<number, Read>();
  for (const r of reads) byHunk.set(r.hunk, r);
  const hunkItems = (side: 'pre' | 'post', hunk: number) => byHunk.get(hunk)?.[side] ?? [];
  for (const r of reads) {
    const kind = fileKind(r.file);
    const byFile = kind !== 'qemu-c';
    for (const side of ['pre', 'post'] as const)
      r[side].forEach((item, itemIndex) => {
        const fn = byFile ? '' : item.fn;
        const key = `${r.file}\u0000${fn}`;
        let g = groups.get(key);
        if (!g) {
          g = { file: r.file, fn, pre: [], post: [], hunkItems };
          groups.set(key, g);
        }
        g[side].push({ hunk: r.hunk, itemIndex, item });
      });
  }
  return { groups, problems, read, outside, newFiles };
}

/** What each group's pre-images say about the QEMU version, and the kernel pre-images. */
export function patchEvidence(p: ReadPatch): { byGroup: Map<string, Evidence[]>; kernelPre: SideItem[] } {
  const byGroup = new Map<string, Evidence[]>();
  const kernelPre: SideItem[] = [];
  for (const [key, g] of p.groups) {
    const kind = fileKind(g.file);
    if (kind === 'kernel-zdev' || kind === 'kernel-mmio') {
      kernelPre.push(...g.pre);
      continue;
    }
    if (kind !== 'qemu-c') continue;
    const role = functionRole(g.fn);
    const evidence: Evidence[] = [];
    if (role.role === 'instruction') {
      const units = unitsOf(toHunkItems(g, 'pre'), role.instruction).units;
      evidence.push(...units.map((u) => unitEvidence(g.fn, role.instruction, u)));
    } else if (role.role === 'plug') evidence.push(...plugEvidence(g));
    else if (role.role === 'clp') evidence.push(...clpEvidence(g));
    else if (role.role === 'group') evidence.push(...groupEvidence(g));
    if (evidence.length) byGroup.set(key, evidence);
  }
  return { byGroup, kernelPre };
}

export function recogniseZpciChanges(
  hunks: readonly ZpciHunkImages[],
  options: RecogniseOptions = {},
): ZpciReading {
  return recogniseRead(readPatch(hunks), options);
}

function recogniseRead(p: ReadPatch, options: RecogniseOptions): ZpciReading {
  const { groups, read, outside, newFiles } = p;
  const problems = [...p.problems];
  const ev = patchEvidence(p);
  const evidence = [...ev.byGroup.values()].flat();
  const kernelPre = ev.kernelPre;
  const base = detectBaseline(evidence, {
    ...(options.baseline ? { given: options.baseline } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  if (base.problem) problems.push(base.problem);
  const baseline = base.spec;

  // Changes, per group.
  const changes: ZpciChange[] = [];
  const drift: BaselineDrift[] = [];
  const driftEdits: ZpciEdit[] = [];
  const hostEdits: HostEdit[] = [];
  const ordered: ZpciEdit[] = [];
  const allPost = [...groups.values()].flatMap((g) => g.post);
  const kernelGroups = [...groups.values()].filter((g) =>
    ['kernel-zdev', 'kernel-mmio'].includes(fileKind(g.file)),
  );
  let host: ZpciReading['host'];
  if (kernelGroups.length || options.host) {
    const detected = kernelGroups.length
      ? detectHost(hostEvidence(kernelPre, newFiles), {
          ...(options.host ? { given: options.host } : {}),
          ...(options.date ? { date: options.date } : {}),
        })
      : detectHost([], { given: options.host ?? DEFAULT_HOST });
    if (detected.problem) problems.push(detected.problem);
    for (const g of kernelGroups) {
      const k = kernelChanges(g, detected.spec);
      changes.push(...k.changes);
      hostEdits.push(...k.edits);
    }
    const after = applyHostEdits(detected.spec, hostEdits, {
      id: `${detected.spec.id}+patch`,
      label: `${detected.spec.label} with the patch`,
    });
    problems.push(...after.problems);
    host = { baseline: detected.detection, before: detected.spec, after: after.spec };
  }
  for (const g of groups.values()) {
    const kind = fileKind(g.file);
    let r: RoleReading | null = null;
    if (kind === 'qemu-header' || kind === 'kernel-uapi') r = headerChanges(g, allPost);
    else if (kind !== 'qemu-c') continue;
    else {
      const role = functionRole(g.fn);
      switch (role.role) {
        case 'instruction': {
          const pre = unitsOf(toHunkItems(g, 'pre'), role.instruction);
          const post = unitsOf(toHunkItems(g, 'post'), role.instruction);
          const placed = placeInstruction({
            instruction: role.instruction,
            fn: g.fn,
            file: g.file,
            pre,
            post,
            baseline,
            functionStartsIn: new Set(g.post.filter((s) => s.item.kind === 'function').map((s) => s.hunk)),
            placeOf: (hunk, preLines, postLines) => ({
              hunk,
              file: g.file,
              function: g.fn,
              preLines,
              postLines,
            }),
          });
          // Statements inside a unit's lines (a switch's passing cases) belong to that unit.
          const inUnit = (side: 'pre' | 'post', s: SideItem) => {
            const units = (side === 'pre' ? pre : post).units.filter((u) => u.hunk === s.hunk);
            return (
              s.item.lines.length > 0 && s.item.lines.every((l) => units.some((u) => u.lines.includes(l)))
            );
          };
          const rest = {
            pre: pre.others.filter((s) => !inUnit('pre', s)),
            post: post.others.filter((s) => !inUnit('post', s)),
          };
          const neutral = (s: SideItem) => instructionNeutral(s.item);
          const named: ZpciChange[] = [];
          for (const side of ['pre', 'post'] as const)
            for (const s of rest[side]) {
              const why = s.item.touched ? neutral(s) : null;
              if (!why) continue;
              named.push({
                place: placeOf(g, side === 'pre' ? [s] : [], side === 'post' ? [s] : []),
                target: { kind: 'none', reason: why },
                key: `${g.fn}: ${why.split(':')[0]}`,
                change: 'none',
                message: `${g.fn}: ${s.item.text.slice(0, 60)}: ${why}`,
                edits: [],
              });
            }
          r = {
            changes: [
              ...placed.changes,
              ...named,
              ...leftovers(
                g,
                {
                  pre: rest.pre.filter((s) => !neutral(s)),
                  post: rest.post.filter((s) => !neutral(s)),
                },
                'statements of the instruction the model does not read',
              ),
            ],
            edits: placed.edits,
            drift: placed.drift,
            driftEdits: placed.driftEdits,
          };
          break;
        }
        case 'plug':
          r = plugChanges(g, baseline);
          break;
        case 'clp':
          r = clpChanges(g, baseline);
          break;
        case 'group':
          r = groupChanges(g, baseline);
          break;
        case 'base':
          r = baseChanges(g);
          break;
        case 'model-function':
          r = modelFunctionChanges(g, role);
          break;
        default:
          r = unmodelledChanges(g);
      }
    }
    changes.push(...r.changes);
    ordered.push(...(r.edits ?? r.changes.flatMap((c) => c.edits)));
    drift.push(...r.drift);
    driftEdits.push(...r.driftEdits);
  }
  changes.sort((a, b) => a.place.hunk - b.place.hunk || first(a) - first(b));

  const before = driftEdits.length
    ? applyZpciEdits(baseline, driftEdits, {
        id: `${baseline.id}+pre-image`,
        label: `${baseline.label}, as the pre-images write it`,
      })
    : { spec: baseline, problems: [] };
  problems.push(...before.problems.map((p) => `aligning ${baseline.id} with the pre-images: ${p}`));
  const name = options.name ?? { id: `${baseline.id}+patch`, label: `${baseline.label} with the patch` };
  const after = applyZpciEdits(before.spec, ordered, {
    ...name,
    description: `${baseline.description} Then the patch: ${summary(changes)}`,
  });
  problems.push(...after.problems);
  for (const c of changes) {
    if (c.change !== 'moved' || c.target.kind !== 'node') continue;
    const past = movedPast(before.spec, after.spec, c.target.instruction, c.target.id);
    if (past.length) c.movedPast = past;
    else delete c.movedPast;
  }
  const lints: ZpciLint[] = [];
  changes.forEach((c, i) => {
    if (c.movedPast?.length)
      lints.push({
        code: 'check-reordered',
        change: i,
        message: `${c.key} now on the other side of ${c.movedPast.join(', ')}: a guest that fails both gets the other check's outcome (order decides which exception it sees)`,
      });
  });
  return {
    changes,
    lints,
    baseline: base.detection,
    drift,
    before: before.spec,
    after: after.spec,
    ...(host ? { host } : {}),
    problems,
    files: { read: [...read], outside: [...outside] },
  };
}

/** A group's items of one side as the unit builder takes them: each hunk's whole list, and which are the group's. */
function toHunkItems(g: FunctionSides, side: 'pre' | 'post'): HunkItems[] {
  const out = new Map<number, HunkItems & { only: Set<number> }>();
  for (const s of g[side]) {
    let h = out.get(s.hunk);
    if (!h) {
      h = { hunk: s.hunk, items: g.hunkItems(side, s.hunk), only: new Set() };
      out.set(s.hunk, h);
    }
    h.only!.add(s.itemIndex);
  }
  return [...out.values()];
}

/** The checks of an instruction in body order (nested ones included). */
function checkOrder(spec: ZpciVersionSpec, instruction: ZpciInstruction): string[] {
  return checkIndex(spec)
    .filter((e) => e.instruction === instruction && e.kind === 'check')
    .map((e) => e.id);
}

/** The checks that were on one side of `id` in `before` and are on the other in `after`. */
function movedPast(
  before: ZpciVersionSpec,
  after: ZpciVersionSpec,
  instruction: ZpciInstruction,
  id: string,
): string[] {
  const a = checkOrder(before, instruction);
  const b = checkOrder(after, instruction);
  const ia = a.indexOf(id);
  const ib = b.indexOf(id);
  if (ia < 0 || ib < 0) return [];
  return a
    .filter((x) => x !== id && b.includes(x))
    .filter((x) => a.indexOf(x) < ia !== b.indexOf(x) < ib)
    .map((x) => `${instruction}/${x}`);
}

const first = (c: ZpciChange) => Math.min(...c.place.postLines, ...c.place.preLines, 1e9);

function summary(changes: readonly ZpciChange[]): string {
  const keys = [...new Set(changes.filter((c) => c.edits.length).map((c) => c.key))];
  return keys.length ? keys.join(', ') : 'no modelled change';
}

export { HOST_KERNELS };

export interface SeriesPatch {
  hunks: readonly ZpciHunkImages[];
  date?: string;
}

export interface SeriesReading {
  /** The version the series applies to, from each function's pre-images in the first patch touching it. */
  baseline: ZpciReading['baseline'];
  /** One reading per patch; each starts from the previous one's `after`. */
  patches: ZpciReading[];
}

/**
 * A series, patch by patch: the baseline from the earliest pre-image of every function (a later
 * patch's pre-images already hold the earlier patches), then each patch read on the version the
 * previous one left (its `after`), so a check the series changes twice is changed twice.
 */
export function recogniseZpciSeries(
  patches: readonly SeriesPatch[],
  options: RecogniseOptions = {},
): SeriesReading {
  const reads = patches.map((x) => readPatch(x.hunks));
  const first = new Map<string, Evidence[]>();
  for (const r of reads)
    for (const [key, e] of patchEvidence(r).byGroup) if (!first.has(key)) first.set(key, e);
  const date = patches.find((x) => x.date)?.date;
  const base = detectBaseline([...first.values()].flat(), {
    ...(options.baseline ? { given: options.baseline } : {}),
    ...(date ? { date } : {}),
  });
  const out: ZpciReading[] = [];
  let spec: ZpciVersionSpec = base.spec;
  let host: HostKernelSpec | string | undefined = options.host;
  reads.forEach((r, i) => {
    const reading = recogniseRead(r, {
      ...options,
      baseline: spec,
      ...(host ? { host } : {}),
      ...(patches[i].date ? { date: patches[i].date } : {}),
      name: { id: `${base.spec.id}+${i + 1}`, label: `${base.spec.label} with patches 1-${i + 1}` },
    });
    if (i === 0) reading.baseline = { ...base.detection, given: !!options.baseline };
    out.push(reading);
    spec = reading.after;
    if (reading.host) host = reading.host.after;
  });
  return { baseline: base.detection, patches: out };
}
