/**
 * The custom requests of protocol.ts, each a row of CUSTOM_REQUESTS handled through one shape:
 * parameters are checked here (a bad one is an InvalidParams error naming the field), kernel
 * references are resolved to the open document's analysis, and the model's facade answers — the
 * same facade the CLI uses, so both give the same answer.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { RequestType } from 'vscode-languageserver-protocol';
import {
  DEVICE_KIND_TABLE,
  KERNEL_TABLE,
  MODELS,
  type DeviceKindId,
  type KernelId,
  type PolicySpec,
} from '../model/index';
import type {
  CompareResult,
  MatrixResult,
  SimulateResult,
  StatesResult,
  ZpciCompareResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
} from '../analysis/types';
import { HOST_KERNEL_TABLE, ZPCI_DEVICE_TABLE, ZPCI_VERSION_TABLE } from '../model/zpci';
import type { ServerAnalysis } from './serverAnalysis';
import {
  CompareRequest,
  DocumentStatusRequest,
  ExplainRequest,
  MatrixRequest,
  SimulateRequest,
  StatesRequest,
  SummaryRequest,
  VocabularyRequest,
  type CompareParams,
  type DocumentStatus,
  type DocumentStatusParams,
  type ExplainParams,
  type ExplainResult,
  type MatrixParams,
  type SimulateParams,
  type StatesParams,
  type SummaryParams,
  type SummaryResult,
  type VocabularyResult,
  type ZpciRef,
} from './protocol';
import { decisionAt, decisionMarkdown, quotedDecisionAt, sameCodeAs } from './decisionText';
import { behaviourSummary } from './summary';
import { invalid, isObject, paramsObject, positionParam, quoted, uriParam } from './params';
import type { AnalysedDocument } from './documentAnalyses';
import { documentStatus } from './documentStatus';

/** What the model offers (server/src/analysis/modelRuns.ts), injected so tests can see the seams. */
export interface SimulationFacade {
  /** Resolves when the model can be called (it may need tree-sitter-c loaded). */
  ready?(): Promise<unknown>;
  simulateScript(
    device: DeviceKindId,
    kernel: PolicySpec | KernelId,
    steps: string,
    explain?: boolean,
  ): SimulateResult;
  comparePolicies(
    a: PolicySpec | KernelId,
    b: PolicySpec | KernelId,
    options: { device?: DeviceKindId; depth?: number; internal?: boolean },
  ): CompareResult;
  behaviourMatrix(specs?: (PolicySpec | KernelId)[]): MatrixResult;
  /** The reachable states for the simulator diagram (vfioLens/states). */
  reachableStates(
    device: DeviceKindId,
    kernel: PolicySpec | KernelId,
    options: { depth?: number; steps?: string[] },
  ): StatesResult;
  /** The zPCI model, for references `{ qemu, host? }` (absent: such requests are refused). */
  zpci?: ZpciFacade;
}

/** The zPCI model's runs (server/src/analysis/zpciRuns.ts), ids checked by the caller. */
export interface ZpciFacade {
  simulate(device: string, ref: ZpciRef, steps: string, explain?: boolean): ZpciSimulateResult;
  compare(
    a: ZpciRef,
    b: ZpciRef,
    options: { device?: string; depth?: number; internal?: boolean },
  ): ZpciCompareResult;
  matrix(refs?: ZpciRef[]): ZpciMatrixResult;
  states(device: string, ref: ZpciRef, options: { depth?: number; steps?: string[] }): ZpciStatesResult;
}

export interface RequestContext {
  facade: SimulationFacade | undefined;
  /** The current analysis of an open document, or undefined if it is not open. */
  analysisOf(uri: string): Promise<AnalysedDocument | undefined>;
  /** A line of an open document (undefined when it is not open or has no such line). */
  lineText?(uri: string, line: number): string | undefined;
  /** The vfioLens.baseline setting for a document ("auto" or a kernel id). */
  baselineSetting?(uri: string): Promise<string>;
}

function deviceParam(v: unknown, field: string): DeviceKindId {
  if (!DEVICE_KIND_TABLE.has(v)) throw invalid(DEVICE_KIND_TABLE.expected(field, v));
  return v;
}

