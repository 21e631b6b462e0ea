/**
 * Why two kernels show no difference on one device kind, from the model's data: the decisions the
 * two write differently, as the device's open and every step of its explorations evaluate them on
 * each side (C text with operand values), and the decisions both sides take alike at those steps
 * (the deciding row being the same). `compare --device` prints it when nothing differs.
 */
import {
  CLOSED_STATE,
  EXPLORATIONS,
  allDecisionsOf,
  deviceKind,
  parseSteps,
  policySystem,
  type DeviceKindId,
  type Explanation,
  type Policy,
} from '../model/index';

type Decisions = Readonly<Record<string, string | null | undefined>>;

/** Decision names whose C text differs between the two kernels (Command-register and config-space). */
function differingDecisions(a: Policy, b: Policy): string[] {
  const pairs: [Decisions, Decisions][] = [
    [a.spec.decisions, b.spec.decisions],
    [a.spec.config.decisions, b.spec.config.decisions],
  ];
  const out: string[] = [];
  for (const [x, y] of pairs)
    for (const name of new Set([...Object.keys(x), ...Object.keys(y)]))
      if ((x[name] ?? null) !== (y[name] ?? null)) out.push(name);
  return out;
}

interface Seen {
  step: string;
  a: Explanation;
  b: Explanation;
  /** Decisions with the same C text both sides took (non-zero) just before it at that step. */
  alike: Explanation[];
}

/** `pdev->is_virtfn` with its operands' values: "pdev->is_virtfn` (pdev->is_virtfn = 1)". */
function withOperands(w: Explanation): string {
  const ops = w.operands.map((o) => `${o.name} = ${o.value}`).join(', ');
  return `\`${w.expression}\`${ops ? ` (${ops})` : ''}`;
}

/** A bound on the scripts tried (open, then each alphabet step once). */
const MAX_SCRIPTS = 200;
/** The decisions taken alike shown per differing decision (the nearest before it). */
const MAX_ALIKE = 2;

export function sameOnDevice(a: Policy, b: Policy, device: DeviceKindId, names: [string, string]): string[] {
  const kind = deviceKind(device);
  const differing = differingDecisions(a, b);
  if (!differing.length)
    return [
      `${names[0]} and ${names[1]} write every decision alike; their tables differ only where ${device} does not reach`,
    ];
  const scripts = [
    'open',
    ...new Set(
      EXPLORATIONS.flatMap((e) => e.alphabet(kind, a, b).map((s) => s.text)).filter((t) => t !== 'open'),
    ),
  ]
    .slice(0, MAX_SCRIPTS)
    .map((t) => (t === 'open' ? 'open' : `open; ${t}`));
  const seen = new Map<string, Seen>();
  const walk = (p: Policy, steps: ReturnType<typeof parseSteps>) => {
    const system = policySystem(p, kind);
    let state = CLOSED_STATE;
    const out: { action: string; why: readonly Explanation[] }[] = [];
    for (const step of steps) {
      if (system.refusal(state, step) !== null) break;
      const t = system.step(state, step, {})[0];
      if (!t) break;
      out.push({ action: t.observation.action, why: allDecisionsOf(t.observation) });
      state = t.state;
    }
    return out;
  };
  for (const script of scripts) {
    const steps = parseSteps(script);
    const ta = walk(a, steps);
    const tb = walk(b, steps);
    for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
      for (const name of differing) {
        if (seen.has(name)) continue;
        const wa = ta[i].why.find((w) => w.decision === name);
        const wb = tb[i].why.find((w) => w.decision === name);
        if (!wa || !wb) continue;
        // the decisions both sides take alike just before it in the step (the row that decided first)
        const before = ta[i].why.slice(0, ta[i].why.indexOf(wa));
        const alike = before.filter(
          (w) =>
            !differing.includes(w.decision) &&
            w.result !== 0 &&
            tb[i].why.some(
              (v) => v.decision === w.decision && v.expression === w.expression && v.result === w.result,
            ),
        );
        seen.set(name, { step: ta[i].action, a: wa, b: wb, alike: alike.slice(-MAX_ALIKE) });
      }
    }
  }
  const lines: string[] = [];
  for (const name of differing) {
    const s = seen.get(name);
    if (!s) {
      lines.push(`${name}: written differently, but no step tried on ${device} evaluates it on both sides`);
      continue;
    }
    const same =
      s.a.result === s.b.result
        ? `the same result on ${device}`
        : 'different results, with no visible effect';
    lines.push(
      `${name} at ${s.step}: ${names[0]} ${withOperands(s.a)} = ${s.a.result}; ${names[1]} ${withOperands(s.b)} = ${s.b.result}: ${same}`,
    );
    for (const w of s.alike) lines.push(`  both take ${w.decision}: ${withOperands(w)} = ${w.result}`);
  }
  return lines;
}
