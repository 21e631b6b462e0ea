/**
 * The server's Markdown explanation as HTML for the Explain view: markdown-it with raw HTML off
 * (every `<` of the text, the patch's included, comes out as text), no links but http(s) ones, and
 * a strict CSP with no script at all. Pure: the unit tests drive it without VS Code.
 */
import MarkdownIt from 'markdown-it';

/** The renderer, made at the first explanation (not while the extension activates). */
let md: MarkdownIt | undefined;
function renderer(): MarkdownIt {
  if (md) return md;
  md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const defaultValidate = md.validateLink.bind(md);
  md.validateLink = (url: string): boolean => /^https?:/i.test(url.trim()) && defaultValidate(url);
  return md;
}

/** The Markdown the server sent, rendered; the only HTML in it is markdown-it's own. */
export function renderExplanation(markdown: string): string {
  return renderer().render(markdown);
}

/** The CSP of the Explain view: nothing at all but the extension's stylesheet. */
export function explanationCsp(cspSource: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, "base-uri 'none'", "form-action 'none'"].join('; ');
}

const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The whole page: the rendered explanation under its title. */
export function explanationPage(opts: {
  title: string;
  markdown: string;
  cspSource: string;
  styleUri: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(explanationCsp(opts.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(opts.styleUri)}">
<title>${escapeAttr(opts.title)}</title>
</head>
<body>
<main class="explanation">
${renderExplanation(opts.markdown)}
</main>
</body>
</html>`;
}
