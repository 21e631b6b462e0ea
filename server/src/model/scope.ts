/**
 * What the names in a kernel's C text mean for one device in one state: markers (set by the
 * kernel's setters on the device's creation paths), vfio's locals, the device's environment,
 * PCI constants and the few functions the model knows.
 */
import type { EvalScope } from './evaluate';
import { evaluateDecision, opaqueName, operandName } from './evaluate';
import { MARKER_FIELDS, devFlagMarker, markerFlag } from './markers';
import { PCI_CONSTANTS } from './pci';
import type { Policy } from './policy';
import type { DeviceKind, Expr } from './types';
import { DECISION_POINTS } from './types';
import { configContentKey } from './vfio/config/compilePart';

export interface DeviceView {
  virt: number;
  barsNeedRestore: boolean;
  power: number;
}

const LOCAL_MEANINGS: Record<string, string> = {
  cmd: "vfio's virtual COMMAND (vconfig)",
  'vdev->vconfig[PCI_COMMAND]': "vfio's virtual COMMAND (vconfig)",
  offset: 'the config-space offset being read',
  new_mem: 'MEMORY in the value written',
  virt_mem: "MEMORY in vfio's vconfig before the write",
  phys_mem: 'MEMORY read from the hardware before the write',
  new_io: 'IO in the value written',
  virt_io: "IO in vfio's vconfig before the write",
  phys_io: 'IO read from the hardware before the write',
  'pdev->current_state': 'power state (0 = D0, 3 = D3hot)',
  'vfio_need_bar_restore(vdev)': 'a saved BAR differs from what the device now holds',
};

/** Functions the model evaluates itself, by the name they are written with. */
const KNOWN_CALLS: Record<string, (view: DeviceView) => number> = {
  'vfio_need_bar_restore(vdev)': (v) => Number(v.barsNeedRestore),
};

/** A setter's marker that `pdev->NAME` can name (not a dev_flags marker, markers.ts). */
const FIELD_MARKER = /^\w+$/;

const viewKeys = new WeakMap<Policy, Map<string, string>>();

/** Every name evaluate() may look up in an expression: identifiers and calls as written. */
function namesIn(expr: Expr | null, out: Set<string>): Set<string> {
  if (!expr) return out;
  switch (expr.kind) {
    case 'ident':
      out.add(expr.name);
      break;
    case 'call':
      out.add(operandName(expr));
      break;
    case 'unary':
      namesIn(expr.arg, out);
      break;
    case 'binary':
      namesIn(expr.left, out);
      namesIn(expr.right, out);
      break;
    case 'cond':
      namesIn(expr.test, out);
      namesIn(expr.then, out);
      namesIn(expr.else, out);
      break;
  }
  return out;
}

/** Whether an expression that names `names` can read the marker (`pdev->X`, or a dev_flags bit). */
function readsMarker(names: Set<string>, marker: string): boolean {
  const flag = markerFlag(marker);
  return flag !== undefined ? names.has(flag) : names.has(`pdev->${marker}`);
}

/**
 * Everything a step of `device` reads of `policy` (here and in machine.ts): the decisions as
 * written, traits, and of the rest only what an evaluation can reach from them: the setters on the
 * device's creation paths of every marker an expression reads (in order: the first that holds
 * explains the marker; their conditions can read more markers), whether a field some expression
 * reads is a marker of any setter (isMarker), and the constants those expressions name. Two
 * policies with the same view give the device the same transitions, to the last operand of every
 * explanation, so they share one memoised transition system (system.ts): a patch that adds a
 * setter on a path the device does not go through, or one no decision reads yet, or a constant
 * nothing names, costs that device nothing. The config-space part is in the key whole.
 */
export function deviceViewKey(policy: Policy, device: DeviceKind): string {
  let perDevice = viewKeys.get(policy);
  if (!perDevice) viewKeys.set(policy, (perDevice = new Map()));
  let key = perDevice.get(device.id);
  if (key === undefined) {
    const names = new Set<string>();
    for (const point of DECISION_POINTS) namesIn(policy.decisions[point], names);
    key = JSON.stringify([
      DECISION_POINTS.map((d) => policy.spec.decisions[d] ?? null),
      ...readsOf(policy, device, names),
      Object.entries(policy.traits).sort(),
      // the config space's part: its tables and write functions are read by every config step
      configContentKey(policy.spec.config),
    ]);
    perDevice.set(device.id, key);
  }
  return key;
}

/**
 * What evaluating C text that names `names` can read of `policy` on `device` besides the text:
 * the setters on the device's paths of every marker it reads (their conditions can read more:
 * `names` grows with them), whether each field it reads is a marker of any setter, the constants
 * it names.
 */