function optionalDevice(v: unknown, field: string): DeviceKindId | undefined {
  return v === undefined || v === null ? undefined : deviceParam(v, field);
}

/** A `{ qemu, host? }` reference (the zPCI model), checked; undefined for any other value. */
function zpciRef(v: unknown, field: string): ZpciRef | undefined {
  if (!isObject(v) || !('qemu' in v)) return undefined;
  if (!ZPCI_VERSION_TABLE.has(v.qemu)) throw invalid(ZPCI_VERSION_TABLE.expected(`${field}.qemu`, v.qemu));
  if (v.host === undefined || v.host === null) return { qemu: v.qemu };
  if (!HOST_KERNEL_TABLE.has(v.host)) throw invalid(HOST_KERNEL_TABLE.expected(`${field}.host`, v.host));
  return { qemu: v.qemu, host: v.host };
}

function zpciDevice(v: unknown, field: string): string {
  if (!ZPCI_DEVICE_TABLE.has(v)) throw invalid(ZPCI_DEVICE_TABLE.expected(field, v));
  return v;
}

function needZpci(facade: SimulationFacade): ZpciFacade {
  if (!facade.zpci)
    throw new ResponseError(ErrorCodes.InternalError, 'the zPCI model is not available in this build');
  return facade.zpci;
}

async function analysedOutput(ctx: RequestContext, uri: string, field: string): Promise<ServerAnalysis> {
  const analysed = await ctx.analysisOf(uri);
  if (!analysed) throw invalid(`${field}: ${uri} is not an open document`);
  if (analysed.state.kind !== 'analysed') {
    const why =
      analysed.state.kind === 'failed'
        ? `its analysis failed (${analysed.state.message})`
        : analysed.state.kind === 'too-large'
          ? 'it is over vfioLens.maxDocumentSize'
          : 'it holds no patch';
    throw new ResponseError(ErrorCodes.InvalidRequest, `${uri} has no analysis: ${why}`);
  }
  return analysed.state.output;
}

/** A KernelRef -> a kernel id or the policy of a patch side in an open document. */
export async function resolveKernel(
  ctx: RequestContext,
  ref: unknown,
  field: string,
): Promise<PolicySpec | KernelId> {
  if (!isObject(ref))
    throw invalid(`${field}: expected { kernel } or { uri, patch?, side }, got ${quoted(ref)}`);
  if ('kernel' in ref) {
    if (!KERNEL_TABLE.has(ref.kernel)) throw invalid(KERNEL_TABLE.expected(`${field}.kernel`, ref.kernel));
    return ref.kernel;
  }
  const uri = uriParam(ref.uri, `${field}.uri`);
  if (ref.side !== 'before' && ref.side !== 'after') {
    throw invalid(`${field}.side: expected "before" or "after", got ${quoted(ref.side)}`);
  }
  const side = ref.side;
  const output = await analysedOutput(ctx, uri, `${field}.uri`);
  if (ref.patch === undefined || ref.patch === null) {
    const whole = output.series ?? seriesOf(output);
    if (!whole)
      throw new ResponseError(
        ErrorCodes.InvalidRequest,
        `${uri}: the analysis found no kernel logic to simulate`,
      );
    return whole[side];
  }
  const n = output.policies.length;
  if (!Number.isInteger(ref.patch) || (ref.patch as number) < 0 || (ref.patch as number) >= n) {
    throw invalid(`${field}.patch: expected a patch index from 0 to ${n - 1}, got ${quoted(ref.patch)}`);
  }
  return output.policies[ref.patch as number][side];
}

function seriesOf(output: ServerAnalysis): { before: PolicySpec; after: PolicySpec } | undefined {
  const p = output.policies;
  return p.length ? { before: p[0].before, after: p[p.length - 1].after } : undefined;
}

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');

