/**
 * `lbcheck completion bash|zsh|fish`, loaded into the real shells: each script is printed
 * by the built CLI, sourced, and asked for completions as the shell asks when Tab is
 * pressed (bash: the completion function over COMP_WORDS; fish: `complete -C`; zsh: an
 * interactive zsh in a pseudo-terminal with compinit, Tab typed, compadd recording the
 * matches). A shell that is not installed is skipped, saying so.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { completionSpec } from '../../src/cli/completion.js';
import { ROOT, runCli } from './cli-support.js';

const run = promisify(execFile);

function installed(shell: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(`completion test: ${shell} is not installed, its completion is not tested here`);
    return false;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbcheck-completion-'));
});

async function scriptFile(shell: 'bash' | 'zsh' | 'fish'): Promise<string> {
  const result = await runCli(['completion', shell]);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  const file = join(dir, `lbcheck.${shell}`);
  await writeFile(file, result.stdout);
  return file;
}

const FORMATS = ['html', 'json', 'markdown', 'sarif', 'text'];
const COMMANDS = ['audit', 'completion', 'explain', 'help', 'merge', 'probe', 'rules', 'snapshot'];

describe('the completion model', () => {
  it('has every command and every option of the program, with the choices of enum options', () => {
    const program = buildProgram();
    const spec = completionSpec(program, { 'rule-id': ['single-az-load-balancer'] });
    expect(spec.commands.map((command) => command.name).sort()).toEqual(COMMANDS);
    for (const command of program.commands) {
      const options = spec.commands.find((c) => c.name === command.name())?.options.map((option) => option.long);
      expect(options).toEqual([...command.options.map((option) => option.long), '--help']);
    }
    const audit = spec.commands.find((command) => command.name === 'audit');
    expect(audit?.options.find((option) => option.long === '--fail-on')?.value).toEqual({ kind: 'choices', choices: ['error', 'warning', 'info', 'none'] });
    expect(audit?.options.find((option) => option.long === '--lb')?.repeatable).toBe(true);
    expect(audit?.options.find((option) => option.long === '--snapshot')?.value).toEqual({ kind: 'file' });
    expect(spec.commands.find((command) => command.name === 'explain')?.argument).toEqual({ kind: 'choices', choices: ['single-az-load-balancer'] });
  });

  it('refuses a shell it does not know, exit 2', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("lbcheck: error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish. (see lbcheck --help)\n");
  });
});

describe.runIf(installed('bash'))('bash', () => {
  let file: string;
  beforeAll(async () => {
    file = await scriptFile('bash');
  });

  /** What the completion function offers for `words`, the last one being completed (as bash splits the line: `--format=` is three words). */
  async function complete(...words: string[]): Promise<string[]> {
    const script = `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _lbcheck_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await run('bash', ['--norc', '-c', script, file, ...words], { cwd: ROOT });
    return stdout.split('\n').filter((line) => line !== '').sort();
  }

  it('completes commands, options, enum values, rule ids and files', async () => {
    expect(await complete('lbcheck', 'au')).toEqual(['audit']);
    expect(await complete('lbcheck', '')).toEqual(COMMANDS);
    expect(await complete('lbcheck', '--q')).toEqual(['--quiet']);
    expect(await complete('lbcheck', 'audit', '--l')).toEqual(['--lb']);
    expect(await complete('lbcheck', 'audit', '--format', '')).toEqual(FORMATS);
    expect(await complete('lbcheck', 'audit', '--format', '=', 'ma')).toEqual(['markdown']);
    expect(await complete('lbcheck', 'audit', '--format', '=', '')).toEqual(FORMATS);
    expect(await complete('lbcheck', 'audit', '--rule', 'sec')).toEqual(['security']);
    expect(await complete('lbcheck', '--debug', 'explain', 'idle')).toEqual(['idle-timeout-exceeds-target-keepalive']);
    expect(await complete('lbcheck', 'audit', '--snapshot', 'examples/inc')).toEqual(['examples/incidents.probe.json', 'examples/incidents.snapshot.json']);
    expect(await complete('lbcheck', 'completion', '')).toEqual(['bash', 'fish', 'zsh']);
    // A value with nothing to offer offers nothing, not the options.
    expect(await complete('lbcheck', 'audit', '--region', '')).toEqual([]);
    const snapshotOptions = await complete('lbcheck', 'snapshot', '--');
    expect(snapshotOptions).toEqual(expect.arrayContaining(['--output', '--lb', '--tag', '--region', '--help']));
    expect(snapshotOptions).not.toContain('--format');
  });
});

describe.runIf(installed('fish'))('fish', () => {
  let file: string;
  beforeAll(async () => {
    file = await scriptFile('fish');
  });

  /** What `complete -C LINE` offers (the candidates, without their descriptions). */
  async function complete(line: string): Promise<string[]> {
    const { stdout } = await run('fish', ['--no-config', '-c', `source ${file}; complete -C ${JSON.stringify(line)}`], { cwd: ROOT });
    return stdout
      .split('\n')
      .filter((entry) => entry !== '')
      .map((entry) => entry.split('\t')[0] ?? '')
      .sort();
  }

  it('completes commands with descriptions, options, enum values, rule ids and files', async () => {
    const { stdout } = await run('fish', ['--no-config', '-c', `source ${file}; complete -C 'lbcheck au'`]);
    expect(stdout).toBe('audit\tcollect, run every rule, report findings\n');
    expect(await complete('lbcheck ')).toEqual(COMMANDS);
    expect(await complete('lbcheck audit --fail')).toEqual(['--fail-on']);
    expect(await complete('lbcheck audit --format ')).toEqual(FORMATS);
    expect(await complete('lbcheck audit --format=ma')).toEqual(['--format=markdown']);
    expect(await complete('lbcheck audit --rule sec')).toEqual(['security']);
    expect(await complete('lbcheck explain idle')).toEqual(['idle-timeout-exceeds-target-keepalive']);
    expect(await complete('lbcheck audit --snapshot examples/inc')).toEqual(['examples/incidents.probe.json', 'examples/incidents.snapshot.json']);
    expect(await complete('lbcheck snapshot --t')).toEqual(['--tag']);
    // Probe's arguments are host names: no file names offered.
    expect(await complete('lbcheck probe exam')).toEqual([]);
  });
});

/**
 * An interactive zsh in a pseudo-terminal (zsh/zpty): compinit, the script sourced, a compadd
 * that also prints each match; then the line typed with a Tab, cleared, and a marker printed.
 */
const ZSH_HARNESS = `
zmodload zsh/zpty
zpty shell 'zsh -f -i 2>&1'
zpty -w shell "source \${(q)1}; print READY\\$((1+1))"
zpty -r shell ignored '*READY2*'
zpty -w -n shell "$2"$'\\t'
zpty -w -n shell $'\\C-a\\C-k'
zpty -w shell 'print END$((1+1))'
zpty -r shell out '*END2*'
print -r -- "$out"
zpty -d shell
`;

describe.runIf(installed('zsh'))('zsh', () => {
  let init: string;
  let harness: string;
  beforeAll(async () => {
    const file = await scriptFile('zsh');
    await run('zsh', ['-n', file]);
    init = join(dir, 'init.zsh');
    await writeFile(
      init,
      [
        "PS1='' RPROMPT=''",
        'autoload -Uz compinit && compinit -u -D',
        `source ${file}`,
        'compadd () { local -a hits; local hit; builtin compadd -O hits "$@"; for hit in $hits; do print -rn -- "<match>$hit</match>" >&2; done; builtin compadd "$@"; }',
        "bindkey '^I' complete-word",
        '',
      ].join('\n'),
    );
    harness = join(dir, 'harness.zsh');
    await writeFile(harness, ZSH_HARNESS);
  });

  async function complete(line: string): Promise<string[]> {
    // A bare environment: the test runner's own variables kept the interactive zsh from starting.
    const { stdout } = await run('zsh', ['-f', harness, init, line], { cwd: ROOT, timeout: 20_000, env: { PATH: process.env.PATH, HOME: dir } });
    return [...new Set([...stdout.matchAll(/<match>(.*?)<\/match>/g)].map((match) => match[1] ?? ''))].sort();
  }

  it('passes zsh -n and registers _lbcheck with compdef', async () => {
    const { stdout } = await run('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -D; source ${join(dir, 'lbcheck.zsh')}; print -r -- $_comps[lbcheck]`]);
    expect(stdout.trim()).toBe('_lbcheck');
  });

  it('completes commands, options, enum values and rule ids when Tab is pressed', async () => {
    expect(await complete('lbcheck au')).toEqual(['audit']);
    expect(await complete('lbcheck audit --fail')).toEqual(['--fail-on']);
    expect(await complete('lbcheck audit --format ')).toEqual(FORMATS);
    expect(await complete('lbcheck audit --format=ht')).toEqual(['html']);
    expect(await complete('lbcheck audit --rule sec')).toEqual(['security']);
    expect(await complete('lbcheck explain idle')).toEqual(['idle-timeout-exceeds-target-keepalive']);
    expect(await complete('lbcheck completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});
