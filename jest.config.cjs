/** Unit tests run with in-memory adapters and a fixed clock; integration tests use real Azurite. */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Sources import './x.js' (Node16 ESM-style specifiers); jest resolves them to the .ts files.
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // strip-bom 5 (used by @microsoft/app-manifest) is ESM-only; jest needs CommonJS.
    '^strip-bom$': '<rootDir>/test/helpers/strip-bom.cjs',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
  // Integration tests start Azurite, servers and Chromium; on a busy 2-core CI machine 5 s is too
  // little. (A limit here, not a speed claim: nothing asserts on timing.) jest reads it only here.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    // Browser tests: the npm start stack in headless Chromium (needs npm run build first).
    // npm test runs them after the other two projects, on their own: Chromium and the Playground
    // beside the timing-sensitive reminder simulation made it see the fake connector's 429s.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
