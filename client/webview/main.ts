/**
 * The simulator page. It draws what the extension sends and asks for runs; it never computes
 * behaviour itself, and knows no model, device kind, kernel or QEMU version but those the server
 * offers (with the pair each model starts from). A model picker chooses whose sides, device kinds
 * and steps the controls offer (the first model, vfio-pci, when nothing was chosen). Its UI state
 * (and the last result) survive hide/show via getState/setState.
 */
import type {
  DeviceOption,
  FromPage,
  KernelOption,
  PageModel,
  PageSides,
  PageState,
  RenderReport,
  StepOption,
  StepPreset,
  ToPage,
} from '../src/simulatorPanel/messages';
import { parseToPage, receiveToPage } from '../src/simulatorPanel/messages';
import { clear, h } from './dom';
import { legend, type LegendTerm } from './legend';
import { renderCompare } from './compareView';
import { renderMatrix } from './matrixView';
import { renderStates } from './statesView';
import { renderTrace, type ColumnLabel } from './traceView';

interface VsCodeApi {
  postMessage(msg: FromPage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Saved = Partial<PageState> & { last?: ToPage };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let saved: Saved = (vscode.getState() as Saved | undefined) ?? {};
let models: PageModel[] = [];
let model: PageModel | undefined;
let devices: DeviceOption[] = [];
let kernels: KernelOption[] = [];
let presets: StepPreset[] = [];
let steps: StepOption[] = [];
let terms: LegendTerm[] = [];
let columns: ColumnLabel[] = [];

const status = h('p', { class: 'status', role: 'status' });
const output = h('section', { class: 'output', 'aria-label': 'result' });
const modelSelect = h('select', { id: 'model', 'aria-label': 'model' });
const deviceSelect = h('select', { id: 'device', 'aria-label': 'device kind' });
const kernelA = h('select', { id: 'kernel-a', 'aria-label': 'first kernel' });
const kernelB = h('select', { id: 'kernel-b', 'aria-label': 'second kernel' });
const hostSelect = h('select', { id: 'host', 'aria-label': 'host kernel' });
const kernelALabel = h('label', { for: 'kernel-a' }, 'Kernel A ');
const kernelBLabel = h('label', { for: 'kernel-b' }, 'Kernel B ');
/** The host kernel picker, shown for a model whose sides run on one. */
const hostField = h(
  'span',
  { class: 'field', hidden: true },
  h('label', { for: 'host' }, 'Host kernel '),
  hostSelect,
);
const stepList = h('ol', { class: 'steps', id: 'steps' });
const presetSelect = h('select', { id: 'preset', 'aria-label': 'step preset' });
const addAction = h('select', { id: 'add-action', 'aria-label': 'step to add' });
const addValue = h('input', {
  id: 'add-value',
  type: 'text',
  placeholder: 'value, e.g. 0x0002',
  'aria-label': 'value of the step',
  list: 'step-registers',
  size: 24,
});
/** The registers of the chosen device kind, offered to a config step's value by name. */
const registerList = h('datalist', { id: 'step-registers' });

/** What the value of a step is, as the placeholder says (a config step names a register). */
const VALUE_HINTS: Record<string, string> = {
  'cfg-read': 'register and width, e.g. PCI_EXP_DEVCTL 2',
  'cfg-write': 'register, width, value, e.g. PCI_PM_CTRL 2 0x3',
  'set-power': 'D0 or D3hot',
};

/** How a step's value is written, from its usage ("AS OFFSET LEN [GADDR], e.g. 0 0 4096"). */
function valueHint(action: string): string {
  const own = VALUE_HINTS[action];
  if (own) return own;
  const step = steps.find((s) => s.action === action);
  const args = step?.usage.slice(action.length).trim() ?? '';
  if (!args) return 'no value';
  return step?.example ? `${args}, e.g. ${step.example}` : args;
}

/** Offers the chosen device's registers when the step to add names one. */
function offerRegisters(): void {
  clear(registerList);
  addValue.placeholder = valueHint(addAction.value);
  if (addAction.value !== 'cfg-read' && addAction.value !== 'cfg-write') return;
  const device = devices.find((d) => d.id === deviceSelect.value);
  for (const r of device?.registers ?? []) registerList.append(h('option', { value: r }));
}

function save(patch: Saved): void {
  saved = { ...saved, ...patch };
  vscode.setState(saved);
}

function currentSteps(): string[] {
  return [...stepList.querySelectorAll('input')].map((i) => i.value.trim()).filter((v) => v.length > 0);
}

function setSteps(steps: string[]): void {
  clear(stepList);
  steps.forEach((step, i) => {
    const input = h('input', { type: 'text', value: step, 'aria-label': `step ${i + 1}`, size: 28 });
    input.addEventListener('change', () => save({ steps: currentSteps() }));
    const move = (delta: number) => {
      const list = currentSteps();
      const j = i + delta;
      if (j < 0 || j >= list.length) return;
      [list[i], list[j]] = [list[j], list[i]];
      setSteps(list);
      (stepList.querySelectorAll('input')[j] as HTMLInputElement | undefined)?.focus();
    };
    stepList.append(
      h(
        'li',
        {},
        input,
        h(
          'button',
          {
            type: 'button',
            title: 'Move up',
            'aria-label': `move step ${i + 1} up`,
            onclick: () => move(-1),
          },
          '↑',
        ),
        h(
          'button',
          {
            type: 'button',
            title: 'Move down',
            'aria-label': `move step ${i + 1} down`,
            onclick: () => move(1),
          },
          '↓',
        ),
        h(
          'button',
          {
            type: 'button',
            title: 'Remove',
            'aria-label': `remove step ${i + 1}`,
            onclick: () => setSteps(currentSteps().filter((_, k) => k !== i)),
          },
          '✕',
        ),
      ),
    );
  });
  save({ steps });
}

function fill(
  select: HTMLSelectElement,
  options: { value: string; label: string }[],
  value: string | null | undefined,
): void {
  clear(select);
  for (const o of options) select.append(h('option', { value: o.value }, o.label));
  if (value !== undefined && value !== null && options.some((o) => o.value === value)) select.value = value;
}

function kernelBValue(): string | null {
  return kernelB.value === '' ? null : kernelB.value;
}

/** The sides the controls name: the model, its two sides, the host they run on (if it has hosts). */
function sides(): PageSides {
  return {
    model: modelSelect.value,
    a: kernelA.value,
    b: kernelBValue(),
    ...(model?.hosts ? { host: hostSelect.value } : {}),
  };
}

/** What the controls are set to, as the page keeps it. */
function choices(): Partial<PageState> {
  const s = sides();
  return { model: s.model, device: deviceSelect.value, a: s.a, b: s.b, host: s.host };
}

/**
 * Fills the controls with one model's sides, device kinds, steps and presets, set to what was
 * chosen where the model offers it (else the model's starting pair), and keeps the step script
 * unless told to start from the model's first preset.
 */
function chooseModel(chosen: PageModel, setup: Partial<PageState>, keepSteps: boolean): void {
  model = chosen;
  devices = chosen.devices;
  kernels = chosen.kernels;
  presets = chosen.presets;
  steps = chosen.steps;
  terms = chosen.legend;
  columns = chosen.columns;
  modelSelect.value = chosen.id;
  kernelALabel.textContent = `${chosen.variantName} A `;
  kernelBLabel.textContent = `${chosen.variantName} B `;
  fill(
    deviceSelect,
    devices.map((d) => ({ value: d.id, label: `${d.id}: ${d.label}` })),
    setup.device,
  );
  fill(kernelA, kernels, setup.a ?? chosen.defaults.a);
  fill(
    kernelB,
    [{ value: '', label: '(none)' }, ...kernels],
    setup.b === undefined ? chosen.defaults.b : (setup.b ?? ''),
  );
  hostField.hidden = !chosen.hosts;
  fill(hostSelect, chosen.hosts?.options ?? [], setup.host ?? chosen.hosts?.default);
  fill(
    presetSelect,
    [{ value: '', label: 'Choose a preset…' }, ...presets.map((p) => ({ value: p.name, label: p.name }))],
    '',
  );
  clear(addAction);
  for (const st of steps) addAction.append(h('option', { value: st.action, title: st.usage }, st.action));
  if (steps.some((st) => st.action === 'mmio-read')) addAction.value = 'mmio-read';
  offerRegisters();
  setSteps(keepSteps && setup.steps?.length ? setup.steps : (presets[0]?.steps ?? [steps[0]?.action ?? '']));
}

function send(msg: FromPage): void {
  vscode.postMessage(msg);
}

function report(r: RenderReport): void {
  status.textContent = r.headline;
  send({ type: 'rendered', report: r });
}

function buildControls(): void {
  clear(app);
  const run = h('button', { type: 'button', id: 'run', class: 'primary' }, 'Run');
  run.addEventListener('click', () => {
    const steps = currentSteps();
    if (steps.length === 0) {
      status.textContent = 'Add at least one step.';
      return;
    }
    send({ type: 'run', ...sides(), device: deviceSelect.value, steps });
  });
  const compare = h('button', { type: 'button', id: 'compare' }, 'Compare');
  compare.addEventListener('click', () => {
    const s = sides();
    if (s.b === null) {
      status.textContent = `Choose a second ${model?.variantName ?? 'side'} to compare with.`;
      return;
    }
    send({ type: 'compare', ...s, b: s.b, device: deviceSelect.value });
  });
  const matrix = h('button', { type: 'button', id: 'matrix' }, 'Behaviour matrix');
  matrix.addEventListener('click', () => send({ type: 'matrix', ...sides() }));
  const states = h('button', { type: 'button', id: 'states' }, 'State diagram');
  states.addEventListener('click', () => send({ type: 'states', ...sides(), device: deviceSelect.value }));
  const copy = h('button', { type: 'button', id: 'copy' }, 'Copy as plain text');
  copy.addEventListener('click', () => send({ type: 'copy' }));
  const add = h('button', { type: 'button', id: 'add-step' }, 'Add step');
  add.addEventListener('click', () => {
    const step = [addAction.value, addValue.value.trim()].filter((v) => v).join(' ');
    setSteps([...currentSteps(), step]);
    addValue.value = '';
  });
  presetSelect.addEventListener('change', () => {
    const p = presets.find((x) => x.name === presetSelect.value);
    if (p) setSteps(p.steps);
  });
  addAction.addEventListener('change', offerRegisters);
  deviceSelect.addEventListener('change', offerRegisters);
  modelSelect.addEventListener('change', () => {
    const chosen = models.find((m) => m.id === modelSelect.value);
    if (!chosen || chosen === model) return;
    // another model's sides, kinds and steps; its script starts from its first preset
    chooseModel(chosen, {}, false);
    save(choices());
  });
  for (const sel of [deviceSelect, kernelA, kernelB, hostSelect]) {
    sel.addEventListener('change', () => save(choices()));
  }
  app.append(
    h('h1', {}, 'vfio-lens scenario simulator'),
    h(
      'form',
      { class: 'controls', onsubmit: (ev: Event) => ev.preventDefault() },
      h('span', { class: 'field' }, h('label', { for: 'model' }, 'Model '), modelSelect),
      h('span', { class: 'field' }, h('label', { for: 'device' }, 'Device kind '), deviceSelect),
      h('span', { class: 'field' }, kernelALabel, kernelA),
      h('span', { class: 'field' }, kernelBLabel, kernelB),
      hostField,
    ),
    h(
      'fieldset',
      { class: 'script' },
      h('legend', {}, 'Step script'),
      h('label', { for: 'preset' }, 'Preset '),
      presetSelect,
      stepList,
      h('label', { for: 'add-action' }, 'Add '),
      addAction,
      addValue,
      registerList,
      add,
    ),
    h('div', { class: 'actions' }, run, compare, matrix, states, copy),
    status,
    output,
  );
}

/** Draws a result; what was shown stays until the new view is built whole. */
function show(msg: ToPage): void {
  const view: Node[] = [];
  let r: RenderReport;
  switch (msg.type) {
    case 'trace': {
      const t = renderTrace(msg.labels, msg.a, msg.b, 'trace', columns, terms);
      view.push(
        h('h2', { tabindex: -1 }, `Trace: ${msg.a.device}`),
        legend('trace-legend', [], terms, false),
        t.element,
      );
      r = {
        view: 'trace',
        rows: t.rows,
        differing: t.differing,
        headline: `${t.rows} steps, ${t.differing} differ`,
      };
      break;
    }
    case 'compare': {
      const c = renderCompare(msg.labels, msg.result, columns, terms);
      view.push(
        h('h2', { tabindex: -1 }, `Differences between ${msg.labels[0]} and ${msg.labels[1]}`),
        legend('compare-legend', [], terms, false),
        c.element,
      );
      r = { view: 'compare', rows: c.rows, differing: c.rows, headline: `${c.rows} differing scenarios` };
      break;
    }
    case 'matrix': {
      const m = renderMatrix(
        msg.result,
        terms,
        (device, steps) => {
          setSteps(steps);
          deviceSelect.value = device;
          send({ type: 'run', ...sides(), device, steps });
        },
        msg.names,
      );
      view.push(h('h2', { tabindex: -1 }, 'Behaviour matrix'), m.element);
      r = {
        view: 'matrix',
        rows: m.rows,
        differing: m.differing,
        headline: `matrix: ${m.rows} device kinds, ${m.differing} cells differ`,
      };
      break;
    }
    case 'states': {
      const st = renderStates(msg.labels, msg.a, msg.b);
      view.push(h('h2', { tabindex: -1 }, `States of ${msg.a.device}`), st.element);
      r = {
        view: 'states',
        rows: st.rows,
        differing: st.differing,
        headline: `${st.rows} states, ${st.differing} transitions differ`,
      };
      break;
    }
    default:
      return;
  }
  if (msg.type === 'trace') setSteps(msg.a.trace.map((e) => e.action)); // the steps as the server read them
  clear(output);
  output.append(...view);
  report('seq' in msg && msg.seq !== undefined ? { ...r, seq: msg.seq } : r);
  save({ view: msg.type, last: { ...msg, seq: undefined } });
}

/** Draws a saved result again (it was written by this page, but read it as untrusted all the same). */
function showSaved(last: unknown): void {
  try {
    show(parseToPage(last));
  } catch {
    save({ last: undefined });
  }
}

function receive(msg: ToPage): void {
  switch (msg.type) {
    case 'init': {
      models = msg.models;
      const savedModel = saved.model ?? models[0].id;
      const wanted = msg.setup?.model ?? savedModel;
      const chosen = models.find((m) => m.id === wanted) ?? models[0];
      // what was saved under another model (its kernels, kinds and steps) does not carry over
      const setup = savedModel === chosen.id ? { ...saved, ...msg.setup } : { ...msg.setup };
      fill(
        modelSelect,
        models.map((m) => ({ value: m.id, label: m.label })),
        chosen.id,
      );
      chooseModel(chosen, setup, true);
      save({ ...choices(), patch: setup.patch });
      if (saved.last && !msg.setup?.view) showSaved(saved.last);
      // the panel opens with the focus on its first control (a result takes it when it comes)
      if (document.activeElement === document.body || document.activeElement === null) deviceSelect.focus();
      break;
    }
    case 'busy':
      status.textContent = `Working: ${msg.what}…`;
      break;
    case 'error':
      status.textContent = `Error: ${msg.message}`;
      break;
    case 'copied':
      status.textContent = `Copied ${msg.text.split('\n').length - 1} lines as plain text.`;
      break;
    default:
      show(msg);
      // the result takes the focus, so that a reader (and a screen reader) lands on it
      (output.querySelector('h2') as HTMLElement | null)?.focus();
  }
}

window.addEventListener('message', (ev: MessageEvent) => {
  let msg: ToPage;
  try {
    msg = receiveToPage(ev, window.origin);
  } catch (e) {
    // what the page shows stays; the status line says what was ignored
    status.textContent = `Ignored a message: ${(e as Error).message}`;
    return;
  }
  try {
    receive(msg);
  } catch (e) {
    status.textContent = `Could not draw the result: ${(e as Error).message}`;
  }
});

buildControls();
if (saved.last) showSaved(saved.last);
send({ type: 'ready' });
