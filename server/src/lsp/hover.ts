/** Hover: knowledge symbols everywhere; the decision before/after on a changed decision line; a patch summary on its subject line. */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configNameMarkdown } from '../analysis/configHover';
import { hoverMarkdown, knowledgeAt, symbolAt } from '../knowledge';
import {
  decisionAt,
  HOVER_CASES,
  decisionMarkdown,
  patchMarkdown,
  patchOfSubjectLine,
  quotedDecisionAt,
  sameCodeAs,
} from './decisionText';
import type { AnalysedDocument } from './documentAnalyses';

export function lineOf(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '');
}

export function hoverAt(
  doc: TextDocument,
  pos: Position,
  analysed: AnalysedDocument | undefined,
): Hover | null {
  if (pos.line < 0 || pos.line >= doc.lineCount) return null;
  const text = lineOf(doc, pos.line);
  const sections: string[] = [];
  let range: Hover['range'];
  const symbol = knowledgeAt(text, pos.character);
  if (symbol) {
    sections.push(hoverMarkdown(symbol.entry));
    range = {
      start: { line: pos.line, character: symbol.start },
      end: { line: pos.line, character: symbol.end },
    };
  }
  const output = analysed?.state.kind === 'analysed' ? analysed.state.output : undefined;
  if (!symbol) {
    // a config-space register or bit: how each kernel's permission tables treat it
    const word = symbolAt(text, pos.character);
    const config =
      word && !word.qualifier
        ? configNameMarkdown(word.word, output?.result.baseline.kernel ?? undefined)
        : undefined;
    if (word && config) {
      sections.push(config);
      range = {
        start: { line: pos.line, character: word.start },
        end: { line: pos.line, character: word.end },
      };
    }
  }
  if (output) {
    const site =
      decisionAt(output, pos) ?? quotedDecisionAt(output, pos, (line) => sameCodeAs(text, lineOf(doc, line)));
    if (site) sections.push(decisionMarkdown(output, site, { maxCases: HOVER_CASES }));
    else if (!symbol) {
      const patch = patchOfSubjectLine(output, pos.line, text);
      if (patch !== undefined) sections.push(patchMarkdown(output, patch));
    }
  }
  if (!sections.length) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    ...(range ? { range } : {}),
  };
}
