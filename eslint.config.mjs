// Lint configuration: typescript-eslint's recommended rules over every TypeScript source, and the
// layers of the project (scripts/eslintLayers.mjs, ARCHITECTURE.md) over the server and the client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import { layersRule } from './scripts/eslintLayers.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/e2e/tools/**', '.e2e/**', '*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['server/src/**/*.ts', 'client/**/*.ts'],
    plugins: { 'vfio-lens': { rules: { layers: layersRule } } },
    rules: { 'vfio-lens/layers': ['error', { root }] },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser, acquireVsCodeApi: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
