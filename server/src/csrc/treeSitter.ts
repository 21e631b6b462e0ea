/**
 * Loads web-tree-sitter and the tree-sitter-c grammar (both WebAssembly) once per process.
 * In the bundle the .wasm files sit next to dist/cli.js; from compiled tests they come from node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

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
