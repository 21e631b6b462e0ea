/**
 * Loads web-tree-sitter and the tree-sitter-c grammar (both WebAssembly) once per process.
 * In the bundle the .wasm files sit next to dist/cli.js; from compiled tests they come from node_modules.
 *
 * The grammar's lexer is two huge wasm functions (40 KB and 25 KB of code). V8 runs wasm first
 * through its baseline compiler (Liftoff) and recompiles hot functions with TurboFan; by default
 * the lexer is "hot" within the first few parses, and its TurboFan compile then costs about half a
 * second of CPU and 30-40 MB of memory, in every process, for the few milliseconds of lexing a
 * patch or a series needs. A larger tier-up budget keeps it on Liftoff until a process has really
 * lexed a lot (a few MB of C, as a whole QEMU release's patches): seed 002's CLI run uses 40% less
 * CPU and 35 MB less memory, the 4 MB bench mbox is 10% slower. dist/cli.js sets the same flag
 * before it compiles the bundle (its code cache must be made under the flags it is used with).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';

/** See above; before the modules are instantiated (each function's budget is set then). */
export const WASM_TIERING = '--wasm-tiering-budget=2000000000';

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

function locate(file: string, pkgPath: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(pkgPath);
}

/** Initialises tree-sitter-c; resolves to a parser that can be used synchronously afterwards. */
export function initCParser(): Promise<Parser> {
  if (!ready) {
    ready = (async () => {
      v8.setFlagsFromString(WASM_TIERING);
      const runtimeWasm = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtimeWasm });
      // the bytes, not the path: given a path web-tree-sitter reads it through a dynamic import()
      const grammar = fs.readFileSync(locate('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm'));
      const language = await Language.load(grammar);
      const p = new Parser();
      p.setLanguage(language);
      parser = p;
      return p;
    })();
  }
  return ready;
}

/** The parser, once initCParser() has resolved; throws a clear error if it has not. */
export function cParser(): Parser {
  if (!parser) throw new Error('tree-sitter-c is not initialised: await initCParser() first');
  return parser;
}

/** True once initCParser() has resolved (synchronous callers may then use cParser()). */
export function cParserReady(): boolean {
  return parser !== undefined;
}
