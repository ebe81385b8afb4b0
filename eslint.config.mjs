// @ts-check
import eslint from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import jsdoc from 'eslint-plugin-jsdoc';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const CC = './chaincode/src';
/**
 * What each chaincode folder may import. Data flows contract → steps →
 * rules → model → values, and contract or step → ledger → (model, values);
 * rules and ledger sit side by side, so neither imports the other.
 */
const MAY_IMPORT = {
  values: [],
  model: ['values'],
  rules: ['model', 'values'],
  ledger: ['model', 'values'],
  steps: ['rules', 'ledger', 'model', 'values'],
  contracts: ['steps', 'rules', 'ledger', 'model', 'values'],
};

const LAYER_ZONES = [
  ...Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
    target: `${CC}/${layer}`,
    from: [
      ...Object.keys(MAY_IMPORT)
        .filter((other) => other !== layer && !allowed.includes(other))
        .map((other) => `${CC}/${other}`),
      `${CC}/index.ts`,
    ],
    message: `chaincode layers run one way: ${layer}/ may import ${allowed.join(', ') || 'no other folder'} (README: Layout)`,
  })),
  {
    target: CC,
    from: ['./client', './cli', `${CC}/testing`],
    message: 'the chaincode is deployed alone: it imports no client, CLI or test code',
  },
  {
    target: './client/src',
    from: ['./chaincode', './cli'],
    message: 'the SDK shares only @crowdledger/protocol with the chaincode',
  },
  {
    target: './protocol/src',
    from: ['./chaincode', './client', './cli'],
    message: 'the protocol depends on no other package of the project',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', 'coverage/', '.crowdledger*/', 'network/'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Low enough that a sprawling contract method has to be split into rules.
      complexity: ['error', 8],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
      'max-depth': ['error', 3],
      'max-params': ['error', 5],
      eqeqeq: 'error',
      'no-console': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
    },
  },
  {
    // A describe block is one long function by nature.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // The SDK is what platforms build on: every exported member says what it
    // is for. Only presence is checked; wording and tags follow our own style.
    files: ['client/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'client/src/testing/**'],
    plugins: { jsdoc },
    rules: {
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: true,
          require: { FunctionDeclaration: true, ClassDeclaration: true },
          contexts: [
            'ExportNamedDeclaration > VariableDeclaration',
            'TSInterfaceDeclaration',
            'TSTypeAliasDeclaration',
            'TSEnumDeclaration',
            'TSDeclareFunction',
            'TSPropertySignature',
            'TSMethodSignature',
            // publicOnly already skips private, protected and # members.
            'MethodDefinition[kind!="constructor"] > FunctionExpression',
            'PropertyDefinition',
          ],
        },
      ],
      // TSDoc's tags on top of JSDoc's, so a typo'd tag still fails.
      'jsdoc/check-tag-names': [
        'error',
        { definedTags: ['remarks', 'privateRemarks', 'defaultValue', 'typeParam', 'packageDocumentation'] },
      ],
    },
  },
  {
    // Layers that run one way (README "Layout"): each folder imports only the
    // folders below it. Tests and testing/ build whole worlds, so they may
    // reach anywhere; production code may not.
    files: ['protocol/src/**/*.ts', 'chaincode/src/**/*.ts', 'client/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYER_ZONES }],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Caliper's modules (bench/caliper) are plain JavaScript it loads itself:
    // there is no type annotation to give an exported function.
    files: ['bench/caliper/**/*.mjs'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  prettier,
);
