/**
 * The scenario simulator panel (a webview). One panel at a time; the commands and the page drive it.
 * The page (client/webview) only draws: every answer comes from the server through VfioServer,
 * and what it offers (device kinds, kernels, presets, the pair it starts with) is the server's
 * vocabulary.
 */
import * as vscode from 'vscode';
import {
  DocumentStatusRequest,
  MatrixRequest,
  SimulateRequest,
  StatesRequest,
  type CompareResult,
  type DeviceKindId,
  type KernelId,
  type KernelRef,
  type MatrixResult,
  type ModelVocabulary,
  type PatchSides,
  type SimulateParams,
  type SimulateResult,
  type StatesResult,
} from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import { kernelRefLabel } from '../kernels';
import { simulatorHtml } from './html';
import {
  MessageError,
  parseFromPage,
  parsePageState,
  type KernelChoice,
  type KernelOption,
  type PageState,
  type RenderReport,
  type ToPage,
} from './messages';
import { traceToPlainText } from './plainText';

export const SIMULATOR_VIEW_TYPE = 'vfioLens.simulator';

/** What a trace run gave, and what the page drew of it. */
export interface TraceRun {
  device: DeviceKindId;
  steps: string[];
  labels: [string, string | null];
  a: SimulateResult;
  b: SimulateResult | null;
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
  private model: ModelVocabulary | undefined;
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

  private choices(model: ModelVocabulary): string[] {
    return [...model.variants.map((k) => k.id), ...(this.patch ? ['before', 'after'] : [])];
  }

  private kernelOptions(model: ModelVocabulary): KernelOption[] {
    const opts: KernelOption[] = [];
    if (this.patch) {
      const { uri, patch } = this.patch;
      opts.push(
        { value: 'before', label: this.label({ uri, patch, side: 'before' }) },
        { value: 'after', label: this.label({ uri, patch, side: 'after' }) },
      );
    }
    return opts.concat(model.variants.map((k) => ({ value: k.id, label: k.label })));
  }

  /** A kernel side's name: a patch side as the server names it, once it said (loadSides). */
  label(ref: KernelRef): string {
    return kernelRefLabel(ref, 'uri' in ref ? this.sides.get(ref.uri) : undefined);
  }

  private labels(a: KernelRef, b: KernelRef | null): [string, string | null] {
    return [this.label(a), b ? this.label(b) : null];
  }

  /** Asks the server how it names the sides of the patch documents given (an unanswered ask keeps the last names). */
  private async loadSides(...refs: (KernelRef | null | undefined)[]): Promise<void> {
    const uris = new Set(refs.flatMap((r) => (r && 'uri' in r ? [r.uri] : [])));
    if (this.patch) uris.add(this.patch.uri);
    await Promise.all(
      [...uris].map(async (uri) => {
        const status = await this.server.request(DocumentStatusRequest, { uri }).catch(() => undefined);
        if (status?.sides) this.sides.set(uri, status.sides);
      }),
    );
  }

  choiceToRef(choice: KernelChoice): KernelRef {
    if (choice === 'before' || choice === 'after') {
      if (!this.patch) throw new MessageError('no patch is attached to this panel');
      return { uri: this.patch.uri, patch: this.patch.patch, side: choice };
    }
    return { kernel: choice as KernelId };
  }

  private refToChoice(ref: KernelRef): KernelChoice {
    if ('kernel' in ref) return ref.kernel;
    this.patch = { uri: ref.uri, patch: ref.patch };
    return ref.side;
  }

