/** The Explain view's page: the server's Markdown rendered, nothing of the document's text as HTML. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explanationCsp, explanationPage, renderExplanation } from '../../../client/src/explanation/render';

describe('the Explain view', () => {
  test('fences, tables and code spans are rendered, not shown as Markdown source', () => {
    const html = renderExplanation(
      [
        '**memory-enabled** changes',
        '',
        '| side | value |',
        '| --- | --- |',
        '| before | `pdev->is_virtfn (0)` |',
        '',
        '```c',
        'return pdev->no_command_memory;',
        '```',
      ].join('\n'),
    );
    assert.match(html, /<strong>memory-enabled<\/strong>/);
    assert.match(html, /<table>[\s\S]*<td>before<\/td>[\s\S]*<code>pdev-&gt;is_virtfn \(0\)<\/code>/);
    assert.match(html, /<pre><code class="language-c">return pdev-&gt;no_command_memory;\n<\/code><\/pre>/);
    assert.doesNotMatch(html, /```|\| ---/);
  });

  test("raw HTML and script links from a patch's text come out as text", () => {
    const html = renderExplanation(
      'a <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](command:vfioLens.restartServer)',
    );
    assert.doesNotMatch(html, /<script|<img|href="javascript|href="command/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(
      renderExplanation('[LKML](https://lore.kernel.org/)'),
      /<a href="https:\/\/lore\.kernel\.org\/">LKML<\/a>/,
    );
  });

  test('the page has no script and a CSP that allows only the stylesheet', () => {
    const page = explanationPage({
      title: 'Explain <x>',
      markdown: '`a`',
      cspSource: 'https://res.example',
      styleUri: 'https://res.example/explanation.css',
    });
    assert.doesNotMatch(page, /<script/);
    assert.match(page, /<title>Explain &#60;x&#62;<\/title>/);
    assert.equal(
      explanationCsp('https://res.example'),
      "default-src 'none'; style-src https://res.example; base-uri 'none'; form-action 'none'",
    );
  });
});
