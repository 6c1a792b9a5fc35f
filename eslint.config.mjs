import { existsSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// bench/ has its own dependencies (the peers it measures), installed by `npm run bench` or
// `npm test`: its files are linted, against bench/tsconfig.json, once they are there.
const benchInstalled = existsSync(new URL('bench/node_modules', import.meta.url));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'sdk/dist/**',
      'node_modules/**',
      '.cache/**',
      'src/generated/**',
      'examples/python/**',
      'examples/go/**',
      'helm/**',
      'bench/.work/**',
      // Browser modules, type-checked by tsconfig.ui.json (checkJs).
      'src/ui/**',
      ...(benchInstalled ? [] : ['bench/**']),
      '*.mjs',
      'scripts/*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
