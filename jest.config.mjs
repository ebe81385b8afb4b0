// @ts-check
import process from 'node:process';
/**
 * Unit tests sit next to the code; integration suites need a running network.
 *
 * The npm scripts run jest with --experimental-vm-modules: fabric-gateway
 * require()s @noble/curves, which is ESM only, and jest can load ESM from a
 * CommonJS require only through vm modules.
 */

const VM_MODULES = '--experimental-vm-modules';
if (!`${process.env['NODE_OPTIONS'] ?? ''} ${process.execArgv.join(' ')}`.includes(VM_MODULES)) {
  throw new Error(
    `jest needs node ${VM_MODULES}: run it through \`npm run test:unit\` or \`npm run test:integration\``,
  );
}

/** @type {import('ts-jest').TsJestTransformerOptions} */
const tsJest = { tsconfig: '<rootDir>/tsconfig.json' };

/** @type {import('jest').Config['transform']} */
const transform = { '^.+\\.ts$': ['ts-jest', tsJest] };

// Network folders: a node-type chaincode leaves built packages (package.json
// and node_modules) under every peer, which jest would otherwise map.
const modulePathIgnorePatterns = ['<rootDir>/\\.crowdledger'];

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: import.meta.dirname,
      testMatch: ['<rootDir>/{protocol,chaincode,client,cli,bench}/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/chaincode/src/testing/quiet-logs.ts'],
      transform,
      modulePathIgnorePatterns,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: import.meta.dirname,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup.ts'],
      transform,
      modulePathIgnorePatterns,
    },
    {
      // Faults under load: `make reliability` only (never `make test` or CI).
      displayName: 'reliability',
      testEnvironment: 'node',
      rootDir: import.meta.dirname,
      testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/reliability/setup.ts'],
      transform,
    },
    {
      // After every integration suite, on the same network: test/run.sh runs it before the teardown.
      displayName: 'scan',
      testEnvironment: 'node',
      rootDir: import.meta.dirname,
      testMatch: ['<rootDir>/test/scan/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup.ts'],
      transform,
      modulePathIgnorePatterns,
    },
  ],
};
