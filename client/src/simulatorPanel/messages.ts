/**
 * The messages between the simulator panel (extension side) and its page (client/webview).
 * Every message from the page is untrusted: parseFromPage() checks each field before use.
 * This file is shared by both bundles, so it imports types only and uses no Node or DOM API.
 */
import type {
  CompareResult,
  DeviceKindId,
  MatrixResult,
  SimulateResult,
  StatesResult,
} from '../../../server/src/lsp/protocol';

/** A kernel side as the page names it: a kernel id, or "before"/"after" of the panel's patch. */
export type KernelChoice = string;

export interface KernelOption {
  value: KernelChoice;
  label: string;
}

export interface StepPreset {
  name: string;
  steps: string[];
}

/** A device kind as the page offers it (the server's id and label). */
export interface DeviceOption {
  id: string;
  label: string;
  /** The register names a config step may name on the kind (the step editor offers them). */
  registers?: string[];
}

/** What the page keeps with getState/setState and the serializer hands back after a reload. */
export interface PageState {
  device: DeviceKindId;
  a: KernelChoice;
  b: KernelChoice | null;
  steps: string[];
  view: 'trace' | 'matrix' | 'states' | 'compare';
  patch?: { uri: string; patch?: number };
}

/** A result the page draws; its report after drawing names the same seq. */
interface Numbered {
  seq?: number;
}

export type ToPage =
  | {
      type: 'init';
      devices: DeviceOption[];
      kernels: KernelOption[];
      presets: StepPreset[];
      stepActions: string[];
      /** The kernel sides the page starts with when nothing was chosen (the server's defaults). */
      defaults: { a: KernelChoice; b: KernelChoice | null };
      /** What the words of the model's observations mean, and the headers of a step's cells. */
      legend: { term: string; meaning: string }[];
      columns: { key: string; label: string; meaning: string }[];
      setup?: Partial<PageState>;
    }
  | { type: 'busy'; what: string }
  | { type: 'error'; message: string }
  | (Numbered & {
      type: 'trace';
      labels: [string, string | null];
      a: SimulateResult;
      b: SimulateResult | null;
    })
  | (Numbered & { type: 'compare'; labels: [string, string]; result: CompareResult })
  | (Numbered & {
      type: 'matrix';
      result: MatrixResult;
      /** The columns' names, one per `result.kernels` (a patch side's id is the server's, "v5.8+2"). */
      names?: string[];
    })
  | (Numbered & {
      type: 'states';
      labels: [string, string | null];
      a: StatesResult;
      b: StatesResult | null;
    })
  | { type: 'copied'; text: string };

/** What the page reports after drawing, so that the extension (and its tests) know what is shown. */
export interface RenderReport {
  view: PageState['view'];
  rows: number;
  differing: number;
  headline: string;
  /** The `seq` of the message drawn (none for a result the page drew again from its saved state). */
  seq?: number;
}

export type FromPage =
  | { type: 'ready' }
  | { type: 'run'; device: DeviceKindId; a: KernelChoice; b: KernelChoice | null; steps: string[] }
  | { type: 'matrix'; a: KernelChoice; b: KernelChoice | null }
  | { type: 'states'; device: DeviceKindId; a: KernelChoice; b: KernelChoice | null }
  | { type: 'copy' }
  | { type: 'rendered'; report: RenderReport };

const VIEWS: readonly PageState['view'][] = ['trace', 'matrix', 'states', 'compare'];
const MAX_STEPS = 64;
const MAX_TEXT = 200;

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;

export class MessageError extends Error {}

function field<T>(msg: Dict, name: string, ok: (v: unknown) => v is T, what: string): T {
  const v = msg[name];
  if (!ok(v)) throw new MessageError(`"${name}" must be ${what}`);
  return v;
}

/**
 * Checks a message from the page against what the panel accepts: known devices and kernel choices,
 * a bounded step list of short strings. Throws MessageError naming the bad field.
 */
