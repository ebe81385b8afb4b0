// @ts-check
import eslint from '@eslint/js';
import jsdoc from 'eslint-plugin-jsdoc';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

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
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
