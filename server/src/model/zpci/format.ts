/**
 * The one formatter of zPCI observations to text, and the keys comparisons use: what the guest
 * (and the device) can tell apart, and, for internal comparisons, which check decided.
 */
import type { OperandValue } from '../types';
import { PROGRAM_INTERRUPTS, ZPCI_STATUS, constantName } from './constants';
import type { HostDelivery, ZpciDelivery, ZpciExplanation, ZpciObservation, ZpciOutcome } from './types';

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

export function formatOutcome(o: ZpciOutcome): string {
  switch (o.kind) {
    case 'accepted':
      return 'accepted (cc 0)';
    case 'condition-code': {
      if (o.status === undefined) return `cc ${o.cc}`;
      const name = constantName(ZPCI_STATUS, o.status);
      return `cc ${o.cc}, status ${o.status}${name ? ` (${name})` : ''}`;
    }
    case 'program-interrupt':
      return `${o.pgm.replace(/^PGM_/, '').toLowerCase()} exception (${o.pgm} 0x${PROGRAM_INTERRUPTS[o.pgm].toString(16).padStart(2, '0')})`;
    case 'plugged':
      return `plugged, ${o.interpreted ? 'interpreted' : 'intercepted'}, fh ${hex(o.fh)}`;
    case 'plug-refused':
      return `plug refused: "${o.message}"`;
    case 'clp':
      return o.fh === undefined ? `CLP ${o.response}` : `CLP ${o.response}, fh ${hex(o.fh)}`;
    case 'interpreted':
      return 'executed by firmware (interpreted; not QEMU)';
    case 'staging-overflow':
      return `QEMU's ${o.buffer}-byte staging buffer overflows (len ${o.len})`;
    case 'state':
      return o.description;
    case 'not-modelled':
      return `not modelled: ${o.reason}`;
  }
}

export function formatHostDelivery(h: HostDelivery): string {
  if (h.error) return `${h.via}: ${h.error} (${h.problem ?? 'refused'})`;
  const what =
    h.instruction === 'none'
      ? 'nothing'
      : `${h.count} ${h.instruction}${h.mio ? '_MIO' : ''} of ${h.size} bytes`;
  return `${h.via}: ${what}${h.problem ? `; ${h.problem}` : ''}`;
}

export function formatDelivery(d: ZpciDelivery): string {
  const qemu =
    d.path === 'pieces'
      ? `${d.pieces} separate ${d.size}-byte writes`
      : d.path === 'zpci-io-region'
        ? `one ${d.size}-byte block through the zPCI I/O region`
        : d.path === 'config'
          ? `one ${d.size}-byte config-space access`
          : `one ${d.size}-byte BAR access`;
  return d.host ? `${qemu} -> host ${formatHostDelivery(d.host)}` : qemu;
}

function isNameChar(c: string | undefined): boolean {
  return !!c && /[A-Za-z0-9_]/.test(c);
}

/**
 * The C text with each operand's value after it: `len (4096) > pbdev->...maxstbl (128)`. Names
 * are placed at token boundaries, longest first, each once per occurrence.
 */
export function annotate(expression: string, operands: readonly OperandValue[]): string {
  const text = expression.replace(/\s+/g, ' ');
  const names = [...operands]
    .filter((o) => !/^-?\d+$/.test(o.name))
    .sort((a, b) => b.name.length - a.name.length);
  const taken: { start: number; end: number; label: string }[] = [];
  for (const o of names) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(o.name, from);
      if (at < 0) break;
      const end = at + o.name.length;
      from = end;
      if (isNameChar(text[at - 1]) || isNameChar(text[end])) continue;
      if (taken.some((t) => at < t.end && end > t.start)) continue;
      taken.push({ start: at, end, label: `${o.name} (${o.value})` });
    }
  }
  taken.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const t of taken) {
    out += text.slice(pos, t.start) + t.label;
    pos = t.end;
  }
  return out + text.slice(pos);
}

export function formatExplanation(e: ZpciExplanation): string {
  const meanings = e.operands
    .filter((o) => o.meaning)
    .map((o) => `${o.name}: ${o.meaning}`)
    .join('; ');
  return `${e.node} (${e.label}): \`${annotate(e.expression, e.operands)}\` = ${e.result}${meanings ? ` [${meanings}]` : ''}`;
}

/** The check that decided the step, if one did. */
export function decidingExplanation(o: ZpciObservation): ZpciExplanation | undefined {
  return o.why.find((e) => e.decided);
}

/** One line: "pcistb 0 0 4096: specification exception (...) by pcistb/length `len (0) <= 8 ...`". */
export function formatObservation(o: ZpciObservation, options: { explain?: boolean } = {}): string {
  let line = `${o.action}: ${formatOutcome(o.outcome)}`;
  if (o.delivery) line += `; reaches the device as ${formatDelivery(o.delivery)}`;
  const decided = decidingExplanation(o);
  if (decided) line += ` — ${decided.node}: \`${annotate(decided.expression, decided.operands)}\``;
  if (o.dependsOn?.length) line += ` (depends on ${o.dependsOn.join(', ')})`;
  if (!options.explain) return line;
  const lines = [line, ...o.why.map((e) => '    ' + formatExplanation(e))];
  for (const n of o.notes ?? []) lines.push(`    note: ${n}`);
  return lines.join('\n');
}

/** What the guest and the device can tell apart: the outcome and how the store reached the device. */
export function visibleZpciObservation(o: ZpciObservation): string {
  const outcome = o.outcome.kind === 'state' ? `state:${o.outcome.key}` : formatOutcome(o.outcome);
  return `${outcome}|${o.delivery ? formatDelivery(o.delivery) : '-'}`;
}

/**
 * Adds which check decided and with which operand values: the same exception for another reason
 * ("len (0) <= 8" where it was "len (4096) > maxstbl (128)") is an internal difference.
 */
export function internalZpciObservation(o: ZpciObservation): string {
  const decided = decidingExplanation(o);
  return `${visibleZpciObservation(o)}|${decided ? `${decided.node}: ${annotate(decided.expression, decided.operands)}` : '-'}`;
}
