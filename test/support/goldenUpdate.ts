/**
 * `npm run golden:update`: writes test/golden/<input>.json for every corpus and seed file from
 * what the analysis says now. Run it when a change of findings is meant (and read the diff).
 *   --from DIR  take each input's result from DIR/<input>.json, saved `vfio-lens analyze --format
 *               json` output (e.g. of an older build), instead of analysing
 *   --out DIR   write the goldens there instead of test/golden/
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GOLDEN_DIR, analysedNow, goldenInputs, goldenText, type JsonDocument } from './golden';
import { sharedMissing } from './shared';

async function main(argv: string[]): Promise<number> {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = value('--from');
  const out = value('--out') ?? GOLDEN_DIR;
  const missing = sharedMissing();
  if (missing) {
    process.stderr.write(`golden:update: ${missing}\n`);
    return 2;
  }
  fs.mkdirSync(out, { recursive: true });
  let changed = 0;
  const inputs = goldenInputs();
  for (const input of inputs) {
    const name = `${path.basename(input)}.json`;
    const doc: JsonDocument = from
      ? (JSON.parse(fs.readFileSync(path.join(from, name), 'utf8')) as { documents: JsonDocument[] })
          .documents[0]
      : await analysedNow(input);
    const text = goldenText(doc);
    const file = path.join(out, name);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.writeFileSync(file, text);
    changed++;
  }
  process.stdout.write(`golden:update: ${inputs.length} inputs, ${changed} golden(s) written to ${out}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`golden:update: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
