import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'node_modules/',
    '.next/',
    'data/',
    'src/server/db/generated/',
    'src/server/db/generated-pg/',
    'bench/results/',
    'bench/tmp/',
    'test-results/',
    'scratch/',
    'next-env.d.ts',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are the codebase's way to say "deliberately unused" (an interface's argument, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'src/trpc/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended, nextPlugin.configs['core-web-vitals']],
    languageOptions: { globals: { ...globals.browser } },
    settings: { next: { rootDir: '.' } },
    rules: {
      // Not a hint here: a missing dependency is a stale closure.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The service worker (Web Push): a worker's globals (self, clients, registration), not a page's or Node's.
    files: ['public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // require() is how a CommonJS file imports (bench/heap-reporter.cjs is preloaded with --require).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Last: formatting is Prettier's, so no ESLint rule may disagree with it.
  prettier,
);