export function parseFromPage(
  raw: unknown,
  devices: readonly string[],
  kernels: readonly string[],
): FromPage {
  if (!isDict(raw)) throw new MessageError('a message must be an object');
  const isDevice = (v: unknown): v is DeviceKindId => typeof v === 'string' && devices.includes(v);
  const isKernel = (v: unknown): v is string => typeof v === 'string' && kernels.includes(v);
  const isKernelOrNull = (v: unknown): v is string | null => v === null || isKernel(v);
  const isSteps = (v: unknown): v is string[] =>
    Array.isArray(v) && v.length > 0 && v.length <= MAX_STEPS && v.every(isShortString);
  const deviceWhat = `one of ${devices.join(', ')}`;
  const kernelWhat = `one of ${kernels.join(', ')}`;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copy':
      return { type: 'copy' };
    case 'run':
      return {
        type: 'run',
        device: field(raw, 'device', isDevice, deviceWhat),
        a: field(raw, 'a', isKernel, kernelWhat),
        b: field(raw, 'b', isKernelOrNull, `null or ${kernelWhat}`),
        steps: field(raw, 'steps', isSteps, `1 to ${MAX_STEPS} steps of at most ${MAX_TEXT} characters`),
      };
    case 'matrix':
      return {
        type: 'matrix',
        a: field(raw, 'a', isKernel, kernelWhat),
        b: field(raw, 'b', isKernelOrNull, `null or ${kernelWhat}`),
      };
    case 'states':
      return {
        type: 'states',
        device: field(raw, 'device', isDevice, deviceWhat),
        a: field(raw, 'a', isKernel, kernelWhat),
        b: field(raw, 'b', isKernelOrNull, `null or ${kernelWhat}`),
      };
    case 'rendered': {
      const r = field(raw, 'report', isDict, 'an object');
      const isView = (v: unknown): v is PageState['view'] =>
        typeof v === 'string' && VIEWS.includes(v as never);
      const isCount = (v: unknown): v is number =>
        Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1e6;
      return {
        type: 'rendered',
        report: {
          view: field(r, 'view', isView, VIEWS.join(' or ')),
          rows: field(r, 'rows', isCount, 'a count'),
          differing: field(r, 'differing', isCount, 'a count'),
          headline: field(r, 'headline', isShortString, 'a short string'),
          ...(r.seq === undefined ? {} : { seq: field(r, 'seq', isCount, 'a count') }),
        },
      };
    }
    default:
      throw new MessageError(`unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}`);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isArrayOf =
  <T>(item: (v: unknown) => v is T) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(item);
const isStrings = isArrayOf(isString);
const hasStrings =
  (...names: string[]) =>
  (v: unknown): v is Dict =>
    isDict(v) && names.every((n) => isString(v[n]));

const isTraceEntry = (v: unknown): boolean =>
  isDict(v) &&
  isString(v.action) &&
  isDict(v.display) &&
  isString(v.display.text) &&
  isDict(v.display.cells) &&
  Object.values(v.display.cells).every(isString) &&
  Array.isArray(v.why) &&
  v.why.every((w) => isDict(w) && isString(w.decision) && isString(w.text) && Array.isArray(w.operands));
const isTrace = (v: unknown): boolean => Array.isArray(v) && v.every(isTraceEntry);
const isSimulation = (v: unknown): boolean => isDict(v) && isString(v.device) && isTrace(v.trace);
const isStates = (v: unknown): boolean =>
  isDict(v) &&
  isString(v.device) &&
  isString(v.initial) &&
  isArrayOf(hasStrings('id', 'label'))(v.states) &&
  isArrayOf(hasStrings('from', 'to', 'step'))(v.edges);
const isLabels = (v: unknown, second: (x: unknown) => boolean): boolean =>
  Array.isArray(v) && v.length === 2 && isString(v[0]) && second(v[1]);
const isMatrix = (v: unknown): boolean =>
  isDict(v) &&
  isArrayOf(hasStrings('id', 'description'))(v.scenarios) &&
  isStrings(v.devices) &&
  isStrings(v.kernels) &&
  isArrayOf(hasStrings('scenario', 'device', 'kernel', 'summary'))(v.cells) &&
  (v.pairs === undefined || isArrayOf(hasStrings('scenario', 'device', 'text'))(v.pairs));
const isCompare = (v: unknown): boolean =>
  isDict(v) &&
  Array.isArray(v.differences) &&
  v.differences.every(
    (d) => isDict(d) && isString(d.device) && isStrings(d.steps) && isTrace(d.before) && isTrace(d.after),
  );
const isInit = (m: Dict): boolean =>
  isArrayOf(
    (d: unknown): d is Dict =>
      hasStrings('id', 'label')(d) && (d.registers === undefined || isStrings(d.registers)),
  )(m.devices) &&
  isArrayOf(hasStrings('value', 'label'))(m.kernels) &&
  isArrayOf((p: unknown): p is Dict => hasStrings('name')(p) && isStrings(p.steps))(m.presets) &&
  isStrings(m.stepActions) &&
  isDict(m.defaults) &&
  isString(m.defaults.a) &&
  (m.defaults.b === null || isString(m.defaults.b)) &&
  isArrayOf(hasStrings('term', 'meaning'))(m.legend) &&
  isArrayOf(hasStrings('key', 'label', 'meaning'))(m.columns) &&
  (m.setup === undefined || isDict(m.setup));

/** What each message type to the page must hold, as the page's views read it. */
const TO_PAGE: Record<ToPage['type'], (m: Dict) => boolean> = {
  init: isInit,
  busy: (m) => isString(m.what),
  error: (m) => isString(m.message),
  copied: (m) => isString(m.text),
  trace: (m) =>
    isLabels(m.labels, (x) => x === null || isString(x)) &&
    isSimulation(m.a) &&
    (m.b === null || isSimulation(m.b)),
  compare: (m) => isLabels(m.labels, isString) && isCompare(m.result),
  matrix: (m) =>
    isMatrix(m.result) &&
    (m.names === undefined ||
      (isStrings(m.names) && m.names.length === (m.result as { kernels: unknown[] }).kernels.length)),
  states: (m) =>
    isLabels(m.labels, (x) => x === null || isString(x)) && isStates(m.a) && (m.b === null || isStates(m.b)),
};

/**
 * Checks a message to the page before the page draws it: a known type with every field its view
 * reads, of the right kind. Throws MessageError otherwise, so that a malformed message leaves
 * what the page shows as it was.
 */
export function parseToPage(raw: unknown): ToPage {
  if (!isDict(raw)) throw new MessageError('a message must be an object');
  const type = raw.type;
  if (!isString(type) || !Object.prototype.hasOwnProperty.call(TO_PAGE, type))
    throw new MessageError(`unknown message type ${JSON.stringify(String(type)).slice(0, 40)}`);
  if (!TO_PAGE[type as ToPage['type']](raw) || (raw.seq !== undefined && !Number.isInteger(raw.seq)))
    throw new MessageError(`a malformed "${type}" message`);
  return raw as unknown as ToPage;
}

/**
 * A message event as the page receives it: only from its own origin (VS Code's host frame posts
 * to the page with its own origin as the target, so anything else is a foreign frame), and only a
 * well-formed ToPage.
 */
export function receiveToPage(event: { origin: string; data: unknown }, ownOrigin: string): ToPage {
  if (event.origin !== ownOrigin)
    throw new MessageError(`a message from a foreign origin (${event.origin.slice(0, 60)}) was ignored`);
  return parseToPage(event.data);
}

/** Checks state handed back by the serializer (it was written by the page, so it is untrusted too). */
export function parsePageState(raw: unknown, devices: readonly string[]): Partial<PageState> {
  if (!isDict(raw)) return {};
  const out: Partial<PageState> = {};
  if (typeof raw.device === 'string' && devices.includes(raw.device)) out.device = raw.device as DeviceKindId;
  if (isShortString(raw.a)) out.a = raw.a;
  if (raw.b === null || isShortString(raw.b)) out.b = raw.b;
  if (Array.isArray(raw.steps) && raw.steps.length <= MAX_STEPS && raw.steps.every(isShortString)) {
    out.steps = raw.steps;
  }
  if (typeof raw.view === 'string' && VIEWS.includes(raw.view as never))
    out.view = raw.view as PageState['view'];
  if (isDict(raw.patch) && typeof raw.patch.uri === 'string' && raw.patch.uri.length < 4096) {
    const patch = raw.patch.patch;
    out.patch = {
      uri: raw.patch.uri,
      patch: Number.isInteger(patch) && (patch as number) >= 0 ? (patch as number) : undefined,
    };
  }
  return out;
}