/** The context of one request: waiting for a document's analysis ends when the request is cancelled. */
function cancellable(ctx: RequestContext, token: CancellationToken): RequestContext {
  return {
    ...ctx,
    analysisOf: (uri) =>
      new Promise((resolve, reject) => {
        if (token.isCancellationRequested) return reject(cancelled());
        const sub = token.onCancellationRequested(() => {
          sub.dispose();
          reject(cancelled());
        });
        ctx.analysisOf(uri).then(
          (r) => {
            sub.dispose();
            resolve(r);
          },
          (e) => {
            sub.dispose();
            reject(e);
          },
        );
      }),
  };
}

/** Gives cancellation a chance to arrive, then checks it. */
async function checkpoint(token: CancellationToken): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (token.isCancellationRequested) throw cancelled();
}

async function needFacade(ctx: RequestContext): Promise<SimulationFacade> {
  if (!ctx.facade)
    throw new ResponseError(ErrorCodes.InternalError, 'the simulation model is not available in this build');
  if (ctx.facade.ready) {
    try {
      await ctx.facade.ready();
    } catch (e) {
      const message = `the simulation model cannot start: ${(e as Error).message}`;
      throw new ResponseError(ErrorCodes.InternalError, message);
    }
  }
  return ctx.facade;
}

/** Runs a facade call; a thrown model error about the input becomes InvalidParams with its message. */
function callModel<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    const err = e as Error;
    const programming = e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError;
    throw new ResponseError(
      programming ? ErrorCodes.InternalError : ErrorCodes.InvalidParams,
      `${what}: ${err?.message ?? String(e)}`,
    );
  }
}

/** One custom request: its method and the handler every request goes through. */
export interface CustomRequest {
  method: string;
  handle(ctx: RequestContext, raw: unknown, token: CancellationToken): Promise<unknown>;
}

type Params = Record<string, unknown>;

/**
 * A request the model answers: its parameters are read (and kernel references resolved) while the
 * request can still be cancelled, then the facade is asked; a model error about the input is
 * InvalidParams.
 */
