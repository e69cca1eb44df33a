// Flat config: type-aware typescript-eslint for the Node service, scripts and tests;
// @salesforce/eslint-config-lwc for the Lightning Web Components.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const lwcConfig = require('@salesforce/eslint-config-lwc');

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.sf/**',
      '.sfdx/**',
      'force-app/main/default/lwc/**/*.js',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
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
    files: ['force-app/**/lwc/**/*.ts', 'force-app/test/**/*.ts'],
  })),
  {
    files: ['force-app/**/lwc/**/*.ts', 'force-app/test/**/*.ts'],
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
);
