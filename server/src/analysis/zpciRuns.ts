/**
 * The zPCI model's facade for the CLI and the language server (as modelRuns.ts is the vfio
 * model's): scripts, comparisons of two QEMU versions (or two hosts), the behaviour matrix and
 * the state diagram, over built-in versions or specs derived from patches. One catalogue,
 * compiled with tree-sitter-c's parser (`await initCParser()` first). Unknown ids are
 * UnknownIdErrors naming the valid ones.
 */
import { parseCExpression } from '../csrc/cexpr';
import { StepScriptError, UnknownIdError } from '../model/index';
import {
  DEFAULT_HOST,
  HOST_KERNEL_TABLE,
  UNPLUGGED,
  ZPCI_DEFAULT_DEPTH,
  ZPCI_DEVICE_KINDS,
  ZPCI_DEVICE_TABLE,
  ZPCI_EXPLORATION_ALPHABET,
  ZPCI_SCENARIOS,
  ZPCI_VERSION_SPECS,
  ZPCI_VERSION_TABLE,
  ZpciCatalogue,
  annotate,
  decidingExplanation,
  formatDeliveryShort,
  formatObservation,
  formatOutcomeShort,
  parseZpciStep,
  parseZpciSteps,
  reachableZpci,
  zpciScenarioSummary,
  zpciStateLabel,
  type HostKernelSpec,
  type ZpciExplanation,
  type ZpciTraceEntry,
  type ZpciVersionSpec,
} from '../model/zpci';
import type {
  ZpciCompareResult,
  ZpciDifferenceResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
  ZpciTraceStep,
  ZpciUnreached,
  ZpciWhy,
} from './zpciTypes';

/** A QEMU version: a built-in id, or a spec (a patch side's). */
export type ZpciVersionRef = string | ZpciVersionSpec;
/** A host kernel: a built-in id, or a spec (a kernel patch side's). */
export type HostRef = string | HostKernelSpec;

let catalogue: ZpciCatalogue | undefined;

/** The one catalogue of the process (versions and hosts compiled once). */
export function zpciCatalogue(): ZpciCatalogue {
  return (catalogue ??= new ZpciCatalogue(parseCExpression));
}

/** The id itself once checked: an UnknownIdError naming the valid ones otherwise. */
export const checkZpciDevice = (id: string): string => ZPCI_DEVICE_TABLE.check(id);
export const checkQemuVersion = (id: string): string => ZPCI_VERSION_TABLE.check(id);
export const checkHost = (id: string): string => HOST_KERNEL_TABLE.check(id);

export const isZpciDevice = (id: unknown): boolean => ZPCI_DEVICE_TABLE.has(id);

const refId = (r: ZpciVersionRef | HostRef) => (typeof r === 'string' ? r : r.id);

function checked(version: ZpciVersionRef, host: HostRef | undefined): void {
  if (typeof version === 'string') checkQemuVersion(version);
  if (typeof host === 'string') checkHost(host);
}

export function zpciWhy(e: ZpciExplanation): ZpciWhy {
  const w: ZpciWhy = {
    decision: e.node,
    label: e.label,
    expression: e.expression,
    operands: e.operands,
    result: e.result,
    text: annotate(e.expression, e.operands),
  };
  if (e.decided) w.decided = true;
  return w;
}

/** A trace entry as the CLI and the server give it: typed, with its text from the model's formatter. */
export function zpciTraceStep(e: ZpciTraceEntry, explain = true): ZpciTraceStep {
  const decided = decidingExplanation(e);
  const out: ZpciTraceStep = {
    step: e.step,
    action: e.action,
    outcome: e.outcome,
    ...(e.delivery ? { delivery: e.delivery } : {}),
    why: e.why.map((w) => {
      const why = zpciWhy(w);
      return explain ? why : { ...why, operands: [], text: why.expression };
    }),
    ...(e.notes?.length ? { notes: e.notes } : {}),
    ...(e.dependsOn?.length ? { dependsOn: e.dependsOn } : {}),
    display: {
      text: formatObservation(e),
      cells: {
        outcome: formatOutcomeShort({ outcome: e.outcome }),
        delivery: e.delivery ? formatDeliveryShort(e.delivery) : '',
        check: decided ? decided.node : '',
      },
    },
  };
  return out;
}

export function simulateZpci(
  device: string,
  version: ZpciVersionRef,
  steps: string,
  options: { host?: HostRef; explain?: boolean } = {},
): ZpciSimulateResult {
  checkZpciDevice(device);
  checked(version, options.host);
  const host = options.host ?? DEFAULT_HOST;
  const runs = zpciCatalogue().simulate(version, device, steps, host);
  const explain = options.explain ?? true;
  const result: ZpciSimulateResult = {
    model: 'zpci',
    device,
    qemu: refId(version),
    host: refId(host),
    trace: runs[0].trace.map((e) => zpciTraceStep(e, explain)),
  };
  if (runs.length > 1)
    result.branches = runs.map((r) => ({
      assumptions: { ...r.assumptions },
      trace: r.trace.map((e) => zpciTraceStep(e, explain)),
    }));
  return result;
}

