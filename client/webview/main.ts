/**
 * The simulator page. It draws what the extension sends and asks for runs; it never computes
 * behaviour itself, and knows no device kind or kernel but those the server offers (with the pair
 * it starts from). Its UI state (and the last result) survive hide/show via getState/setState.
 */
import type {
  DeviceOption,
  FromPage,
  KernelOption,
  PageState,
  RenderReport,
  StepPreset,
  ToPage,
} from '../src/simulatorPanel/messages';
import { parseToPage, receiveToPage } from '../src/simulatorPanel/messages';
import { clear, h } from './dom';
import { legend, type LegendTerm } from './legend';
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
let devices: DeviceOption[] = [];
let kernels: KernelOption[] = [];
let presets: StepPreset[] = [];
let stepActions: string[] = [];
let terms: LegendTerm[] = [];
let columns: ColumnLabel[] = [];

const status = h('p', { class: 'status', role: 'status' });
const output = h('section', { class: 'output', 'aria-label': 'result' });
const deviceSelect = h('select', { id: 'device', 'aria-label': 'device kind' });
const kernelA = h('select', { id: 'kernel-a', 'aria-label': 'first kernel' });
const kernelB = h('select', { id: 'kernel-b', 'aria-label': 'second kernel' });
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

/** Offers the chosen device's registers when the step to add names one. */
function offerRegisters(): void {
  clear(registerList);
  addValue.placeholder = VALUE_HINTS[addAction.value] ?? 'value, e.g. 0x0002';
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
    send({
      type: 'run',
      device: deviceSelect.value as PageState['device'],
      a: kernelA.value,
      b: kernelBValue(),
      steps,
    });
  });
  const matrix = h('button', { type: 'button', id: 'matrix' }, 'Behaviour matrix');
  matrix.addEventListener('click', () => send({ type: 'matrix', a: kernelA.value, b: kernelBValue() }));
  const states = h('button', { type: 'button', id: 'states' }, 'State diagram');
  states.addEventListener('click', () =>
    send({
      type: 'states',
      device: deviceSelect.value as PageState['device'],
      a: kernelA.value,
      b: kernelBValue(),
    }),
  );
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
  for (const sel of [deviceSelect, kernelA, kernelB]) {
    sel.addEventListener('change', () =>
      save({ device: deviceSelect.value as PageState['device'], a: kernelA.value, b: kernelBValue() }),
    );
  }
  app.append(
    h('h1', {}, 'vfio-lens scenario simulator'),
    h(
      'form',
      { class: 'controls', onsubmit: (ev: Event) => ev.preventDefault() },
      h('span', { class: 'field' }, h('label', { for: 'device' }, 'Device kind '), deviceSelect),
      h('span', { class: 'field' }, h('label', { for: 'kernel-a' }, 'Kernel A '), kernelA),
      h('span', { class: 'field' }, h('label', { for: 'kernel-b' }, 'Kernel B '), kernelB),
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
    h('div', { class: 'actions' }, run, matrix, states, copy),
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
      view.push(
        h('h2', { tabindex: -1 }, `Differences between ${msg.labels[0]} and ${msg.labels[1]}`),
        legend('compare-legend', [], terms, false),
      );
      if (msg.result.differences.length === 0) view.push(h('p', {}, 'No observable difference found.'));
      msg.result.differences.forEach((d, i) => {
        const t = renderTrace(
          msg.labels,
          { device: d.device, kernel: msg.labels[0], trace: d.before },
          { device: d.device, kernel: msg.labels[1], trace: d.after },
          `diff${i}`,
          columns,
          terms,
        );
        view.push(
          h('h3', {}, `${d.device}: ${d.steps.join('; ')}${d.internalOnly ? ' (internal only)' : ''}`),
        );
        if (d.dependsOn?.length) view.push(h('p', {}, `depends on: ${d.dependsOn.join(', ')}`));
        view.push(t.element);
      });
      const n = msg.result.differences.length;
      r = { view: 'compare', rows: n, differing: n, headline: `${n} differing scenarios` };
      break;
    }
    case 'matrix': {
      const m = renderMatrix(
        msg.result,
        terms,
        (device, steps) => {
          setSteps(steps);
          deviceSelect.value = device;
          send({
            type: 'run',
            device: device as PageState['device'],
            a: kernelA.value,
            b: kernelBValue(),
            steps,
          });
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
      devices = msg.devices;
      kernels = msg.kernels;
      presets = msg.presets;
      stepActions = msg.stepActions;
      terms = msg.legend;
      columns = msg.columns;
      const setup = { ...saved, ...msg.setup };
      fill(
        deviceSelect,
        devices.map((d) => ({ value: d.id, label: `${d.id}: ${d.label}` })),
        setup.device,
      );
      fill(kernelA, kernels, setup.a ?? msg.defaults.a);
      fill(
        kernelB,
        [{ value: '', label: '(none)' }, ...kernels],
        setup.b === undefined ? msg.defaults.b : (setup.b ?? ''),
      );
      fill(
        presetSelect,
        [{ value: '', label: 'Choose a preset…' }, ...presets.map((p) => ({ value: p.name, label: p.name }))],
        '',
      );
      fill(
        addAction,
        stepActions.map((a) => ({ value: a, label: a })),
        'mmio-read',
      );
      offerRegisters();
      setSteps(setup.steps?.length ? setup.steps : (presets[0]?.steps ?? ['open']));
      save({
        device: deviceSelect.value as PageState['device'],
        a: kernelA.value,
        b: kernelBValue(),
        patch: setup.patch,
      });
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
