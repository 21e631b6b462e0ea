/**
 * The scenario simulator panel (a webview). One panel at a time; the commands and the page drive it.
 * The page (client/webview) only draws: every answer comes from the server through VfioServer,
 * and what it offers (device kinds, kernels, presets, the pair it starts with) is the server's
 * vocabulary.
 */
import * as vscode from 'vscode';
import {
  CompareRequest,
  DocumentStatusRequest,
  MatrixRequest,
  SimulateRequest,
  StatesRequest,
  ZpciCompareRequest,
  ZpciMatrixRequest,
  ZpciSimulateRequest,
  ZpciStatesRequest,
  type DeviceKindId,
  type KernelRef,
  type MatrixResult,
  type ModelVocabulary,
  type PatchSides,
  type ZpciRef,
} from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import { kernelRefLabel } from '../kernels';
import { simulatorHtml } from './html';
import {
  MessageError,
  parseFromPage,
  parsePageState,
  type FromPage,
  type KernelChoice,
  type PageComparison,
  type PageSimulation,
  type PageState,
  type PageStates,
  type RenderReport,
  type ToPage,
} from './messages';
import {
  choiceRef,
  isZpciRef,
  modelOfRef,
  pageChoices,
  pageModel,
  zpciMatrixForPage,
  zpciRefLabel,
  type PanelRef,
} from './models';
import { traceToPlainText } from './plainText';

export const SIMULATOR_VIEW_TYPE = 'vfioLens.simulator';

/** What a trace run gave, and what the page drew of it. */
export interface TraceRun {
  device: string;
  steps: string[];
  labels: [string, string | null];
  a: PageSimulation;
  b: PageSimulation | null;
  text: string;
  rendered?: RenderReport;
}

type PatchContext = { uri: string; patch?: number };

const RENDER_WAIT_MS = 15000;

