/**
 * Inlay hints at the end of changed decision lines; code lenses that say what they will show, only
 * where there is something to show (a patch's behaviour changes on its Subject line, the series'
 * on a cover letter's, "Explain <decision>" above each hunk that changes one, "Open as Patch mail"
 * on a mail thread opened as plain text); code actions on the lines of findings.
 */
import { InlayHint, type CodeAction, type CodeLens, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { HINT_MAX, fitHint } from '../analysis/attribute';
import type { AnyBehaviourChange, Finding } from '../analysis/types';
import type { ServerAnalysis } from './serverAnalysis';
import { lineOf } from './hover';
import { subjectLine, type Lines } from './outline';
import type { VfioLensSettings } from './settings';

export const Commands = {
  simulate: 'vfioLens.simulate',
  explain: 'vfioLens.explain',
  copySummary: 'vfioLens.copySummary',
  openAsPatchMail: 'vfioLens.openAsPatchMail',
} as const;

/** One hint per line, at its end, joining the hints of the findings that start there. */
export function inlayHints(
  doc: TextDocument,
  output: ServerAnalysis,
  range: Range,
  settings: VfioLensSettings,
): InlayHint[] {
  if (!settings.inlayHints.enabled) return [];
  const byLine = new Map<number, string[]>();
  for (const f of output.result.findings) {
    if (!f.hint) continue;
    const line = f.range.start.line;
    if (line < range.start.line || line > range.end.line || line >= doc.lineCount) continue;
    const list = byLine.get(line) ?? [];
    if (!list.includes(f.hint)) list.push(f.hint);
    byLine.set(line, list);
  }
  return [...byLine]
    .sort((a, b) => a[0] - b[0])
    .map(([line, hints]) => {
      // several findings on a line: the first, and how many more, if they do not fit together
      const joined = hints.join('; ');
      const label = joined.length <= HINT_MAX ? joined : fitHint(`${hints[0]} +${hints.length - 1}`);
      const hint = InlayHint.create(
        { line, character: lineOf(doc, line).length },
        hints.length > 1 ? label : hints[0],
      );
      hint.paddingLeft = true;
      return hint;
    });
}

/** How many device kinds a lens names before "+N more". */
const LENS_DEVICES = 3;

/** The device kinds a set of changes concerns: those that change visibly first, in order. */
export function changedDevices(changes: AnyBehaviourChange[]): { devices: string[]; internalOnly: boolean } {
  const visible = [...new Set(changes.filter((c) => !c.internal).map((c) => c.device))];
  if (visible.length) return { devices: visible, internalOnly: false };
  return { devices: [...new Set(changes.map((c) => c.device))], internalOnly: true };
}

function deviceList(devices: string[]): string {
  const shown = devices.slice(0, LENS_DEVICES).join(', ');
  return devices.length > LENS_DEVICES ? `${shown} +${devices.length - LENS_DEVICES} more` : shown;
}

/** The case a lens opens: the first that changes visibly (or the first at all). */
function leadCase(changes: AnyBehaviourChange[]): AnyBehaviourChange | undefined {
  return changes.find((c) => !c.internal) ?? changes[0];
}

const at = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });

export interface LensOptions {
  /** The document is plain text although the reader found mail in it: offer "Open as Patch mail". */
  mailInPlainText?: boolean;
}

/** The findings a patch's lens speaks for: its own, or for a cover letter those of the whole series. */
function findingsOfPatch(output: ServerAnalysis, patch: number, cover: boolean): Finding[] {
  return output.result.findings.filter((f) => (cover ? f.patch !== undefined : f.patch === patch));
}

export function codeLenses(
  uri: string,
  output: ServerAnalysis,
  lines: Lines,
  options: LensOptions = {},
): CodeLens[] {
  const lenses: CodeLens[] = [];
  if (options.mailInPlainText) {
    lenses.push({
      range: at(0),
      command: {
        title: 'vfio-lens: this text is a patch mail thread \u2014 read it as Patch mail',
        tooltip:
          'Switches this document to the Patch mail language: headers, quotes and diffs highlighted, ' +
          'an outline of messages, files and hunks, folding, tabs 8 wide. The text is not changed.',
        command: Commands.openAsPatchMail,
        arguments: [{ uri }],
      },
    });
  }
  const patches = output.result.patches;
  patches.forEach((p, patch) => {
    const outline = output.read.patches[patch];
    const cover = !!outline?.isCover && patches.length > 1;
    const changes = findingsOfPatch(output, patch, cover).flatMap((f) => f.changes);
    const lead = leadCase(changes);
    if (!lead) return;
    const message = outline ? output.read.messages[outline.message] : undefined;
    const line = (message && subjectLine(lines, message)) ?? p.range.start.line;
    const { devices, internalOnly } = changedDevices(changes);
    const what = `${deviceList(devices)} ${internalOnly ? 'change internally' : 'change'}`;
    const steps = lead.steps.join('; ');
    const n = p.total ?? patches.length - 1;
    const title = cover
      ? `Simulate the series (before 1/${n}, after ${n}/${n}): ${what}`
      : `Simulate: ${what}`;
    lenses.push({
      range: at(line),
      command: {
        title,
        tooltip: `${lead.device}: ${steps}: ${lead.before.text} before, ${lead.after.text} after`,
        command: Commands.simulate,
        arguments: [{ uri, ...(cover ? {} : { patch }), device: lead.device, steps }],
      },
    });
  });
  // "Explain <decision>" above each hunk holding a changed decision line, one per decision.
  const seen = new Set<string>();
  for (const d of output.decisions) {
    const line = hunkHeaderLine(output, d.range.start.line) ?? d.range.start.line;
    const key = `${line}\u0000${d.decision}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lenses.push({
      range: at(line),
      command: {
        title: `Explain ${d.decision}`,
        tooltip: `Why ${d.decision} decides as it does, before and after, with each operand's value`,
        command: Commands.explain,
        arguments: [{ uri, position: d.range.start }],
      },
    });
  }
  return lenses;
}

/** The @@ line of the hunk that holds a document line, if any. */
export function hunkHeaderLine(output: ServerAnalysis, line: number): number | undefined {
  const hunk = output.read.hunks.find((h) => h.range.start.line <= line && line <= h.range.end.line);
  return hunk?.header.start.line;
}

const touches = (r: Range, range: Range) => r.start.line <= range.end.line && r.end.line >= range.start.line;

/** On the lines of a finding: simulate its lead case, and copy the behaviour summary. Nothing elsewhere. */
export function codeActions(uri: string, output: ServerAnalysis, range: Range): CodeAction[] {
  const here = output.result.findings.filter((f) => touches(f.range, range));
  if (!here.length) return [];
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const f of here) {
    const lead = leadCase(f.changes);
    if (!lead) continue;
    const steps = lead.steps.join('; ');
    const title = `Simulate ${lead.device}: ${steps} (${lead.before.text} \u2192 ${lead.after.text})`;
    if (seen.has(title)) continue;
    seen.add(title);
    actions.push({
      title,
      command: {
        title,
        command: Commands.simulate,
        arguments: [
          { uri, ...(f.patch === undefined ? {} : { patch: f.patch }), device: lead.device, steps },
        ],
      },
    });
  }
  actions.push({
    title: 'Copy behaviour summary as reply',
    command: {
      title: 'Copy behaviour summary as reply',
      command: Commands.copySummary,
      arguments: [{ uri }],
    },
  });
  return actions;
}