function modelRequest<P, R, Q, Z = never>(
  type: RequestType<P, R, void>,
  read: (ctx: RequestContext, p: Params) => Promise<Q>,
  ask: (facade: SimulationFacade, q: Q) => R | Z,
  options: { paramsOptional?: boolean } = {},
): CustomRequest {
  const what = type.method.replace(/^vfioLens\//, '');
  return {
    method: type.method,
    async handle(outer, raw, token) {
      const ctx = cancellable(outer, token);
      const p =
        options.paramsOptional && (raw === undefined || raw === null) ? {} : paramsObject(raw, type.method);
      const q = await read(ctx, p);
      await checkpoint(token);
      const facade = await needFacade(ctx);
      return callModel(what, () => ask(facade, q));
    },
  };
}

/** A request about an open document, answered from its analysis. */
function documentRequest<P, R, Q extends { uri: string }>(
  type: RequestType<P, R, void>,
  read: (p: Params) => Q,
  answer: (output: ServerAnalysis, q: Q, ctx: RequestContext) => R,
): CustomRequest {
  return {
    method: type.method,
    async handle(outer, raw, token) {
      const ctx = cancellable(outer, token);
      const q = read(paramsObject(raw, type.method));
      const output = await analysedOutput(ctx, q.uri, 'uri');
      await checkpoint(token);
      return answer(output, q, ctx);
    },
  };
}

/** Which model a request's references name (the discriminant of its parsed parameters). */
const ZPCI = 'zpci' as const;
const VFIO = 'vfio-pci' as const;

const wholeNumber = (v: unknown, min: number, max = Infinity) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const simulate = modelRequest(
  SimulateRequest,
  async (ctx, p: Partial<Record<keyof SimulateParams, unknown>>) => {
    if (typeof p.steps !== 'string' || !p.steps.trim())
      throw invalid(`steps: expected a step script such as "open; mmio-read", got ${quoted(p.steps)}`);
    if (p.explain !== undefined && typeof p.explain !== 'boolean')
      throw invalid('explain: expected true or false');
    const explain = p.explain as boolean | undefined;
    const zpci = zpciRef(p.kernel, 'kernel');
    if (zpci) return { model: ZPCI, zpci, device: zpciDevice(p.device, 'device'), steps: p.steps, explain };
    const kernel = await resolveKernel(ctx, p.kernel, 'kernel');
    return { model: VFIO, device: deviceParam(p.device, 'device'), kernel, steps: p.steps, explain };
  },
  (facade, q): SimulateResult | ZpciSimulateResult =>
    q.model === ZPCI
      ? needZpci(facade).simulate(q.device, q.zpci, q.steps, q.explain)
      : facade.simulateScript(q.device, q.kernel, q.steps, q.explain),
);

const compare = modelRequest(
  CompareRequest,
  async (ctx, p: Partial<Record<keyof CompareParams, unknown>>) => {
    if (p.depth !== undefined && !wholeNumber(p.depth, 1, 12))
      throw invalid(`depth: expected a whole number from 1 to 12, got ${quoted(p.depth)}`);
    if (p.internal !== undefined && typeof p.internal !== 'boolean')
      throw invalid('internal: expected true or false');
    const depth = p.depth as number | undefined;
    const internal = p.internal as boolean | undefined;
    const [za, zb] = [zpciRef(p.a, 'a'), zpciRef(p.b, 'b')];
    if (za || zb) {
      if (!za || !zb) throw invalid(`${za ? 'b' : 'a'}: expected { qemu, host? } as the other side`);
      const zdevice =
        p.device === undefined || p.device === null ? undefined : zpciDevice(p.device, 'device');
      return { model: ZPCI, zpci: { a: za, b: zb }, options: { device: zdevice, depth, internal } };
    }
    const a = await resolveKernel(ctx, p.a, 'a');
    const b = await resolveKernel(ctx, p.b, 'b');
    return { model: VFIO, a, b, options: { device: optionalDevice(p.device, 'device'), depth, internal } };
  },
  (facade, q): CompareResult | ZpciCompareResult =>
    q.model === ZPCI
      ? needZpci(facade).compare(q.zpci.a, q.zpci.b, q.options)
      : facade.comparePolicies(q.a, q.b, q.options),
);

/** The most kernels one vfioLens/matrix compares (the model has 7; documents add their own). */
export const MAX_MATRIX_KERNELS = 32;

const matrix = modelRequest(
  MatrixRequest,
  async (ctx, p: Partial<Record<keyof MatrixParams | 'model', unknown>>) => {
    if (p.model !== undefined && p.model !== 'vfio-pci' && p.model !== 'zpci')
      throw invalid(`model: expected "vfio-pci" or "zpci", got ${JSON.stringify(p.model)}`);
    if (p.kernels !== undefined && !Array.isArray(p.kernels))
      throw invalid('kernels: expected an array of kernel references');
    // each kernel is a column of every scenario and device: 2,000 of them held the main thread 5 s
    if (p.kernels !== undefined && p.kernels.length > MAX_MATRIX_KERNELS)
      throw invalid(
        `kernels: ${p.kernels.length} kernel references, over the limit of ${MAX_MATRIX_KERNELS} a matrix`,
      );
    const refs = (p.kernels ?? []) as unknown[];
    if (p.model === 'zpci') {
      const zpci: ZpciRef[] = [];
      for (let i = 0; i < refs.length; i++) {
        const r = zpciRef(refs[i], `kernels[${i}]`);
        if (!r) throw invalid(`kernels[${i}]: expected { qemu, host? }, got ${JSON.stringify(refs[i])}`);
        zpci.push(r);
      }
      return { model: ZPCI, zpci: p.kernels === undefined ? undefined : zpci };
    }
    if (p.kernels === undefined) return { model: VFIO, specs: undefined };
    const specs: (PolicySpec | KernelId)[] = [];
    for (let i = 0; i < refs.length; i++) specs.push(await resolveKernel(ctx, refs[i], `kernels[${i}]`));
    return { model: VFIO, specs };
  },
  (facade, q): MatrixResult | ZpciMatrixResult =>
    q.model === ZPCI ? needZpci(facade).matrix(q.zpci) : facade.behaviourMatrix(q.specs),
  { paramsOptional: true },
);

/** The most steps vfioLens/states tries from each state (the model's own alphabets hold a few dozen). */
const MAX_STATES_STEPS = 256;

const states = modelRequest(
  StatesRequest,
  async (ctx, p: Partial<Record<keyof StatesParams, unknown>>) => {
    // bounded like compare's: each state tries every step, so depth and steps multiply the work
    if (p.depth !== undefined && !wholeNumber(p.depth, 1, 12))
      throw invalid(`depth: expected a whole number from 1 to 12, got ${quoted(p.depth)}`);
    if (p.steps !== undefined && (!Array.isArray(p.steps) || p.steps.some((s) => typeof s !== 'string')))
      throw invalid('steps: expected an array of step strings');
    if (Array.isArray(p.steps) && p.steps.length > MAX_STATES_STEPS)
      throw invalid(`steps: at most ${MAX_STATES_STEPS} steps to try, got ${p.steps.length}`);
    const options = { depth: p.depth as number | undefined, steps: p.steps as string[] | undefined };
    const zpci = zpciRef(p.kernel, 'kernel');
    if (zpci) return { model: ZPCI, zpci, device: zpciDevice(p.device, 'device'), options };
    const device = deviceParam(p.device, 'device');
    return { model: VFIO, device, kernel: await resolveKernel(ctx, p.kernel, 'kernel'), options };
  },
  (facade, q): StatesResult | ZpciStatesResult =>
    q.model === ZPCI
      ? needZpci(facade).states(q.device, q.zpci, q.options)
      : facade.reachableStates(q.device, q.kernel, q.options),
);

const explain = documentRequest(
  ExplainRequest,
  (p: Partial<Record<keyof ExplainParams, unknown>>) => ({
    uri: uriParam(p.uri, 'uri'),
    position: positionParam(p.position, 'position'),
  }),
  (output, { uri, position }, ctx): ExplainResult => {
    // Only the decision at the cursor: its changed line, or a quoted copy of it in a reply.
    const site =
      decisionAt(output, position) ??
      (ctx.lineText
        ? quotedDecisionAt(output, position, sameCode(uri, position.line, ctx.lineText))
        : undefined);
    if (!site) return { markdown: null, reason: NO_DECISION };
    return {
      markdown: decisionMarkdown(output, site),
      decision: site.decision,
      before: site.before ?? undefined,
      after: site.after ?? undefined,
    };
  },
);

const NO_DECISION = 'no vfio decision at the cursor';

/** Whether another line of the document says the same code as line `line` (quote and diff markers aside). */
function sameCode(
  uri: string,
  line: number,
  lineText: (uri: string, line: number) => string | undefined,
): (other: number) => boolean {
  const here = lineText(uri, line) ?? '';
  return (other) => sameCodeAs(here, lineText(uri, other) ?? '');
}

const summary = documentRequest(
  SummaryRequest,
  (p: Partial<Record<keyof SummaryParams, unknown>>) => ({ uri: uriParam(p.uri, 'uri') }),
  (output): SummaryResult => ({ text: behaviourSummary(output) }),
);

const status: CustomRequest = {
  method: DocumentStatusRequest.method,
  async handle(outer, raw, token): Promise<DocumentStatus> {
    const ctx = cancellable(outer, token);
    const p: Partial<Record<keyof DocumentStatusParams, unknown>> = paramsObject(
      raw,
      DocumentStatusRequest.method,
    );
    const uri = uriParam(p.uri, 'uri');
    const analysed = await ctx.analysisOf(uri);
    if (!analysed) throw invalid(`uri: ${uri} is not an open document`);
    return documentStatus(analysed, (await ctx.baselineSetting?.(uri)) ?? 'auto');
  },
};

/** The models' vocabulary (model/registry.ts): what a client offers people to pick. */
const vocabulary: CustomRequest = {
  method: VocabularyRequest.method,
  handle: async (): Promise<VocabularyResult> => ({ models: [...MODELS] }),
};

/** Every custom request the server answers. Adding one: its RequestType in protocol.ts, a row here. */
export const CUSTOM_REQUESTS: readonly CustomRequest[] = [
  simulate,
  compare,
  matrix,
  explain,
  summary,
  states,
  vocabulary,
  status,
];
