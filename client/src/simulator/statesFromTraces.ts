/**
 * When the server does not answer vfioLens/states, the diagram falls back to the states runs
 * actually visited (the preset scripts and the last one run): each trace entry is a state (virtual and hardware COMMAND bits, mmap zap), each
 * step an edge. The panel says "states visited by this script" in that case.
 */
import type { ModelStateNode, StateEdge, StatesResult } from '../../../server/src/lsp/protocol';
import type { DeviceKindId, TraceEntry } from '../../../server/src/model/types';
import { decodeCommand, hex16 } from './commandBits';

const CLOSED: ModelStateNode = {
  id: 'closed',
  label: 'not opened',
  virt: 0,
  hw: 0,
  barsValid: true,
  zap: false,
};

function stateOf(e: TraceEntry): ModelStateNode {
  const barsValid = e.restore !== 'performed' && !/backdoor-reset/.test(e.action);
  return {
    id: `virt=${hex16(e.virt)} hw=${hex16(e.hw)}${e.zap ? ' zapped' : ''}`,
    label: `virt ${decodeCommand(e.virt)} / hw ${decodeCommand(e.hw)}${e.zap ? ' / zapped' : ''}`,
    virt: e.virt,
    hw: e.hw,
    barsValid,
    zap: e.zap,
  };
}

export function statesFromTrace(device: DeviceKindId, kernel: string, trace: TraceEntry[]): StatesResult {
  const states = new Map<string, ModelStateNode>([[CLOSED.id, CLOSED]]);
  const edges: StateEdge[] = [];
  let from = CLOSED.id;
  for (const e of trace) {
    const s = stateOf(e);
    if (!states.has(s.id)) states.set(s.id, s);
    if (
      !edges.some((x) => x.from === from && x.to === s.id && x.step === e.action && x.outcome === e.outcome)
    ) {
      edges.push({ from, to: s.id, step: e.action, outcome: e.outcome, restore: e.restore });
    }
    from = s.id;
  }
  return { device, kernel, initial: CLOSED.id, states: [...states.values()], edges };
}

/** The union of several explorations of one device under one kernel side. */
export function mergeStates(parts: StatesResult[]): StatesResult {
  const [first] = parts;
  const states = new Map<string, ModelStateNode>();
  const edges = new Map<string, StateEdge>();
  for (const p of parts) {
    for (const s of p.states) if (!states.has(s.id)) states.set(s.id, s);
    for (const e of p.edges) edges.set(`${e.from}\u0000${e.step}\u0000${e.to}\u0000${e.outcome ?? ''}`, e);
  }
  return { ...first, states: [...states.values()], edges: [...edges.values()] };
}
