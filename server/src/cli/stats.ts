/**
 * vfio-lens stats FILE...|- [--format text|json] [--repeat N]: what the reader finds in each
 * document (messages, patches, file diffs, hunks, hunk-body lines, added/removed lines, problems)
 * and how long the read took in-process (median of N runs of readDocument alone).
 */
import { readDocument } from '../mail';
import type { ReadResult } from '../mail/types';
import { choice, intOption, parseArgs } from './args';
import { readInputs } from './io';

export const STATS_HELP = `usage: vfio-lens stats FILE...|- [--format text|json] [--repeat N]

Reads each FILE (or standard input for "-") as a patch, mail, mbox, thread or web-archive page
and prints, per document: messages, patches (subject, version, index/total), file diffs, hunks,
hunk-body lines ("\\ No newline" markers included), added and removed lines, problems, and parseMs: the in-process time of the read
alone (median of --repeat N runs, default 1; file reading and printing are not included).

--format json prints one JSON object per document with the keys
  file, kind, messages, patches, files, hunks, hunkLines, added, removed, problems, parseMs
where messages, files, hunks, hunkLines, added, removed and problems are counts, patches is a
list of { subject, version, index, total, cover, files } and parseMs a number. A single FILE
gives that object; several FILEs give { "documents": [ ...one object per FILE, in order ] }.

Exit status: 0 when every document was read, 2 on a usage or input error.`;

export interface DocumentStats {
  file: string;
  kind: string;
  messages: number;
  patches: {
    subject: string;
    version: number;
    index?: number;
    total?: number;
    cover: boolean;
    files: number;
  }[];
  files: number;
  hunks: number;
  hunkLines: number;
  added: number;
  removed: number;
  problems: number;
  parseMs: number;
}

export function countStats(file: string, result: ReadResult, parseMs: number): DocumentStats {
  let hunks = 0;
  let hunkLines = 0;
  let added = 0;
  let removed = 0;
  for (const f of result.files) {
    for (const h of f.hunks) {
      hunks++;
      for (const l of h.lines) {
        // every line of the hunk body, "\ No newline at end of file" included
        hunkLines++;
        if (l.kind === 'added') added++;
        else if (l.kind === 'removed') removed++;
      }
    }
  }
  return {
    file,
    kind: result.kind,
    messages: result.messages.length,
    patches: result.patches.map((p) => ({
      subject: p.subject,
      version: p.version,
      index: p.index,
      total: p.total,
      cover: p.isCover,
      files: p.files.length,
    })),
    files: result.files.length,
    hunks,
    hunkLines,
    added,
    removed,
    problems: result.problems.length,
    parseMs,
  };
}

/** Reads `text` `repeat` times; the result of the last read and the median time in ms. */
export function timedRead(text: string, repeat: number): { result: ReadResult; parseMs: number } {
  const times: number[] = [];
  let result: ReadResult | undefined;
  for (let k = 0; k < repeat; k++) {
    const t0 = process.hrtime.bigint();
    result = readDocument(text);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { result: result!, parseMs: Math.round(median * 1000) / 1000 };
}

function patchLine(p: DocumentStats['patches'][number]): string {
  const position = p.index !== undefined ? ` ${p.index}/${p.total ?? '?'}` : '';
  const cover = p.cover ? ' (cover letter)' : '';
  return `    v${p.version}${position}${cover}: ${p.subject || '(no subject)'} [${p.files} file diffs]`;
}

export function formatText(s: DocumentStats): string {
  return [
    `${s.file} (${s.kind})`,
    `  messages   ${s.messages}`,
    `  patches    ${s.patches.length}`,
    ...s.patches.map(patchLine),
    `  files      ${s.files}`,
    `  hunks      ${s.hunks}`,
    `  hunkLines  ${s.hunkLines} (+${s.added} -${s.removed})`,
    `  problems   ${s.problems}`,
    `  parseMs    ${s.parseMs}`,
  ].join('\n');
}

export async function statsCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(STATS_HELP + '\n');
    return 0;
  }
  const args = parseArgs(argv, ['format', 'repeat']);
  const format = choice(args, 'format', ['text', 'json'] as const, 'text');
  const repeat = intOption(args, 'repeat', 1, 1, 1000);
  const docs = readInputs(args.positional);
  const stats = docs.map((d) => {
    const { result, parseMs } = timedRead(d.text, repeat);
    return countStats(d.file, result, parseMs);
  });
  if (format === 'json') {
    const out = stats.length === 1 ? stats[0] : { documents: stats };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(stats.map(formatText).join('\n\n') + '\n');
  }
  return 0;
}