  /** Shows the panel (creating it, or adopting one VS Code restored) and waits for its page. */
  async reveal(setup: Partial<PageState> = {}, adopt?: vscode.WebviewPanel): Promise<void> {
    if (setup.patch) this.patch = setup.patch;
    const model = (this.model = await this.server.vocabulary());
    await this.loadSides();
    if (this.panel && !adopt) {
      this.panel.reveal(undefined, false);
      if (Object.keys(setup).length) this.post({ type: 'init', ...this.initMessage(model, setup) });
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
    model: ModelVocabulary,
    setup: Partial<PageState>,
  ): Omit<Extract<ToPage, { type: 'init' }>, 'type'> {
    return {
      devices: model.devices.map(({ id, label, registers }) =>
        registers ? { id, label, registers } : { id, label },
      ),
      kernels: this.kernelOptions(model),
      presets: model.presets,
      stepActions: model.steps.map((s) => s.action),
      defaults: model.defaults,
      legend: model.legend,
      columns: model.columns,
      setup: { ...setup, patch: this.patch },
    };
  }

  private post(msg: ToPage): void {
    void this.panel?.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    let msg;
    const model = this.model;
    if (!model) return; // the page of a panel not revealed yet
    try {
      msg = parseFromPage(
        raw,
        model.devices.map((d) => d.id),
        this.choices(model),
      );
    } catch (e) {
      this.server.output.warn(`simulator page sent a message that was refused: ${(e as Error).message}`);
      this.post({ type: 'error', message: `Refused: ${(e as Error).message}` });
      return;
    }
    try {
      switch (msg.type) {
        case 'ready':
          this.post({ type: 'init', ...this.initMessage(model, this.restored) });
          this.markReady?.();
          return;
        case 'run':
          await this.runTrace(
            msg.device,
            this.choiceToRef(msg.a),
            msg.b ? this.choiceToRef(msg.b) : null,
            msg.steps.join('; '),
          );
          return;
        case 'matrix':
          await this.showMatrix(
            msg.b ? [this.choiceToRef(msg.a), this.choiceToRef(msg.b)] : [this.choiceToRef(msg.a)],
          );
          return;
        case 'states':
          await this.showStates(msg.device, this.choiceToRef(msg.a), msg.b ? this.choiceToRef(msg.b) : null);
          return;
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

  private simulate(device: DeviceKindId, kernel: KernelRef, script: string): Promise<SimulateResult> {
    const params: SimulateParams = { device, kernel, steps: script, explain: true };
    return this.server.request(SimulateRequest, params);
  }

  /**
   * Runs the script under one or two kernel sides and shows the traces side by side. The server
   * reads the script; the steps the page lists are the trace's own.
   */
  async runTrace(device: DeviceKindId, a: KernelRef, b: KernelRef | null, script: string): Promise<TraceRun> {
    await this.reveal({ device, a: this.refToChoice(a), b: b ? this.refToChoice(b) : null, view: 'trace' });
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

  async showCompare(a: KernelRef, b: KernelRef, result: CompareResult): Promise<RenderReport | undefined> {
    await this.reveal({ a: this.refToChoice(a), b: this.refToChoice(b), view: 'compare' });
    await this.loadSides(a, b);
    return this.postAndWait({ type: 'compare', labels: [this.label(a), this.label(b)], result });
  }

  async showMatrix(kernels?: KernelRef[]): Promise<{ result: MatrixResult; rendered?: RenderReport }> {
    const setup: Partial<PageState> = { view: 'matrix' };
    if (kernels?.[0]) setup.a = this.refToChoice(kernels[0]);
    if (kernels?.[1]) setup.b = this.refToChoice(kernels[1]);
    await this.reveal(setup);
    this.post({ type: 'busy', what: 'computing the behaviour matrix' });
    const result = await this.server.request(MatrixRequest, kernels ? { kernels } : {});
    // the columns by the names of the sides asked for (a patch side's own id is "v5.8+2")
    await this.loadSides(...(kernels ?? []));
    const names =
      kernels && kernels.length === result.kernels.length ? kernels.map((k) => this.label(k)) : undefined;
    const msg = { type: 'matrix' as const, result, ...(names ? { names } : {}) };
    return { result, rendered: await this.postAndWait(msg) };
  }

  private statesOf(device: DeviceKindId, kernel: KernelRef): Promise<StatesResult> {
    return this.server.request(StatesRequest, { device, kernel });
  }

  async showStates(
    device: DeviceKindId,
    a: KernelRef,
    b: KernelRef | null,
  ): Promise<RenderReport | undefined> {
    await this.reveal({ device, a: this.refToChoice(a), b: b ? this.refToChoice(b) : null, view: 'states' });
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
        const model = await server.vocabulary();
        const devices = model.devices.map((d) => d.id);
        await panels.reveal(parsePageState(state, devices), panel);
      },
    }),
    vscode.commands.registerCommand('vfioLens.simulator.copyPlainText', () => panels.copy()),
    vscode.commands.registerCommand('vfioLens.simulator.rendered', () => panels.rendered),
  );
  return panels;
}
