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

export type ToPage =
  | {
      type: 'init';
      devices: DeviceOption[];
      kernels: KernelOption[];
      presets: StepPreset[];
      stepActions: string[];
      /** The kernel sides the page starts with when nothing was chosen (the server's defaults). */
      defaults: { a: KernelChoice; b: KernelChoice | null };
      setup?: Partial<PageState>;
    }
  | { type: 'busy'; what: string }
  | { type: 'error'; message: string }
  | { type: 'trace'; labels: [string, string | null]; a: SimulateResult; b: SimulateResult | null }
  | { type: 'compare'; labels: [string, string]; result: CompareResult }
  | { type: 'matrix'; result: MatrixResult }
  | {
      type: 'states';
      labels: [string, string | null];
      a: StatesResult;
      b: StatesResult | null;
    }
  | { type: 'copied'; text: string };

/** What the page reports after drawing, so that the extension (and its tests) know what is shown. */
export interface RenderReport {
  view: PageState['view'];
  rows: number;
  differing: number;
  headline: string;
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
        },
      };
    }
    default:
      throw new MessageError(`unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}`);
  }
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
