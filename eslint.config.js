// Flat config: type-aware typescript-eslint for the Node service, scripts and tests;
// @salesforce/eslint-config-lwc for the Lightning Web Components.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const lwcConfig = require('@salesforce/eslint-config-lwc');

// ---- Layers (docs/ARCHITECTURE.md, "Layers"), enforced here so they do not rest on goodwill ----------------
// src/ is the product (engine, aircall, inbox, salesforce, connector, config, cli, util); dev/ holds
// the stand-ins it is developed against (the local org, the Aircall simulator, the console), which
// never ship in a connector's process unless a command asks for them.
// The engine is pure: it imports nothing from the rest of src but Aircall's webhook contract
// (src/aircall, itself a leaf; not its REST client, src/aircall/api.ts) and the default presence
// rules it shares with the components (force-app/.../aircallUtils/presenceRules.ts, which imports
// nothing), and no I/O module. Everyone else reaches the engine through
// src/engine/index.ts. The product loads no stand-in; the CLI reaches them only at the point of use
// (a `require` inside the command that needs one), so `start` on a real org loads none.
// test/lint/layers.test.ts shows each rule failing on a deliberate violation.
const ENGINE_THROUGH_INDEX = {
  regex: '(^|/)engine/.+',
  message: 'Import the engine from its index (src/engine/index.ts), not from its files.',
};
const STAND_IN = '^(\\.\\./)+dev/';
const NO_STAND_INS = {
  regex: STAND_IN,
  message:
    'The product (src/) never loads a stand-in (dev/: local org, simulator, console); the CLI injects them at the point of use.',
};
const STAND_INS_AT_POINT_OF_USE = {
  regex: STAND_IN,
  allowTypeImports: true,
  message:
    'The CLI loads a stand-in (dev/) only where a command uses it (`require` inside the function), never at module load.',
};
const LAZY_STAND_INS = [
  'ImportExpression[source.value=/^(\\.\\.\\/)+dev\\//]',
  "CallExpression[callee.name='require'][arguments.0.value=/^(\\.\\.\\/)+dev\\//]",
].map((selector) => ({ selector, message: NO_STAND_INS.message }));
// A `require` or `import()` of a stand-in that runs when the CLI module loads, not when a command uses it.
const STAND_INS_AT_MODULE_LOAD = [
  'ImportExpression[source.value=/^(\\.\\.\\/)+dev\\//]:not(:function *)',
  "CallExpression[callee.name='require'][arguments.0.value=/^(\\.\\.\\/)+dev\\//]:not(:function *)",
].map((selector) => ({ selector, message: STAND_INS_AT_POINT_OF_USE.message }));
const NO_LOCAL_ORG_OR_SIMULATOR = {
  regex: '^\\.\\./\\.\\./(local-org|simulator)(/|$)',
  message:
    'The console also runs against a real org (`start --target-org`): it must not load the local org or the simulator.',
};
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  'node:sqlite',
  'child_process',
  'node:child_process',
  'jsforce',
  '@salesforce/core',
  'fastify',
  'pino',
].map((name) => ({ name, message: 'The engine is pure: no I/O, no clients, no logging.' }));
const layerRules = [
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES,
          patterns: [
            {
              // The one other import: the default presence rules, shared with the components.
              regex:
                '^\\.\\./(?!aircall/(?!api$)|\\.\\./force-app/main/default/lwc/aircallUtils/presenceRules$)',
              message:
                "The engine imports nothing from the rest of src (only Aircall's webhook contract, src/aircall but not its REST client, and the components' default presence rules, c/aircallUtils).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/util/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'src/util holds leaf helpers (sleep): it imports nothing from src.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/errors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'The error catalogue (src/errors) is a leaf: it imports nothing from src.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/aircall/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message:
                'src/aircall (the webhook contract and the REST client) imports nothing from src.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/engine/**', 'src/aircall/**', 'src/util/**', 'src/errors/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ENGINE_THROUGH_INDEX, NO_STAND_INS] }],
      'no-restricted-syntax': ['error', ...LAZY_STAND_INS],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ENGINE_THROUGH_INDEX, STAND_INS_AT_POINT_OF_USE] },
      ],
      'no-restricted-syntax': ['error', ...STAND_INS_AT_MODULE_LOAD],
    },
  },
  {
    files: ['dev/console/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ENGINE_THROUGH_INDEX, NO_LOCAL_ORG_OR_SIMULATOR] },
      ],
    },
  },
  {
    files: ['dev/local-org/**/*.ts', 'dev/simulator/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_THROUGH_INDEX] }] },
  },
];

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.sf/**',
      '.sfdx/**',
      'force-app/main/default/lwc/**/*.js',
      '.aircall-sfv/**',
      'test-output/**',
    ],
  },
  {
    files: ['src/**/*.ts', 'dev/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['dev/console/web/**'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  ...layerRules,
  {
    // node:test's describe/it return promises the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.cjs', '*.js'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    extends: [js.configs.recommended],
  },
  ...lwcConfig.configs.recommendedTs.map((c) => ({
    ...c,
    files: ['force-app/**/lwc/**/*.ts', 'force-app/test/**/*.ts', 'dev/console/web/**/*.ts'],
  })),
  {
    files: ['force-app/**/lwc/**/*.ts', 'force-app/test/**/*.ts', 'dev/console/web/**/*.ts'],
    // The LWC preset parses TypeScript with babel, whose scope analysis does not see types: type-only
    // imports look unused and property names in type literals look like globals (`name`, `status`).
    // typescript-eslint's parser understands both; the LWC rules run unchanged on its tree.
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // tsc checks names in these files (npm run typecheck), as typescript-eslint advises.
      'no-undef': 'off',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.ts', 'force-app/test/**/*.{ts,js}'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    rules: {
      // Tests drive the adapters' test API (emit/error/getLastConfig) outside @wire.
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
  {
    // The console's browser code (not deployed): `void promise` marks fire-and-forget calls, and
    // main.ts mounts the app on the page's root element.
    files: ['dev/console/web/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-void': 'off', '@lwc/lwc/no-document-query': 'off' },
  },
  {
    files: ['dev/console/web/**/*.js'],
    languageOptions: { sourceType: 'module' },
    extends: [js.configs.recommended],
  },
);