/** "steps: before → after" of one difference, in a few words. */
export function differenceText(d: { steps: string[]; before: ZpciTraceEntry[]; after: ZpciTraceEntry[] }) {
  const b = d.before[d.before.length - 1];
  const a = d.after[d.after.length - 1];
  const by = (e: ZpciTraceEntry) => {
    const x = decidingExplanation(e);
    return x ? ` (${x.node}: \`${annotate(x.expression, x.operands)}\`)` : '';
  };
  const short = (e: ZpciTraceEntry) => formatOutcomeShort(e);
  const same = short(b) === short(a);
  return `${d.steps.join('; ')}: ${short(b)}${same ? by(b) : ''} → ${short(a)}${same ? by(a) : ''}`;
}

export interface ZpciCompareOptions {
  device?: string;
  depth?: number;
  internal?: boolean;
  host?: HostRef;
  hostAfter?: HostRef;
}

/** The kinds of function a comparison covers (one, or every zPCI kind). */
function devicesOf(device: string | undefined): string[] {
  return device ? [checkZpciDevice(device)] : ZPCI_DEVICE_KINDS.map((d) => d.id);
}

/** The versions under which a kind is plugged and intercepted (its instructions reach QEMU's checks). */
function versionsReaching(device: string, host: HostRef): string[] {
  const c = zpciCatalogue();
  return ZPCI_VERSION_SPECS.filter((v) => {
    const [run] = c.simulate(v.id, device, 'plug', host);
    const o = run.trace[0]?.outcome;
    return o?.kind === 'plugged' && !o.interpreted;
  }).map((v) => v.id);
}

/** Why a kind shows nothing between a and b: each side's plug, and where the difference does show. */
function unreached(
  device: string,
  a: ZpciVersionRef,
  b: ZpciVersionRef,
  hostA: HostRef,
  hostB: HostRef,
  depth: number,
): ZpciUnreached | null {
  const c = zpciCatalogue();
  const plugOf = (v: ZpciVersionRef, h: HostRef) => c.simulate(v, device, 'plug', h)[0].trace[0];
  const plugs = [plugOf(a, hostA), plugOf(b, hostB)];
  const refused = plugs.map((p) => p.outcome.kind === 'plug-refused');
  if (!refused[0] && !refused[1]) return null;
  const which =
    refused[0] && refused[1]
      ? 'both sides refuse'
      : refused[0]
        ? 'the first side refuses'
        : 'the second side refuses';
  const elsewhere = ZPCI_DEVICE_KINDS.filter((d) => d.id !== device).flatMap((d) => {
    const options = { depth, host: hostA, hostAfter: hostB };
    const visible = c.compare(a, b, d.id, options);
    if (visible.notes.some((n) => n.includes('never plugged'))) return [];
    const all = c.compare(a, b, d.id, { ...options, internal: true });
    const internalOnly = all.differences.filter((x) => x.internalOnly);
    const first = visible.differences[0];
    return [
      {
        device: d.id,
        differences: visible.differences.length,
        internalOnly: internalOnly.length,
        ...(first ? { example: differenceText(first) } : {}),
        ...(internalOnly[0] ? { internalExample: differenceText(internalOnly[0]) } : {}),
      },
    ];
  });
  return {
    device,
    sides: [
      { qemu: refId(a), host: refId(hostA), plug: zpciTraceStep(plugs[0]) },
      { qemu: refId(b), host: refId(hostB), plug: zpciTraceStep(plugs[1]) },
    ],
    reason:
      `${which} to plug ${device}, so no PCILG, PCISTG or PCISTB reaches QEMU's checks there: ` +
      'no difference of those checks can show for it',
    elsewhere,
    reaches: versionsReaching(device, hostA),
  };
}

