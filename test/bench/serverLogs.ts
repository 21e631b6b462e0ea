/** What the benches read of the language server's log. */
import type { LspClient } from '../protocol/lspClient';

/** The analysis times the server logged ("analysed NAME (version N) in X ms: ...") for these documents. */
export function analysisTimes(client: LspClient, uris: Set<string>): number[] {
  // the log names a document by its file name (lsp/documentStatus.ts), not its whole URI
  const names = new Set([...uris].map((u) => u.replace(/^.*\//, '')));
  const out: number[] = [];
  for (const l of client.logs) {
    const m = /^analysed (\S+) \(version \d+\) in ([\d.]+) ms/.exec(l);
    if (m && names.has(m[1])) out.push(Number(m[2]));
  }
  return out;
}
