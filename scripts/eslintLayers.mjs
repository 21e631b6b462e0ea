// The layers of vfio-lens as an ESLint rule ("vfio-lens/layers"), checked by `npx eslint .` in
// `npm test`: text -> mail/diff -> csrc -> model -> analysis -> lsp/cli, the client beside them.
// Every import (and `import('...')` type, and re-export) of a source file is resolved to a path of
// the repository and checked against the zone of the importing file. A zone names the folders it
// may not reach, or the only ones it may; a public surface names the one file others import a
// folder through. Tests and scripts are in no zone.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Each zone: the folder it covers, what it may not import (deny) or all it may (allow), and why. */
export const ZONES = [
  {
    from: 'server/src/model/',
    allow: ['server/src/model/'],
    packages: false,
    why: 'the model is pure: it imports nothing outside model/ (C text is parsed by a parser handed in)',
  },
  {
    from: 'server/src/common/',
    allow: ['server/src/common/'],
    packages: false,
    why: 'common/ holds what the readers share and imports nothing else',
  },
  {
    from: 'server/src/diff/',
    deny: [
      'server/src/mail/',
      'server/src/csrc/',
      'server/src/analysis/',
      'server/src/lsp/',
      'server/src/cli/',
    ],
    why: 'the diff reader knows no mail (what both need is in common/) and nothing above it',
  },
  {
    from: 'server/src/mail/',
    deny: ['server/src/csrc/', 'server/src/analysis/', 'server/src/lsp/', 'server/src/cli/'],
    why: 'the mail reader knows nothing above the readers',
  },
  {
    from: 'server/src/csrc/',
    deny: ['server/src/diff/', 'server/src/analysis/', 'server/src/lsp/', 'server/src/cli/'],
    why: 'csrc reads C lines (not diffs) and knows nothing above the model',
  },
  {
    from: 'server/src/knowledge/',
    deny: ['server/src/analysis/', 'server/src/lsp/', 'server/src/cli/'],
    why: 'the knowledge base is below the analysis',
  },
  {
    from: 'server/src/analysis/',
    deny: ['server/src/lsp/', 'server/src/cli/'],
    why: 'the analysis returns its own types; lsp/protocol re-exports them, never the other way round',
  },
  {
    from: 'server/src/lsp/',
    deny: ['server/src/cli/', 'client/'],
    why: 'the language server is started by the CLI, not the other way round',
  },
  {
    from: 'client/',
    allow: ['client/', 'server/src/lsp/protocol.ts'],
    why: 'the client talks to the server only: it imports the shared protocol module and nothing else of it',
  },
];

/** Folders imported from outside only through one file: their public surface. */
export const SURFACES = [
  {
    folder: 'server/src/model/',
    through: /^server\/src\/model\/(.+\/)?index\.ts$/,
    why: 'outside model/, import the model through model/index.ts (a model of its own folder through its own index.ts)',
  },
  {
    folder: 'server/src/diff/',
    only: ['server/src/mail/'],
    through: /^server\/src\/diff\/index\.ts$/,
    why: 'the mail reader uses the diff reader through diff/index.ts only',
  },
];

const EXTENSIONS = ['.ts', '.d.ts', '.mjs', '.js'];

/** The repository path an import names, or undefined for a package. */
function resolveImport(root, file, source) {
  if (!source.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(file), source);
  const candidates = [
    target,
    ...EXTENSIONS.map((e) => target + e),
    ...EXTENSIONS.map((e) => path.join(target, 'index' + e)),
  ];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? target;
  return path.relative(root, found).split(path.sep).join('/');
}

/** Why an import of `target` (a repository path, or undefined for a package) from `from` breaks a layer, or null. */
export function layerViolation(from, target, source) {
  const zone = ZONES.find((z) => from.startsWith(z.from));
  if (zone) {
    if (target === undefined) {
      if (zone.packages === false) return `${zone.why} (imports the package "${source}")`;
    } else if (zone.allow && !zone.allow.some((a) => target === a || target.startsWith(a))) {
      return `${zone.why} (imports ${target})`;
    } else if (zone.deny && zone.deny.some((d) => target.startsWith(d))) {
      return `${zone.why} (imports ${target})`;
    }
  }
  if (target !== undefined) {
    for (const s of SURFACES) {
      if (!target.startsWith(s.folder) || from.startsWith(s.folder)) continue;
      if (s.only && !s.only.some((o) => from.startsWith(o))) continue;
      if (!s.through.test(target)) return `${s.why} (imports ${target})`;
    }
  }
  return null;
}

/** The rule; option: { root } (the repository root the zones' paths are relative to). */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports keep to the layers of vfio-lens (ARCHITECTURE.md)' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { layer: 'layer: {{why}}' },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = path.relative(root, file).split(path.sep).join('/');
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const why = layerViolation(from, resolveImport(root, file, source), source);
      if (why) context.report({ node, messageId: 'layer', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportType: (node) => {
        const arg = node.argument;
        const literal = arg?.type === 'TSLiteralType' ? arg.literal : arg;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
    };
  },
};
