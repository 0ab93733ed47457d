import globals from 'globals';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of ../shared/STYLE.md ("The shape"): cli/action -> audit -> aws | probe | report | rules
 * -> engine -> inventory -> (errors, progress, fs, words, version). A file imports only
 * layers below its own; test/unit/layers.test.ts checks the same on the whole graph, circles included.
 */
const SDK = ['@aws-sdk/*', '@smithy/*'];
const FRONT_ENDS = ['commander'];

/** The no-restricted-imports rule for files of src/<folder>/ that may not import these folders of src/ (nor src/audit.ts). */
function onlyDownFrom(folder, forbiddenFolders, { audit = true, packages = [] } = {}) {
  const groups = forbiddenFolders.map((name) => (name === 'rules' ? '**/rules/**' : `**/${name}/**`));
  if (audit) groups.push('../audit.js', '../../audit.js');
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: groups, message: `src/${folder} must not import a layer above it or beside it (see ../shared/STYLE.md "The shape").` },
            ...(packages.length ? [{ group: packages, message: `src/${folder} must not use this package: it belongs to another layer.` }] : []),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'action/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
  onlyDownFrom('aws', ['cli', 'action', 'probe', 'report', 'rules'], { packages: FRONT_ENDS }),
  onlyDownFrom('probe', ['cli', 'action', 'aws', 'report', 'rules'], { packages: [...SDK, ...FRONT_ENDS] }),
  onlyDownFrom('report', ['cli', 'action', 'aws', 'probe', 'rules'], { packages: [...SDK, ...FRONT_ENDS] }),
  onlyDownFrom('engine', ['cli', 'action', 'aws', 'probe', 'report', 'rules'], { packages: [...SDK, ...FRONT_ENDS] }),
  onlyDownFrom('inventory', ['cli', 'action', 'aws', 'probe', 'report', 'rules', 'engine'], { packages: [...SDK, ...FRONT_ENDS] }),
  {
    // src/errors.ts, progress.ts, fs.ts, words.ts, version.ts: the bottom, importing no layer. src/audit.ts: every layer but the front ends.
    files: ['src/*.ts'],
    ignores: ['src/audit.ts', 'src/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*/**', '../*', '!../package.json'], message: 'the files at the top of src/ are the bottom layer: they import no folder of src/.' }] },
      ],
    },
  },
  {
    files: ['src/audit.ts', 'src/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./cli/**', './action/**', ...FRONT_ENDS], message: 'the audit pipeline serves every front end and imports none.' }] },
      ],
    },
  },
  {
    // Rules are pure functions of the inventory: the engine and the inventory only, never the SDK, the probe code or a front end.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../src/cli/**', '../src/action/**', '../src/aws/**', '../src/probe/**', '../src/report/**', '../src/audit.js', '../src/index.js', ...SDK, ...FRONT_ENDS, 'undici'],
              message: 'a rule imports only src/engine and src/inventory (see ../shared/STYLE.md "The shape").',
            },
          ],
        },
      ],
    },
  },
);