function readsOf(policy: Policy, device: DeviceKind, names: Set<string> | 'all'): unknown[] {
  const onPaths = policy.setters.filter((s) => device.paths.includes(s.path));
  if (names === 'all')
    return [
      onPaths.map((s) => [s.path, s.marker, s.conditionText ?? null]),
      [...new Set(policy.setters.map((s) => s.marker))].sort(),
      Object.entries(policy.constants).sort(),
    ];
  const read = new Set<(typeof onPaths)[number]>();
  for (let grew = true; grew;) {
    grew = false;
    for (const s of onPaths) {
      if (read.has(s) || !readsMarker(names, s.marker)) continue;
      read.add(s);
      namesIn(s.condition, names);
      grew = true;
    }
  }
  return [
    onPaths.filter((s) => read.has(s)).map((s) => [s.path, s.marker, s.conditionText ?? null]),
    [...new Set(policy.setters.map((s) => s.marker))]
      .filter((m) => FIELD_MARKER.test(m) && readsMarker(names, m))
      .sort(),
    Object.entries(policy.constants)
      .filter(([name]) => names.has(name))
      .sort(),
  ];
}

/**
 * Everything one decision's evaluation on `device` reads of `policy`: its text as written and
 * compiled, and what readsOf finds from its names (and from pdev->is_virtfn, which the config
 * space's scope reads for the fields a VF shares with its PF). Two policies with the same key for
 * a decision give it the same value, to the last operand of its explanation, in every state. A
 * condition that is not one of the policy's decisions (`expr` null: a table row's `when`) is taken
 * to read every setter, marker and constant.
 */
export function decisionReadsKey(
  policy: Policy,
  device: DeviceKind,
  text: string | null,
  expr: Expr | null,
): string {
  const names = expr ? namesIn(expr, new Set(['pdev->is_virtfn'])) : 'all';
  return JSON.stringify([text, expr?.text ?? null, ...readsOf(policy, device, names)]);
}

export class DeviceScope implements EvalScope {
  assumed = new Set<string>();
  private markerCache = new Map<string, number>();
  private markerWhy = new Map<string, string>();
  private evaluating = new Set<string>();

  constructor(
    private readonly policy: Policy,
    private readonly device: DeviceKind,
    private readonly view: DeviceView,
    readonly assumptions: Readonly<Record<string, number>>,
    private readonly locals: Record<string, number> = {},
  ) {}

  value(name: string): number | undefined {
    if (name in this.locals) return this.locals[name];
    if (name === 'cmd' || name === 'vdev->vconfig[PCI_COMMAND]') return this.view.virt;
    if (name === 'pdev->current_state') return this.view.power;
    if (name in KNOWN_CALLS) return KNOWN_CALLS[name](this.view);
    if (name in this.device.environment) return this.device.environment[name];
    const enabled = /^IS_ENABLED\((\w+)\)$/.exec(name);
    if (enabled && enabled[1] in this.device.environment) return this.device.environment[enabled[1]];
    if (name in this.policy.constants) return this.policy.constants[name];
    if (name in PCI_CONSTANTS) return PCI_CONSTANTS[name];
    const field = /^pdev->(\w+)$/.exec(name);
    if (field && this.isMarker(field[1])) return this.marker(field[1]);
    return undefined;
  }

  hasFlag(flag: string): number | undefined {
    return this.marker(devFlagMarker(flag));
  }

  meaning(name: string, value: number): string | undefined {
    if (name in LOCAL_MEANINGS) return LOCAL_MEANINGS[name];
    const field = /^pdev->(\w+)$/.exec(name);
    if (field && this.markerWhy.has(field[1])) return this.markerWhy.get(field[1]);
    const flag = /^pdev->dev_flags & (\w+)$/.exec(name);
    if (flag) return this.markerWhy.get(devFlagMarker(flag[1]));
    if (name in this.device.environment || /^IS_ENABLED/.test(name))
      return `fact of the ${this.device.id} device`;
    if (name in PCI_CONSTANTS || name in this.policy.constants) return `constant ${value}`;
    return undefined;
  }

  private isMarker(field: string): boolean {
    return MARKER_FIELDS.includes(field) || this.policy.setters.some((s) => s.marker === field);
  }

  /** A marker: set if a setter for it on one of the device's creation paths has a true condition. */
  private marker(marker: string): number {
    const cached = this.markerCache.get(marker);
    if (cached !== undefined) return cached;
    if (this.evaluating.has(marker)) return 0;
    this.evaluating.add(marker);
    try {
      const setters = this.policy.setters.filter((s) => s.marker === marker);
      const onPaths = setters.filter((s) => this.device.paths.includes(s.path));
      let value = 0;
      let why = onPaths.length
        ? `not set: the conditions of its setters are false here`
        : `not set: no setter for it on this device's creation paths (${this.device.paths.join(', ') || 'none'})`;
      for (const setter of onPaths) {
        const holds = setter.condition
          ? evaluateDecision(setter.condition, this, opaqueName(`${marker} set by ${setter.path}`)).value
          : 1;
        if (holds) {
          value = 1;
          why = `set by ${setter.path}` + (setter.conditionText ? ` because ${setter.conditionText}` : '');
          break;
        }
      }
      this.markerCache.set(marker, value);
      this.markerWhy.set(marker, why);
      return value;
    } finally {
      this.evaluating.delete(marker);
    }
  }
}
