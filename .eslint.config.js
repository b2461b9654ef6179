// ESLint flat config (kept as a dotfile: the repository's top level holds only what DEVELOPERS.md lists).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** Imports each layer may not make: lower layers never reach up (core ← adapters ← workers ← state ← ui). */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const UP_FROM_CORE = ['**/adapters/**', '**/workers/**', '**/state/**', '**/ui/**', '**/training/**'];
const TECH = ['idb', '@tensorflow/*', 'music-metadata', 'sentiment', '@vladmandic/*', 'svelte', 'svelte/*'];

export default ts.config(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Rune modules keep private bookkeeping (in-flight maps, abort sets) that must NOT be
    // reactive; what the UI reads is declared with $state explicitly.
    files: ['**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    // Playwright's idiom for a test that needs testInfo but no fixtures is `async ({}, testInfo)`.
    files: ['tests/e2e/**', 'tests/bench/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  layer(['src/core/**'], [{ group: [...UP_FROM_CORE, ...TECH], message: 'src/core is pure TypeScript: no DOM, storage, ML or upper layers.' }]),
  layer(['src/adapters/**'], [{ group: ['**/workers/**', '**/state/**', '**/ui/**', '**/training/**', 'svelte', 'svelte/*'], message: 'Adapters import only core.' }]),
  layer(['src/workers/**'], [{ group: ['**/state/**', '**/ui/**', '**/training/**', 'svelte', 'svelte/*'], message: 'Workers import only core and adapters.' }]),
  layer(['src/state/**'], [{ group: ['**/ui/**', '**/training/**'], message: 'State never imports UI.' }]),
  {
    // The UI reaches the browser's technologies through state; registering the service worker
    // (PWA plumbing with nothing to keep in state) is the one exception.
    ...layer(['src/ui/**'], [
      { group: ['**/adapters/**', '**/training/**', ...TECH.filter((p) => !p.startsWith('svelte'))], message: 'UI imports state and core, never adapters or the technologies behind them.' },
    ]),
    ignores: ['src/ui/service-worker-ui.ts'],
  },
);
