/**
 * The messages between the simulator panel (extension side) and its page (client/webview).
 * Every message from the page is untrusted: parseFromPage() checks each field before use.
 * This file is shared by both bundles, so it imports types only and uses no Node or DOM API.
 */
import type {
  CompareResult,
  MatrixResult,
  SimulateResult,
  StatesResult,
  ZpciCompareResult,
  ZpciSimulateResult,
  ZpciStatesResult,
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

/** A step as the step editor offers it: its action, how it is written, an example of its value. */
export interface StepOption {
  action: string;
  /** "pcistb AS OFFSET LEN [GADDR]" (the vocabulary's usage). */
  usage: string;
  /** How its value is written: the first preset (else exploration) step with this action ("0 0 4096"). */
  example?: string;
}

/**
 * A model as the page offers it (one per model of the server's vocabulary, the vfio-pci model
 * first): its sides (kernels or QEMU versions, and the host kernels they run on, if any), device
 * kinds, steps, presets, the pair it starts from, the words of its observations.
 */
export interface PageModel {
  id: string;
  label: string;
  /** What one of its sides is called in the pickers ("Kernel", "QEMU"). */
  variantName: string;
  devices: DeviceOption[];
  kernels: KernelOption[];
  hosts?: { options: KernelOption[]; default: string };
  presets: StepPreset[];
  steps: StepOption[];
  defaults: { a: KernelChoice; b: KernelChoice | null };
  legend: { term: string; meaning: string }[];
  columns: { key: string; label: string; meaning: string }[];
}

/** What a message from the page may name of one model: the ids the panel accepts. */
export interface PageChoices {
  id: string;
  devices: readonly string[];
  kernels: readonly string[];
  hosts?: readonly string[];
}

/** What the page keeps with getState/setState and the serializer hands back after a reload. */
export interface PageState {
  /** The model chosen (a PageModel id; absent: the first). */
  model?: string;
  device: string;
  a: KernelChoice;
  b: KernelChoice | null;
  /** The host kernel the sides run on, for a model that has hosts. */
  host?: string;
  steps: string[];
  view: 'trace' | 'matrix' | 'states' | 'compare';
  patch?: { uri: string; patch?: number };
}

/** A simulation the page draws: the vfio-pci model's or the zPCI model's (the same trace shape). */
export type PageSimulation = SimulateResult | ZpciSimulateResult;
export type PageComparison = CompareResult | ZpciCompareResult;
export type PageStates = StatesResult | ZpciStatesResult;

/** A result the page draws; its report after drawing names the same seq. */
interface Numbered {
  seq?: number;
}

export type ToPage =
  | {
      type: 'init';
      /** The models to pick from, the first the one the page starts with when nothing was chosen. */
      models: PageModel[];
      setup?: Partial<PageState>;
    }
  | { type: 'busy'; what: string }
  | { type: 'error'; message: string }
  | (Numbered & {
      type: 'trace';
      labels: [string, string | null];
      a: PageSimulation;
      b: PageSimulation | null;
    })
  | (Numbered & { type: 'compare'; labels: [string, string]; result: PageComparison })
  | (Numbered & {
      type: 'matrix';
      result: MatrixResult;
      /** The columns' names, one per `result.kernels` (a patch side's id is the server's, "v5.8+2"). */
      names?: string[];
    })
  | (Numbered & {
      type: 'states';
      labels: [string, string | null];
      a: PageStates;
      b: PageStates | null;
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

/**
 * The sides a request from the page names: of one model (absent: the first), one or two of its
 * kernels or QEMU versions, and the host kernel they run on (a model with hosts).
 */
export interface PageSides {
  model?: string;
  a: KernelChoice;
  b: KernelChoice | null;
  host?: string;
}

export type FromPage =
  | { type: 'ready' }
  | (PageSides & { type: 'run'; device: string; steps: string[] })
  | (PageSides & { type: 'matrix' })
  | (PageSides & { type: 'states'; device: string })
  | (PageSides & { type: 'compare'; device: string | null; b: KernelChoice })
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
 * Checks a message from the page against what the panel accepts: a known model (absent: the
 * first), its devices, kernel choices and hosts, a bounded step list of short strings. Throws
 * MessageError naming the bad field. The message returned names its model.
 */
export function parseFromPage(raw: unknown, models: readonly PageChoices[]): FromPage {
  if (!isDict(raw)) throw new MessageError('a message must be an object');
  if (raw.type === 'ready') return { type: 'ready' };
  if (raw.type === 'copy') return { type: 'copy' };
  if (raw.type === 'rendered') return { type: 'rendered', report: parseReport(raw) };
  if (raw.type !== 'run' && raw.type !== 'matrix' && raw.type !== 'states' && raw.type !== 'compare')
    throw new MessageError(`unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}`);
  const model = raw.model === undefined ? models[0] : models.find((m) => m.id === raw.model);
  if (!model) throw new MessageError(`"model" must be one of ${models.map((m) => m.id).join(', ')}`);
  const isDevice = (v: unknown): v is string => typeof v === 'string' && model.devices.includes(v);
  const isKernel = (v: unknown): v is string => typeof v === 'string' && model.kernels.includes(v);
  const isKernelOrNull = (v: unknown): v is string | null => v === null || isKernel(v);
  const hosts = model.hosts ?? [];
  const isHost = (v: unknown): v is string | undefined =>
    v === undefined || (typeof v === 'string' && hosts.includes(v));
  const isSteps = (v: unknown): v is string[] =>
    Array.isArray(v) && v.length > 0 && v.length <= MAX_STEPS && v.every(isShortString);
  const deviceWhat = `one of ${model.devices.join(', ')}`;
  const kernelWhat = `one of ${model.kernels.join(', ')}`;
  const host = field(raw, 'host', isHost, hosts.length ? `absent or one of ${hosts.join(', ')}` : 'absent');
  const sides: PageSides = {
    model: model.id,
    a: field(raw, 'a', isKernel, kernelWhat),
    b: field(raw, 'b', isKernelOrNull, `null or ${kernelWhat}`),
    ...(host === undefined ? {} : { host }),
  };
  switch (raw.type) {
    case 'run':
      return {
        type: 'run',
        ...sides,
        device: field(raw, 'device', isDevice, deviceWhat),
        steps: field(raw, 'steps', isSteps, `1 to ${MAX_STEPS} steps of at most ${MAX_TEXT} characters`),
      };
    case 'matrix':
      return { type: 'matrix', ...sides };
    case 'states':
      return { type: 'states', ...sides, device: field(raw, 'device', isDevice, deviceWhat) };
    case 'compare':
      return {
        type: 'compare',
        ...sides,
        b: field(raw, 'b', isKernel, kernelWhat),
        device: field(
          raw,
          'device',
          (v): v is string | null => v === null || isDevice(v),
          `null or ${deviceWhat}`,
        ),
      };
  }
}

function parseReport(raw: Dict): RenderReport {
  const r = field(raw, 'report', isDict, 'an object');
  const isView = (v: unknown): v is PageState['view'] => typeof v === 'string' && VIEWS.includes(v as never);
  const isCount = (v: unknown): v is number =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1e6;
  return {
    view: field(r, 'view', isView, VIEWS.join(' or ')),
    rows: field(r, 'rows', isCount, 'a count'),
    differing: field(r, 'differing', isCount, 'a count'),
    headline: field(r, 'headline', isShortString, 'a short string'),
    ...(r.seq === undefined ? {} : { seq: field(r, 'seq', isCount, 'a count') }),
  };
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
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isOptionalString = (v: unknown): boolean => v === undefined || isString(v);
/** Why a zPCI kind shows no difference: each side's plug, where the difference shows instead. */
const isUnreached = (v: unknown): boolean =>
  hasStrings('device', 'reason')(v) &&
  Array.isArray(v.sides) &&
  v.sides.every((s) => hasStrings('qemu', 'host')(s) && isTraceEntry(s.plug)) &&
  Array.isArray(v.elsewhere) &&
  v.elsewhere.every(
    (e) =>
      hasStrings('device')(e) &&
      isCount(e.differences) &&
      (e.internalOnly === undefined || isCount(e.internalOnly)) &&
      isOptionalString(e.example) &&
      isOptionalString(e.internalExample),
  ) &&
  isStrings(v.reaches);
const isCompare = (v: unknown): boolean =>
  isDict(v) &&
  Array.isArray(v.differences) &&
  v.differences.every(
    (d) =>
      isDict(d) &&
      isString(d.device) &&
      isStrings(d.steps) &&
      isTrace(d.before) &&
      isTrace(d.after) &&
      isOptionalString(d.host),
  ) &&
  (v.notes === undefined || isStrings(v.notes)) &&
  (v.unreached === undefined || (Array.isArray(v.unreached) && v.unreached.every(isUnreached))) &&
  (v.clp === undefined || isArrayOf(hasStrings('device', 'field', 'before', 'after', 'why'))(v.clp));
const isOptions = isArrayOf(hasStrings('value', 'label'));
const isPageModel = (m: unknown): boolean =>
  hasStrings('id', 'label', 'variantName')(m) &&
  isArrayOf(
    (d: unknown): d is Dict =>
      hasStrings('id', 'label')(d) && (d.registers === undefined || isStrings(d.registers)),
  )(m.devices) &&
  isOptions(m.kernels) &&
  (m.hosts === undefined || (isDict(m.hosts) && isOptions(m.hosts.options) && isString(m.hosts.default))) &&
  isArrayOf((p: unknown): p is Dict => hasStrings('name')(p) && isStrings(p.steps))(m.presets) &&
  isArrayOf((st: unknown): st is Dict => hasStrings('action', 'usage')(st) && isOptionalString(st.example))(
    m.steps,
  ) &&
  isDict(m.defaults) &&
  isString(m.defaults.a) &&
  (m.defaults.b === null || isString(m.defaults.b)) &&
  isArrayOf(hasStrings('term', 'meaning'))(m.legend) &&
  isArrayOf(hasStrings('key', 'label', 'meaning'))(m.columns);
const isInit = (m: Dict): boolean =>
  Array.isArray(m.models) &&
  m.models.length > 0 &&
  m.models.every(isPageModel) &&
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

/**
 * Checks state handed back by the serializer (it was written by the page, so it is untrusted too):
 * a known model (absent: the first) and a device kind of that model.
 */
export function parsePageState(
  raw: unknown,
  models: readonly Pick<PageChoices, 'id' | 'devices'>[],
): Partial<PageState> {
  if (!isDict(raw)) return {};
  const out: Partial<PageState> = {};
  const model = raw.model === undefined ? models[0] : models.find((m) => m.id === raw.model);
  if (!model) return {};
  if (raw.model !== undefined) out.model = model.id;
  if (typeof raw.device === 'string' && model.devices.includes(raw.device)) out.device = raw.device;
  if (isShortString(raw.a)) out.a = raw.a;
  if (raw.b === null || isShortString(raw.b)) out.b = raw.b;
  if (isShortString(raw.host)) out.host = raw.host;
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
