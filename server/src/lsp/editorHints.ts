/** Inlay hints at the end of changed decision lines, code lenses above patches and decision lines, code actions. */
import { InlayHint, type CodeAction, type CodeLens, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { HINT_MAX, fitHint } from '../analysis/attribute';
import type { ServerAnalysis } from './serverAnalysis';
import { lineOf } from './hover';
import type { VfioLensSettings } from './settings';

export const Commands = {
  simulate: 'vfioLens.simulate',
  explain: 'vfioLens.explain',
  copySummary: 'vfioLens.copySummary',
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

/** "Simulate" and "Explain" above each patch and above each changed decision line. */
export function codeLenses(uri: string, output: ServerAnalysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  const at = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  output.result.patches.forEach((p, patch) => {
    const line = p.range.start.line;
    lenses.push({
      range: at(line),
      command: { title: 'Simulate', command: Commands.simulate, arguments: [{ uri, patch }] },
    });
    lenses.push({
      range: at(line),
      command: { title: 'Explain', command: Commands.explain, arguments: [{ uri, position: p.range.start }] },
    });
  });
  // Above each hunk holding a changed decision line (one pair of lenses per hunk).
  const hunkLines = new Set<number>();
  for (const d of output.decisions) {
    const line = hunkHeaderLine(output, d.range.start.line) ?? d.range.start.line;
    if (hunkLines.has(line)) continue;
    hunkLines.add(line);
    lenses.push({
      range: at(line),
      command: { title: 'Simulate', command: Commands.simulate, arguments: [{ uri, patch: d.patch }] },
    });
    lenses.push({
      range: at(line),
      command: { title: 'Explain', command: Commands.explain, arguments: [{ uri, position: d.range.start }] },
    });
  }
  return lenses;
}

/** The @@ line of the hunk that holds a document line, if any. */
export function hunkHeaderLine(output: ServerAnalysis, line: number): number | undefined {
  const hunk = output.read.hunks.find((h) => h.range.start.line <= line && line <= h.range.end.line);
  return hunk?.header.start.line;
}

/** The patch a range lies in, if any. */
export function patchAtLine(output: ServerAnalysis, line: number): number | undefined {
  const i = output.result.patches.findIndex((p) => p.range.start.line <= line && line <= p.range.end.line);
  return i >= 0 ? i : undefined;
}

export function codeActions(uri: string, output: ServerAnalysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [
    {
      title: 'Copy behaviour summary as reply',
      command: {
        title: 'Copy behaviour summary as reply',
        command: Commands.copySummary,
        arguments: [{ uri }],
      },
    },
  ];
  const onDecision = output.decisions.find(
    (d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line,
  );
  const patch = onDecision?.patch ?? patchAtLine(output, range.start.line);
  if (onDecision || patch !== undefined) {
    actions.push({
      title: 'Open simulator on this hunk',
      command: {
        title: 'Open simulator on this hunk',
        command: Commands.simulate,
        arguments: [{ uri, patch }],
      },
    });
  }
  return actions;
}
