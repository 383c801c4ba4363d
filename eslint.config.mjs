// ESLint (flat config) over the whole tree: typescript-eslint's type-checked recommended rules on
// the TypeScript, ESLint's recommended rules on the JavaScript (bin/, the cucumber profiles), and
// the rules of this project below. `npm run lint` runs it with --max-warnings 0, then the suite's
// own lint (tools/lint-suite.ts: import direction, fault names, the catalog and the recordings).
import { createRequire } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The project's own rules are TypeScript (tools/eslint/), loaded as the suite loads its own (bin/runtime.js).
const require = createRequire(import.meta.url);
require('./bin/register-typescript.js');
const { plugin: local } = require('./tools/eslint/cast-says-why.ts');

/** Product code: what the package ships or runs (tools/ and tests/ are not). */
const PRODUCT = ['src/**', 'steps/**', 'reference-service/**', 'schemas/**', 'bin/**'];

export default defineConfig(
  {
    ignores: ['node_modules/**', 'dist/**', 'reports/**', '.stryker-tmp/**', 'schemas/validators.generated.js'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise is awaited, or handed to `void` where nothing waits for it (a script's main(), whose
      // rejection ends the process as an unhandled one).
      // node:test's test() and describe() return promises that its runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // require() is how this code loads a module lazily (start-up time: docs/performance.md) or by a
      // computed path; the type of what it loads is then said by a cast (local/cast-says-why).
      '@typescript-eslint/no-require-imports': 'off',
      // `catch {}` and `_`-prefixed names are how this code says "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // src/settings.ts is the one reader of the environment (its header says so): product code gets
    // its settings from there. Tools and tests may set the environment of the processes they start.
    files: PRODUCT,
    ignores: ['src/settings.ts'],
    rules: {
      'no-restricted-properties': ['error', {
        object: 'process',
        property: 'env',
        message: 'Read settings through src/settings.ts (the one settings table); nothing else in the product reads or writes process.env.',
      }],
    },
  },
  {
    // A cast in product code says why the type system cannot know what it claims (tools/eslint/cast-says-why.ts).
    files: PRODUCT,
    plugins: { local },
    rules: { 'local/cast-says-why': 'error' },
  },
);
