// Jest runs the Lightning Web Component tests only (sfdx-lwc-jest). The Node service is tested
// with node:test (npm run test:node), which handles node:sqlite and type-stripped TS natively.
// Jest and sfdx-lwc-jest live in tools/dev (scripts/dev-tools.ts): the preset is loaded from there,
// and modulePaths lets the tests and setup files import them (@sa11y/jest).
const { devRequire, DEV_MODULES } = require('./tools/dev/require.cjs');
const { jestConfig } = devRequire('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['**/force-app/**/lwc/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/dist'],
  modulePaths: [DEV_MODULES],
  moduleNameMapper: {
    '^lightning/empApi$': '<rootDir>/force-app/test/jest-mocks/lightning/empApi',
    '^lightning/platformShowToastEvent$':
      '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent',
    '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
  },
  setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.ts'],
  collectCoverageFrom: ['force-app/**/lwc/**/*.ts', '!**/__tests__/**', '!**/*.d.ts'],
  coverageThreshold: { global: { lines: 90 } },
};
