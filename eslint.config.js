// Type-aware linting: the rules that matter most here are no-floating-promises and
// no-misused-promises (an unhandled rejection in a chat listener would take the process down).
// The layers (README "Architecture") are checked by eslint-plugin-boundaries: an import that
// runs back up the layers, or a front door that reaches past the engine, fails `npm run lint`.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Every layer, top to bottom, and the layers below it that it may import. */
const LAYERS = {
  // Wires everything together (and the operator tools): may import anything.
  entry: { pattern: ['src/main.ts', 'src/cli.ts', 'src/runtime.ts', 'src/tools/**'], uses: ['front-door', 'commands', 'core', 'mail-api', 'store', 'ops', 'domain'] },
  // Slack, Discord and the console hold the engine port only: never the store or the mail service.
  'front-door': { pattern: ['src/slack/**', 'src/discord/**', 'src/console/**'], uses: ['core', 'ops', 'domain'] },
  commands: { pattern: ['commands/**'], uses: ['core', 'ops', 'domain'] },
  core: { pattern: ['src/core/**'], uses: ['mail-api', 'store', 'ops', 'domain'] },
  'mail-api': { pattern: ['src/mail-api/**'], uses: ['ops', 'domain'] },
  store: { pattern: ['src/store/**'], uses: ['ops', 'domain'] },
  ops: { pattern: ['src/ops/**'], uses: ['domain'] },
  domain: { pattern: ['src/domain/**'], uses: [] },
};

const layerRules = {
  files: ['src/**/*.ts', 'commands/**/*.ts'],
  plugins: { boundaries },
  settings: {
    // `mode: 'full'`: a pattern names files (src/main.ts) as well as folders; v7 still reads it
    // (its replacement, partialMatch, matches folders only), so its deprecation notice is off.
    'boundaries/elements': Object.entries(LAYERS).map(([type, { pattern }]) => ({ type, pattern, mode: 'full' })),
    'boundaries/legacy-warnings': false,
    // Imports are written `./x.js` and resolve to `./x.ts`.
    'import/resolver': { typescript: { project: './tsconfig.json' } },
  },
  rules: {
    'boundaries/dependencies': ['error', {
      default: 'disallow',
      message: 'the layer {{from.type}} may not import the layer {{to.type}}: see the layers in README.md (Architecture) and eslint.config.js',
      policies: Object.entries(LAYERS).map(([type, { uses }]) => ({
        from: { element: { type } },
        allow: { to: { element: { types: { anyOf: [type, ...uses] } } } },
      })),
    }],
    // A file of ours outside every layer would escape the check.
    'boundaries/no-unknown-files': 'error',
  },
};

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'test/ops/fixtures/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layerRules,
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
