// Jest runs the Lightning Web Component tests only (sfdx-lwc-jest). The Node service is tested
// with node:test (npm run test:node), which handles node:sqlite and type-stripped TS natively.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['**/force-app/**/lwc/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/dist'],
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
