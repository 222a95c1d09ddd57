import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The lines between the folders (docs/architecture.md, "The lines between them"), as import
 * restrictions. Each area gets one `no-restricted-imports` entry (a later entry for the same files
 * would replace an earlier one, not add to it), built from these pieces.
 */
const nodeBuiltins = {
  paths: builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({ name, message: 'Node built-ins do not load in the editor or in shared code.' })),
  patterns: [{ regex: '^node:', message: 'Node built-ins do not load in the editor or in shared code.' }],
};
const electronCode = {
  regex: '(^|/)electron(/|$)',
  message: 'Only electron/ imports electron/ and Electron; the editor reaches it through the bridge (shared/ipc.ts).',
};
const rendererCode = { regex: '(^|/)renderer/', message: 'shared/ is used by the editor, not the other way round.' };
const testSupport = {
  regex: '^(\\.\\.?/)+(test|bench|e2e)/',
  message: 'Test and benchmark support is for *.test.ts(x) files, not for the app.',
};
/** Dynamic `import()` and `require` of what the static rule forbids. */
const noDynamicNodeOrElectron = [
  'error',
  { selector: 'ImportExpression[source.value=/^node:/]', message: nodeBuiltins.patterns[0].message },
  { selector: 'ImportExpression[source.value=/electron/]', message: electronCode.message },
  { selector: "CallExpression[callee.name='require']", message: 'Use import; require is Node only.' },
];
const restrict = (...patterns) => [
  'error',
  { paths: nodeBuiltins.paths, patterns: [...nodeBuiltins.patterns, electronCode, ...patterns] },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'coverage', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // shared/: pure TypeScript, no Node, no Electron, nothing of the editor.
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(rendererCode), 'no-restricted-syntax': noDynamicNodeOrElectron },
  },
  {
    // The editor: no Node, no electron/, no test or benchmark support.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': restrict(testSupport), 'no-restricted-syntax': noDynamicNodeOrElectron },
  },
  {
    // The editor's tests: what they need of Node or of the engine comes through test/.
    files: ['renderer/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(), 'no-restricted-syntax': noDynamicNodeOrElectron },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
);
