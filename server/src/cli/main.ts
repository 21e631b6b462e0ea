/**
 * vfio-lens: the command-line twin of the extension. Each sub-command lives in its own module;
 * they share the engine under server/src and print text, JSON (and for analyze SARIF or b4 output).
 *
 * A command's module is loaded when that command runs, not before: `analyze` does not load the
 * language server, `--help` loads no command at all (a CLI run once per patch pays only for what
 * it uses; the bundle keeps each command's modules unevaluated until then).
 */
import { UsageError } from './args';
import { InputError } from './io';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  analyze: {
    summary: 'analyze FILE...|- [--format text|json|sarif|b4] [--baseline ID] [--fail-on warning|error]',
    load: async () => (await import('./analyze.js')).analyzeCommand,
  },
  stats: {
    summary: 'stats FILE...|- [--format text|json] [--repeat N]',
    load: async () => (await import('./stats.js')).statsCommand,
  },
  simulate: {
    summary:
      'simulate --device ID (--kernel ID | --qemu ID [--host ID]) --steps "open; ..." [--format text|json] [--explain]',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  compare: {
    summary:
      'compare (--kernel A --kernel B | --qemu A [--qemu B] [--host H [--host H2]]) [--device ID] [--depth N] [--internal] [--format text|json]',
    load: async () => (await import('./compare.js')).compareCommand,
  },
  matrix: {
    summary: 'matrix [--format text|json|markdown] [--model vfio-pci|zpci] [--qemu ID ...] [--host ID]',
    load: async () => (await import('./matrix.js')).matrixCommand,
  },
  lsp: {
    summary: 'lsp --stdio | --node-ipc | --socket=PORT [--message-timeout=MS]   (the language server)',
    load: async () => (await import('./lsp.js')).lspCommand,
  },
};

function usage(): string {
  return ['usage: vfio-lens <command> [options]', '', 'commands:']
    .concat(Object.values(commands).map((c) => '  vfio-lens ' + c.summary))
    .join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write('vfio-lens 0.1.0\n');
    return 0;
  }
  const command = commands[name];
  // `vfio-lens ... | head`: a reader that stops reading ends the command quietly (not with an
  // unhandled EPIPE); the language server's stdout is its protocol, which handles its own end
  if (name !== 'lsp') process.stdout.on('error', endOnClosedOutput);
  if (!command) {
    process.stderr.write(`vfio-lens: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    // the server's analysis process loads only the analysis (cli/analysisWorker.ts)
    const worker = name === 'lsp' && rest.includes('--analysis-worker');
    const run = worker ? (await import('./analysisWorker.js')).analysisWorkerCommand : await command.load();
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`vfio-lens ${name}: ${e.message}\nusage: vfio-lens ${command.summary}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`vfio-lens ${name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`vfio-lens ${name}: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

/** What stdout's 'error' does: a closed pipe ends the process quietly with status 0, anything else is reported. */
function endOnClosedOutput(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`vfio-lens: cannot write the output: ${e.message}\n`);
  process.exit(3);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e) + '\n');
      process.exitCode = 3;
    },
  );
}
