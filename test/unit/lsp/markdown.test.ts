/**
 * Text from a reviewer's document is shown in the Markdown the server sends, never interpreted
 * (issue 13): the escaping of lsp/markdown.ts rendered by a real Markdown renderer (markdown-it,
 * HTML and autolinks on, the most permissive setting), then hovers and Explain on a patch whose
 * subject, file path and C carry images, links, HTML and emphasis.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import { simulationFacade } from '../../../server/src/lsp/facade';
import { codeBlock, codeSpan, escapeMarkdown } from '../../../server/src/lsp/markdown';
import type { ExplainResult } from '../../../server/src/lsp/protocol';
import { createServer, type VfioLensServer } from '../../../server/src/lsp/server';
import { MockConnection } from './mockConnection';

interface Renderer {
  render(md: string): string;
  renderInline(md: string): string;
}
const MarkdownIt = createRequire(__filename)('markdown-it') as (o: object) => Renderer;
const md = MarkdownIt({ html: true, linkify: true });

/** What a reader sees of rendered HTML: its text, entities decoded. */
function shownText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

/** Rendered HTML that does more than show text: an element a document must not bring in. */
const ACTIVE = /<(img|a|script|iframe|style|svg|em|strong|table|h\d|ul|ol|hr|del|s)\b/i;

const HOSTILE = [
  '![pixel](https://tracker.example/p.png)',
  '<img src="https://tracker.example/p.png">',
  '[click](javascript:alert(1))',
  '<script>alert(1)</script>',
  '**bold** and __under__ and *one* _two_ ~~gone~~',
  '| a | b |',
  '# heading',
  '- item',
  '1. item',
  '> quote',
  '&lt;img&gt; &#60;img&#62;',
  'https://tracker.example/visit and www.tracker.example',
  '`code` and ``two`` ```three```',
  'a\\*b\\',
  '<https://tracker.example/auto>',
  '[ref]: https://tracker.example/def',
  'line one\nline two\r\nline three\rend',
];

describe('lsp/markdown: document text shown, not interpreted', () => {
  test('escapeMarkdown: the rendered text is the text itself, with no element of its own', () => {
    for (const s of HOSTILE) {
      const html = md.render(`Subject: ${escapeMarkdown(s)}`);
      assert.doesNotMatch(html, ACTIVE, `${JSON.stringify(s)} -> ${html}`);
      assert.equal(shownText(html), `Subject: ${s.replace(/\r\n?|\n/g, ' ')}`, JSON.stringify(s));
      // also where the text starts a line
      const alone = md.render(escapeMarkdown(s));
      assert.doesNotMatch(alone, ACTIVE, `${JSON.stringify(s)} alone -> ${alone}`);
      assert.equal(shownText(alone), s.replace(/\r\n?|\n/g, ' '), `${JSON.stringify(s)} alone`);
    }
  });

  test('escapeMarkdown inside a table cell keeps the table to its cells', () => {
    for (const s of HOSTILE) {
      const html = md.render(['| x | y |', '|---|---|', `| ${escapeMarkdown(s)} | z |`].join('\n'));
      assert.equal((html.match(/<td>/g) ?? []).length, 2, `${JSON.stringify(s)} -> ${html}`);
      assert.doesNotMatch(html.replace(/<\/?(table|thead|tbody|tr|th|td)>/g, ''), ACTIVE);
    }
  });

  test('codeSpan and codeBlock: one code element holding the text, whatever backticks it has', () => {
    for (const s of HOSTILE) {
      const inline = md.renderInline(`x ${codeSpan(s)} y`);
      assert.equal((inline.match(/<code>/g) ?? []).length, 1, `${JSON.stringify(s)} -> ${inline}`);
      assert.doesNotMatch(inline, ACTIVE);
      assert.equal(shownText(inline), `x ${s.replace(/\r\n?|\n/g, ' ')} y`);
      const block = md.render(codeBlock(s, 'c'));
      assert.match(block, /^<pre><code class="language-c">/);
      assert.equal((block.match(/<code/g) ?? []).length, 1, `${JSON.stringify(s)} -> ${block}`);
      assert.equal(shownText(block), s.replace(/\r\n?/g, '\n').trim());
    }
  });
});

/** A one-patch mail whose subject, file path and C all carry markup. */
const SUBJECT =
  '[PATCH] vfio/pci: ![p](https://tracker.example/p.png) <img src=https://tracker.example/i.png> **x**';
const PATH = 'drivers/vfio/pci/<img src=x>__vfio_pci_config__.c';
const HOSTILE_PATCH = [
  'From: Mallory <m@example.org>',
  `Subject: ${SUBJECT}`,
  '',
  'Read me: [here](https://tracker.example/r) <img src=https://tracker.example/b.png>',
  '---',
  `--- a/${PATH}`,
  `+++ b/${PATH}`,
  '@@ -1,3 +1,3 @@ bool __vfio_pci_memory_enabled(struct vfio_pci_device *vdev)',
  ' {',
  '-\treturn pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY);',
  '+\treturn pdev->no_command_memory /* ``` <img src=x> */ || (cmd & PCI_COMMAND_MEMORY);',
  ' }',
  '',
].join('\n');
const URI = 'file:///work/hostile.patch';
const lineOf = (needle: string) => HOSTILE_PATCH.split('\n').findIndex((l) => l.includes(needle));

describe('hovers and Explain on a hostile patch', () => {
  const mock = new MockConnection();
  let server: VfioLensServer;

  before(async () => {
    server = createServer(mock.connection, { facade: simulationFacade() });
    await mock.call('onInitialize', {
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: { debounceMs: 0 },
    });
    await mock.call('onInitialized', {});
    await mock.call('onDidOpenTextDocument', {
      textDocument: { uri: URI, languageId: 'patch-mail', version: 1, text: HOSTILE_PATCH },
    });
    await mock.until(() => mock.published.find((p) => p.uri === URI && p.diagnostics.length), 'diagnostics');
  });
  after(() => server.dispose());

  const hoverAt = async (line: number, character: number) => {
    const h = await mock.call<Hover | null>('request:textDocument/hover', {
      textDocument: { uri: URI },
      position: { line, character },
    });
    return h ? (h.contents as { value: string }).value : '';
  };

  test('the subject hover shows the subject as text', async () => {
    const markdown = await hoverAt(lineOf('Subject:'), 12);
    assert.match(markdown, /vfio-lens:/);
    const html = md.render(markdown);
    assert.doesNotMatch(html, /<(img|a|script)\b/i, html);
    assert.ok(shownText(html).includes(SUBJECT), shownText(html));
  });

  test('the decision hover and Explain show the path, the function and the C as text', async () => {
    const line = lineOf('+\treturn');
    const markdowns = [
      await hoverAt(line, 3),
      (await mock.request<ExplainResult>('vfioLens/explain', { uri: URI, position: { line, character: 0 } }))
        .markdown ?? '',
    ];
    for (const markdown of markdowns) {
      assert.match(markdown, /\| device \| steps \| before \| after \|/);
      const html = md.render(markdown);
      assert.doesNotMatch(html, /<(img|a|script)\b/i, html);
      assert.ok(shownText(html).includes(PATH), 'the path as written');
      assert.ok(shownText(html).includes('__vfio_pci_memory_enabled()'), 'the function, not emphasis');
      assert.ok(shownText(html).includes('/* ``` <img src=x> */'), 'the C as written');
    }
  });
});
