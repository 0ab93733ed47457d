import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig, parseConfig, type ParseConfigOptions } from '../../src/engine/config.js';
import { SERVER_KEEPALIVE_SECONDS } from '../../src/engine/keepalive.js';

const options: ParseConfigOptions = {
  ruleIds: ['single-az-load-balancer', 'idle-timeout-exceeds-target-keepalive', 'internet-facing-subnet-without-igw-route'],
  serverKeepalive: SERVER_KEEPALIVE_SECONDS,
};

const parse = (text: string) => parseConfig(text, '.lbcheck.yml', options);
const errorOf = (text: string) => {
  try {
    parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('parseConfig', () => {
  it('reads severities, ignores, keep-alive declarations and client CIDRs', () => {
    const config = parse(
      [
        'rules:',
        '  single-az-load-balancer: off',
        '  idle-timeout-exceeds-target-keepalive: { severity: warning }',
        'ignore:',
        '  - rule: internet-facing-subnet-without-igw-route',
        '    resource: "arn:aws:elasticloadbalancing:*:loadbalancer/app/legacy-*"',
        '    reason: being migrated to the new VPC (JIRA NET-12)',
        '    expires: 2026-12-31',
        'keepalive:',
        '  - targetGroup: "api-*"',
        '    server: nodejs',
        '  - loadBalancer: legacy',
        '    seconds: 75',
        'clientCidrs: [10.0.0.0/8, "2001:db8::/32"]',
        'categories:',
        '  security: off',
        '  operations: on',
        '  resilience: false',
      ].join('\n'),
    );
    expect(config).toEqual({
      file: '.lbcheck.yml',
      rules: { 'single-az-load-balancer': { severity: 'off' }, 'idle-timeout-exceeds-target-keepalive': { severity: 'warning' } },
      categories: { security: false, operations: true, resilience: false },
      ignore: [
        {
          rule: 'internet-facing-subnet-without-igw-route',
          resource: 'arn:aws:elasticloadbalancing:*:loadbalancer/app/legacy-*',
          reason: 'being migrated to the new VPC (JIRA NET-12)',
          expires: '2026-12-31',
          source: '.lbcheck.yml:5:5',
        },
      ],
      settings: {
        keepalive: [
          { match: 'api-*', appliesTo: 'target-group', seconds: SERVER_KEEPALIVE_SECONDS.nodejs, server: 'nodejs', detail: '.lbcheck.yml keepalive[0]' },
          { match: 'legacy', appliesTo: 'load-balancer', seconds: 75, detail: '.lbcheck.yml keepalive[1]' },
        ],
        clientCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      },
    });
  });

  it('accepts an empty file', () => {
    expect(parse('# nothing yet\n')).toEqual({ file: '.lbcheck.yml', rules: {}, categories: {}, ignore: [], settings: { keepalive: [], clientCidrs: [] } });
  });

  it('points at a bad severity in the object form', () => {
    const text = ['# team config', '', 'rules:', '  internet-facing-subnet-without-igw-route: error', '', '  single-az-load-balancer:', '    severity: fatal'].join('\n');
    expect(errorOf(text)).toBe('.lbcheck.yml:7:15: rules.single-az-load-balancer.severity: expected one of error|warning|info|off');
  });

  it('points at a bad bare severity', () => {
    expect(errorOf('rules:\n  single-az-load-balancer: loud\n')).toBe(
      '.lbcheck.yml:2:28: rules.single-az-load-balancer: expected one of error|warning|info|off',
    );
  });

  it('names an unknown rule id at its key, with a suggestion when one is close', () => {
    expect(errorOf('rules:\n  single-az-load-balancer: warning\n  foo: off\n')).toBe('.lbcheck.yml:3:3: unknown rule id "foo" (see lbcheck rules)');
    expect(errorOf('rules:\n  single-az-loadbalancer: off\n')).toBe(
      '.lbcheck.yml:2:3: unknown rule id "single-az-loadbalancer" (did you mean "single-az-load-balancer"?) (see lbcheck rules)',
    );
  });

  it('names an unknown rule id in an ignore', () => {
    expect(errorOf('ignore:\n  - rule: nope-nothing\n    resource: web\n    reason: x\n')).toBe(
      '.lbcheck.yml:2:11: ignore[0].rule: unknown rule id "nope-nothing" (see lbcheck rules)',
    );
  });

  it('requires a reason on an ignore, pointing at the entry', () => {
    expect(errorOf('ignore:\n  - rule: single-az-load-balancer\n    resource: web\n')).toBe(
      '.lbcheck.yml:2:5: ignore[0].reason: required: a reason (why this finding is accepted)',
    );
  });

  it('rejects a bad expiry date', () => {
    expect(errorOf('ignore:\n  - rule: single-az-load-balancer\n    resource: web\n    reason: ok\n    expires: 2026-02-30\n')).toBe(
      '.lbcheck.yml:5:14: ignore[0].expires: expected a date YYYY-MM-DD',
    );
  });

  it('rejects unknown keys at the key', () => {
    expect(errorOf('rules: {}\nignores: []\n')).toBe('.lbcheck.yml:2:1: ignores: unknown key (expected rules, categories, ignore, keepalive, clientCidrs)');
    expect(errorOf('rules:\n  single-az-load-balancer: { severity: info, level: 2 }\n')).toBe(
      '.lbcheck.yml:2:46: rules.single-az-load-balancer.level: unknown key',
    );
  });

  it('rejects an unknown category and a category setting that is not on or off', () => {
    expect(errorOf('categories:\n  hardening: off\n')).toMatch(/^\.lbcheck\.yml:2:3: categories\.hardening: /);
    expect(errorOf('categories:\n  security: warning\n')).toBe('.lbcheck.yml:2:13: categories.security: expected on or off');
  });

  it('rejects a keep-alive entry with both seconds and server, and an unknown server', () => {
    expect(errorOf('keepalive:\n  - targetGroup: api\n    seconds: 5\n    server: nodejs\n')).toBe(
      '.lbcheck.yml:2:5: keepalive[0]: expected exactly one of seconds or server',
    );
    expect(errorOf('keepalive:\n  - targetGroup: api\n    server: jetty9000\n')).toMatch(
      /^\.lbcheck\.yml:3:13: keepalive\[0\]\.server: unknown server "jetty9000" \(known: .*nodejs.*; or give seconds\)$/,
    );
  });

  it('rejects an invalid client CIDR', () => {
    expect(errorOf('clientCidrs:\n  - 10.0.0.0/8\n  - 10.0.0.300/8\n')).toBe(
      '.lbcheck.yml:3:5: clientCidrs[1]: expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32',
    );
  });

  it('reports YAML syntax errors on one line with the position', () => {
    const message = errorOf('rules:\n  single-az-load-balancer: [off\nignore: []\n');
    expect(message).toMatch(/^\.lbcheck\.yml:\d+:\d+: invalid YAML: /);
    expect(message).not.toContain('\n');
  });

  it('refuses an alias bomb on one line at its first alias, and an alias to no anchor at that alias', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    expect(errorOf(['rules: {}', ...levels, ''].join('\n'))).toBe('.lbcheck.yml:3:8: invalid YAML: its aliases expand to more than 100 nodes (an alias bomb)');
    expect(errorOf('rules:\n  single-az-load-balancer: *severity\n')).toBe('.lbcheck.yml:2:28: invalid YAML: alias *severity names no anchor before it');
  });

  it('rejects a file that is not a map', () => {
    expect(errorOf('- rules\n')).toBe('.lbcheck.yml:1:1: expected a map with rules, categories, ignore, keepalive, clientCidrs');
  });
});

describe('loadConfig', () => {
  it('finds .lbcheck.yml in a parent directory and names it relative to the working directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lbcheck-config-'));
    const nested = join(root, 'infra', 'prod');
    await mkdir(nested, { recursive: true });
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.lbcheck.yml'), 'rules:\n  single-az-load-balancer: info\n');
    expect(await findConfigFile(nested)).toBe(join(root, '.lbcheck.yml'));
    const config = await loadConfig({ ...options, cwd: nested });
    expect(config.file).toBe(join('..', '..', '.lbcheck.yml'));
    expect(config.rules).toEqual({ 'single-az-load-balancer': { severity: 'info' } });
  });

  it('stops the upward search at the repository root or the home directory, never above', async () => {
    const top = await mkdtemp(join(tmpdir(), 'lbcheck-config-bounds-'));
    // A file above the repository (a shared directory: /tmp, /) must not apply to what is below it.
    await writeFile(join(top, '.lbcheck.yml'), 'rules:\n  single-az-load-balancer: off\n');
    const repo = join(top, 'repo');
    const nested = join(repo, 'infra', 'prod');
    await mkdir(nested, { recursive: true });
    await mkdir(join(repo, '.git'));
    const elsewhere = join(top, 'home', 'me');
    expect(await findConfigFile(nested, elsewhere)).toBeUndefined();
    await writeFile(join(repo, '.lbcheck.yml'), 'rules: {}\n');
    expect(await findConfigFile(nested, elsewhere)).toBe(join(repo, '.lbcheck.yml'));
    // A worktree's .git is a file: still the repository root.
    const worktree = join(top, 'worktree', 'src');
    await mkdir(worktree, { recursive: true });
    await writeFile(join(top, 'worktree', '.git'), 'gitdir: elsewhere\n');
    expect(await findConfigFile(worktree, elsewhere)).toBeUndefined();
    // No repository: the home directory bounds it.
    const home = join(top, 'home');
    const project = join(home, 'project');
    await mkdir(project, { recursive: true });
    expect(await findConfigFile(project, home)).toBeUndefined();
    // Neither a repository nor the home directory above: the working directory alone.
    const loose = join(top, 'loose', 'dir');
    await mkdir(loose, { recursive: true });
    expect(await findConfigFile(loose, elsewhere)).toBeUndefined();
    expect(await findConfigFile(top, elsewhere)).toBe(join(top, '.lbcheck.yml'));
  });

  it('uses the defaults when no file exists up to the root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lbcheck-noconfig-'));
    const config = await loadConfig({ ...options, cwd: root });
    // tmpdir() may itself sit under a directory with a .lbcheck.yml on some machines; here it does not.
    expect(config).toEqual({ rules: {}, categories: {}, ignore: [], settings: { keepalive: [], clientCidrs: [] } });
  });

  it('reads --config relative to the working directory and names it as given', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lbcheck-explicit-'));
    await writeFile(join(root, 'ci.yml'), 'rules:\n  nope: off\n');
    await expect(loadConfig({ ...options, cwd: root, configPath: 'ci.yml' })).rejects.toThrow('ci.yml:2:3: unknown rule id "nope" (see lbcheck rules)');
    await expect(loadConfig({ ...options, cwd: root, configPath: 'missing.yml' })).rejects.toThrow(/^cannot read config missing\.yml: ENOENT/);
  });
});