export class SimulatorPanels {
  private panel: vscode.WebviewPanel | undefined;
  private ready: Promise<void> | undefined;
  private markReady: (() => void) | undefined;
  private patch: PatchContext | undefined;
  private lastRun: TraceRun | undefined;
  private renderWaiters: ((r: RenderReport) => void)[] = [];
  /** The number of the last result posted: a report answers the result it names, not a redraw. */
  private seq = 0;
  private lastRender: RenderReport | undefined;
  private restored: Partial<PageState> = {};
  /** Every model of the server's vocabulary, the vfio-pci model first. */
  private models: ModelVocabulary[] | undefined;
  /** Each patch document's sides as the server names them ("before [PATCH v5 3/3] ..."). */
  private sides = new Map<string, PatchSides[]>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: VfioServer,
  ) {}

  /** The last report the page sent after drawing (tests read it). */
  get rendered(): RenderReport | undefined {
    return this.lastRender;
  }

  get lastTrace(): TraceRun | undefined {
    return this.lastRun;
  }

  /** The models as the page offers them, the attached patch's sides named. */
  private pageModels(models: readonly ModelVocabulary[]) {
    const patch = this.patch
      ? {
          before: this.label({ ...this.patch, side: 'before' }),
          after: this.label({ ...this.patch, side: 'after' }),
        }
      : undefined;
    return models.map((m) => pageModel(m, patch));
  }

  /** A side's name: a patch side as the server names it (once it said: loadSides), a zPCI side with its host. */
  label(ref: PanelRef): string {
    if (isZpciRef(ref)) return zpciRefLabel(ref);
    return kernelRefLabel(ref, 'uri' in ref ? this.sides.get(ref.uri) : undefined);
  }

  private labels(a: PanelRef, b: PanelRef | null): [string, string | null] {
    return [this.label(a), b ? this.label(b) : null];
  }

  /** Asks the server how it names the sides of the patch documents given (an unanswered ask keeps the last names). */
  private async loadSides(...refs: (PanelRef | null | undefined)[]): Promise<void> {
    const uris = new Set(refs.flatMap((r) => (r && 'uri' in r ? [r.uri] : [])));
    if (this.patch) uris.add(this.patch.uri);
    await Promise.all(
      [...uris].map(async (uri) => {
        const status = await this.server.request(DocumentStatusRequest, { uri }).catch(() => undefined);
        if (status?.sides) this.sides.set(uri, status.sides);
      }),
    );
  }

  /** The references of the sides a message from the page names (checked by parseFromPage). */
  private refsOf(models: readonly ModelVocabulary[], msg: Extract<FromPage, { a: string }>) {
    const model = models.find((m) => m.id === msg.model) ?? models[0];
    const ref = (choice: KernelChoice): PanelRef => {
      const r = choiceRef(model, choice, msg.host, this.patch);
      if (!r) throw new MessageError('no patch is attached to this panel');
      return r;
    };
    return { a: ref(msg.a), b: msg.b === null ? null : ref(msg.b) };
  }

  /** What the page is set to for these sides: their model, host and choices. */
  private async setupOf(a: PanelRef, b: PanelRef | null): Promise<Partial<PageState>> {
    const model = modelOfRef((this.models ??= await this.server.vocabularies()), a);
    const choice = (ref: PanelRef): KernelChoice => {
      if (isZpciRef(ref)) return ref.qemu;
      if ('kernel' in ref) return ref.kernel;
      this.patch = { uri: ref.uri, patch: ref.patch };
      return ref.side;
    };
    return {
      ...(model ? { model: model.id } : {}),
      ...(isZpciRef(a) && a.host ? { host: a.host } : {}),
      a: choice(a),
      b: b ? choice(b) : null,
    };
  }

  /** Shows the panel (creating it, or adopting one VS Code restored) and waits for its page. */
  async reveal(setup: Partial<PageState> = {}, adopt?: vscode.WebviewPanel): Promise<void> {
    if (setup.patch) this.patch = setup.patch;
    const models = (this.models = await this.server.vocabularies());
    await this.loadSides();
    if (this.panel && !adopt) {
      this.panel.reveal(undefined, false);
      if (Object.keys(setup).length) this.post({ type: 'init', ...this.initMessage(models, setup) });
      return this.ready;
    }
    const roots = [
      vscode.Uri.joinPath(this.context.extensionUri, 'dist'),
      vscode.Uri.joinPath(this.context.extensionUri, 'media'),
    ];
    const panel =
      adopt ??
      vscode.window.createWebviewPanel(SIMULATOR_VIEW_TYPE, 'vfio-lens simulator', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: roots,
        retainContextWhenHidden: false,
      });
    panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    this.panel = panel;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.restored = setup;
    panel.webview.onDidReceiveMessage(
      (m: unknown) => this.onMessage(m),
      undefined,
      this.context.subscriptions,
    );
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.html = simulatorHtml(panel.webview, this.context.extensionUri);
    return this.ready;
  }

  private initMessage(
    models: readonly ModelVocabulary[],
    setup: Partial<PageState>,
  ): Omit<Extract<ToPage, { type: 'init' }>, 'type'> {
    return { models: this.pageModels(models), setup: { ...setup, patch: this.patch } };
  }

  private post(msg: ToPage): void {
    void this.panel?.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    let msg;
    const models = this.models;
    if (!models) return; // the page of a panel not revealed yet
    try {
      msg = parseFromPage(raw, pageChoices(this.pageModels(models)));
    } catch (e) {
      this.server.output.warn(`simulator page sent a message that was refused: ${(e as Error).message}`);
      this.post({ type: 'error', message: `Refused: ${(e as Error).message}` });
      return;
    }
    try {
      switch (msg.type) {
        case 'ready':
          this.post({ type: 'init', ...this.initMessage(models, this.restored) });
          this.markReady?.();
          return;
        case 'run': {
          const { a, b } = this.refsOf(models, msg);
          await this.runTrace(msg.device, a, b, msg.steps.join('; '));
          return;
        }
        case 'matrix': {
          const { a, b } = this.refsOf(models, msg);
          await this.showMatrix(b ? [a, b] : [a]);
          return;
        }
        case 'states': {
          const { a, b } = this.refsOf(models, msg);
          await this.showStates(msg.device, a, b);
          return;
        }
        case 'compare': {
          const { a, b } = this.refsOf(models, msg);
          if (b) await this.compare(a, b, msg.device ?? undefined);
          return;
        }
        case 'copy':
          await this.copy();
          return;
        case 'rendered':
          this.lastRender = msg.report;
          for (const w of this.renderWaiters.splice(0)) w(msg.report);
          return;
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.server.output.error(`simulator: ${message}`);
      this.post({ type: 'error', message });
    }
  }

  /** Posts a result and waits for the page's report on drawing that result. */
  private async postAndWait(
    msg: Extract<ToPage, { type: 'trace' | 'compare' | 'matrix' | 'states' }>,
  ): Promise<RenderReport | undefined> {
    const seq = ++this.seq;
    const rendered = new Promise<RenderReport | undefined>((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        resolve(undefined);
      }, RENDER_WAIT_MS);
      const waiter = (r: RenderReport) => {
        if (done) return;
        if (r.seq !== seq) {
          this.renderWaiters.push(waiter); // a redraw of an earlier result: wait on
          return;
        }
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      this.renderWaiters.push(waiter);
    });
    this.post({ ...msg, seq });
    return rendered;
  }

  private simulate(device: string, ref: PanelRef, script: string): Promise<PageSimulation> {
    if (isZpciRef(ref))
      return this.server.request(ZpciSimulateRequest, { device, kernel: ref, steps: script, explain: true });
    const kernel: KernelRef = ref;
    return this.server.request(SimulateRequest, {
      device: device as DeviceKindId,
      kernel,
      steps: script,
      explain: true,
    });
  }

  /**
   * Runs the script under one or two sides (kernels, patch sides, or QEMU versions on a host) and
   * shows the traces side by side. The server reads the script; the steps the page lists are the
   * trace's own.
   */
  async runTrace(device: string, a: PanelRef, b: PanelRef | null, script: string): Promise<TraceRun> {
    await this.reveal({ device, ...(await this.setupOf(a, b)), view: 'trace' });
    this.post({ type: 'busy', what: `simulating ${device}` });
    const [ra, rb] = await Promise.all([
      this.simulate(device, a, script),
      b ? this.simulate(device, b, script) : null,
    ]);
    await this.loadSides(a, b);
    const labels = this.labels(a, b);
    const run: TraceRun = {
      device,
      steps: ra.trace.map((e) => e.action),
      labels,
      a: ra,
      b: rb,
      text: traceToPlainText(device, labels, ra, rb),
    };
    this.lastRun = run;
    run.rendered = await this.postAndWait({ type: 'trace', labels, a: ra, b: rb });
    return run;
  }

  /** Compares two sides of one model (the page's Compare) and shows the differing scenarios. */
  private async compare(a: PanelRef, b: PanelRef, device?: string): Promise<RenderReport | undefined> {
    await this.reveal({ ...(device ? { device } : {}), ...(await this.setupOf(a, b)), view: 'compare' });
    this.post({ type: 'busy', what: `comparing ${this.label(a)} and ${this.label(b)}` });
    let result: PageComparison;
    if (isZpciRef(a) && isZpciRef(b)) {
      result = await this.server.request(ZpciCompareRequest, { a, b, ...(device ? { device } : {}) });
    } else if (!isZpciRef(a) && !isZpciRef(b)) {
      result = await this.server.request(CompareRequest, {
        a,
        b,
        ...(device ? { device: device as DeviceKindId } : {}),
      });
    } else throw new MessageError('both sides of a comparison must be of one model');
    return this.showCompare(a, b, result);
  }

  async showCompare(a: PanelRef, b: PanelRef, result: PageComparison): Promise<RenderReport | undefined> {
    await this.reveal({ ...(await this.setupOf(a, b)), view: 'compare' });
    await this.loadSides(a, b);
    return this.postAndWait({ type: 'compare', labels: [this.label(a), this.label(b)], result });
  }

  /** The behaviour matrix under the kernels (default all) or the patch sides given. */
  async showMatrix(kernels?: KernelRef[]): Promise<{ result: MatrixResult; rendered?: RenderReport }>;
  /** The zPCI matrix under the QEMU versions given (one host for all of them). */
  async showMatrix(kernels: ZpciRef[]): Promise<{ result: MatrixResult; rendered?: RenderReport }>;
  async showMatrix(kernels?: PanelRef[]): Promise<{ result: MatrixResult; rendered?: RenderReport }>;
  async showMatrix(kernels?: PanelRef[]): Promise<{ result: MatrixResult; rendered?: RenderReport }> {
    const setup: Partial<PageState> = { view: 'matrix' };
    if (kernels?.[0]) Object.assign(setup, await this.setupOf(kernels[0], kernels[1] ?? null));
    else setup.model = (this.models ??= await this.server.vocabularies())[0].id; // all kernels
    await this.reveal(setup);
    this.post({ type: 'busy', what: 'computing the behaviour matrix' });
    const zpci = kernels?.filter(isZpciRef) ?? [];
    const vfio = kernels?.filter((k): k is KernelRef => !isZpciRef(k));
    const result =
      zpci.length > 0
        ? zpciMatrixForPage(await this.server.request(ZpciMatrixRequest, { model: 'zpci', kernels: zpci }))
        : await this.server.request(MatrixRequest, vfio ? { kernels: vfio } : {});
    // the columns by the names of the sides asked for (a patch side's own id is "v5.8+2")
    await this.loadSides(...(kernels ?? []));
    const names =
      kernels && kernels.length === result.kernels.length ? kernels.map((k) => this.label(k)) : undefined;
    const msg = { type: 'matrix' as const, result, ...(names ? { names } : {}) };
    return { result, rendered: await this.postAndWait(msg) };
  }

  private statesOf(device: string, ref: PanelRef): Promise<PageStates> {
    if (isZpciRef(ref)) return this.server.request(ZpciStatesRequest, { device, kernel: ref });
    const kernel: KernelRef = ref;
    return this.server.request(StatesRequest, { device: device as DeviceKindId, kernel });
  }

  async showStates(device: string, a: PanelRef, b: PanelRef | null): Promise<RenderReport | undefined> {
    await this.reveal({ device, ...(await this.setupOf(a, b)), view: 'states' });
    this.post({ type: 'busy', what: `exploring the states of ${device}` });
    const [sa, sb] = await Promise.all([this.statesOf(device, a), b ? this.statesOf(device, b) : null]);
    await this.loadSides(a, b);
    return this.postAndWait({
      type: 'states',
      labels: this.labels(a, b),
      a: sa,
      b: sb,
    });
  }

  /** Copies the last trace as plain text; returns the text (undefined when nothing ran yet). */
  async copy(): Promise<string | undefined> {
    if (!this.lastRun) {
      this.post({ type: 'error', message: 'Run a scenario first.' });
      return undefined;
    }
    await vscode.env.clipboard.writeText(this.lastRun.text);
    this.post({ type: 'copied', text: this.lastRun.text });
    return this.lastRun.text;
  }
}

export function registerSimulatorPanel(
  context: vscode.ExtensionContext,
  server: VfioServer,
): SimulatorPanels {
  const panels = new SimulatorPanels(context, server);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(SIMULATOR_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const models = (await server.vocabularies()).map((m) => ({
          id: m.id,
          devices: m.devices.map((d) => d.id),
        }));
        await panels.reveal(parsePageState(state, models), panel);
      },
    }),
    vscode.commands.registerCommand('vfioLens.simulator.copyPlainText', () => panels.copy()),
    vscode.commands.registerCommand('vfioLens.simulator.rendered', () => panels.rendered),
  );
  return panels;
}