export function compareZpciVersions(
  a: ZpciVersionRef,
  b: ZpciVersionRef,
  options: ZpciCompareOptions = {},
): ZpciCompareResult {
  checked(a, options.host);
  checked(b, options.hostAfter);
  const c = zpciCatalogue();
  const host = options.host ?? DEFAULT_HOST;
  const hostAfter = options.hostAfter ?? host;
  const depth = options.depth ?? ZPCI_DEFAULT_DEPTH;
  const devices = devicesOf(options.device);
  const stats = { states: 0, transitions: 0, depth, devices: devices.length };
  const differences: ZpciDifferenceResult[] = [];
  const notes: string[] = [];
  const missing: ZpciUnreached[] = [];
  const clp = [];
  for (const device of devices) {
    const r = c.compare(a, b, device, { depth, internal: options.internal, host, hostAfter });
    stats.states += r.stats.states;
    stats.transitions += r.stats.transitions;
    notes.push(...r.notes);
    for (const d of r.differences) {
      const out: ZpciDifferenceResult = {
        device: d.device,
        host: d.host,
        steps: d.steps,
        before: d.before.map((e) => zpciTraceStep(e)),
        after: d.after.map((e) => zpciTraceStep(e)),
      };
      if (d.internalOnly) out.internalOnly = true;
      if (d.dependsOn) out.dependsOn = d.dependsOn;
      if (d.assumptions) out.assumptions = d.assumptions;
      differences.push(out);
    }
    if (!r.differences.length) {
      const why = unreached(device, a, b, host, hostAfter, depth);
      if (why) missing.push(why);
    }
    clp.push(...c.clp(a, b, device, { host, hostAfter }));
  }
  return {
    model: 'zpci',
    a: { qemu: refId(a), host: refId(host) },
    b: { qemu: refId(b), host: refId(hostAfter) },
    differences,
    notes,
    unreached: missing,
    clp,
    stats,
  };
}

/**
 * A scenario's run up to the first step the model refuses (a step after a refused plug): the
 * steps before it, and "STEP: not run (why)" for it.
 */
function scenarioRun(v: ZpciVersionRef, device: string, script: string, host: HostRef) {
  const c = zpciCatalogue();
  try {
    return { trace: c.simulate(v, device, script, host)[0].trace, refused: '' };
  } catch (e) {
    if (!(e instanceof StepScriptError)) throw e;
    const steps = parseZpciSteps(script);
    const done = steps.slice(0, e.position - 1).map((x) => x.text);
    const trace = done.length ? c.simulate(v, device, done.join('; '), host)[0].trace : [];
    const reason = e.message.replace(/^step \d+ "[^"]*": /, '');
    return { trace, refused: `${steps[e.position - 1].text}: not run (${reason})` };
  }
}

/** The scenarios x zPCI kinds x QEMU versions (all built-ins, or the given ones) on one host. */
export function zpciMatrix(versions?: ZpciVersionRef[], options: { host?: HostRef } = {}): ZpciMatrixResult {
  const host = options.host ?? DEFAULT_HOST;
  const list = versions ?? ZPCI_VERSION_SPECS.map((v) => v.id);
  for (const v of list) checked(v, host);
  const cells: ZpciMatrixResult['cells'] = [];
  for (const scenario of ZPCI_SCENARIOS)
    for (const device of ZPCI_DEVICE_KINDS)
      for (const v of list) {
        const { trace, refused } = scenarioRun(v, device.id, scenario.script, host);
        const summary = zpciScenarioSummary(trace);
        cells.push({
          scenario: scenario.id,
          device: device.id,
          qemu: refId(v),
          summary: refused ? [summary, refused].filter(Boolean).join('; ') : summary,
          steps: trace.map((e) => e.action),
        });
      }
  return {
    model: 'zpci',
    host: refId(host),
    scenarios: ZPCI_SCENARIOS.map((s) => ({
      id: s.id,
      steps: parseZpciSteps(s.script).map((x) => x.text),
      description: s.description,
    })),
    devices: ZPCI_DEVICE_KINDS.map((d) => d.id),
    qemu: list.map(refId),
    cells,
  };
}

/** Bound on the states of a diagram (the zPCI state space is small; this says when it was not). */
const MAX_DIAGRAM_STATES = 60;

export function zpciStates(
  device: string,
  version: ZpciVersionRef,
  options: { depth?: number; steps?: string[]; host?: HostRef } = {},
): ZpciStatesResult {
  checkZpciDevice(device);
  checked(version, options.host);
  const host = options.host ?? DEFAULT_HOST;
  const system = zpciCatalogue().zpciSystemFor(version, device, host);
  const alphabet = options.steps ? options.steps.map((s) => parseZpciStep(s)) : ZPCI_EXPLORATION_ALPHABET;
  const walk = reachableZpci(system, {
    depth: options.depth ?? ZPCI_DEFAULT_DEPTH,
    alphabet,
    maxStates: MAX_DIAGRAM_STATES,
  });
  return {
    model: 'zpci',
    device,
    qemu: refId(version),
    host: refId(host),
    initial: zpciStateLabel(UNPLUGGED).id,
    states: walk.states.map((s) => zpciStateLabel(s)),
    edges: walk.edges.map((e) => ({
      from: zpciStateLabel(e.from).id,
      to: zpciStateLabel(e.to).id,
      step: e.step.text,
      outcome: formatOutcomeShort(e.observation),
    })),
    ...(walk.truncated ? { truncated: true } : {}),
  };
}

export { UnknownIdError };
