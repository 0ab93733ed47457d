/** `lbcheck rules`, `lbcheck explain` and `lbcheck --version` through the built bundle. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { rules } from '../../rules/index.js';
import { ROOT, runCli } from './cli-support.js';

describe('lbcheck rules', () => {
  it('lists every registered rule with its metadata as JSON', async () => {
    const result = await runCli(['rules', '--format', 'json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { id: string; title: string; defaultSeverity: string; category: string; docs?: string }[];
    expect(listed.map((r) => [r.id, r.title, r.defaultSeverity, r.category])).toEqual(
      rules.map((r) => [r.meta.id, r.meta.title, r.meta.defaultSeverity, r.meta.category]),
    );
    // package.json names no repository yet, so there is no page to link to (a placeholder link would not resolve).
    for (const rule of listed) expect(rule.docs).toBeUndefined();
  });

  it('lists them as text, one line each', async () => {
    const result = await runCli(['rules']);
    expect(result.code).toBe(0);
    for (const rule of rules) expect(result.stdout).toMatch(new RegExp(`^${rule.meta.id} +${rule.meta.defaultSeverity} +${rule.meta.category} +${rule.meta.source} +`, 'm'));
  });
});

describe('lbcheck explain', () => {
  it('prints the rationale, the fix and the references of a rule', async () => {
    const rule = rules.find((r) => r.meta.id === 'internet-facing-subnet-without-igw-route');
    if (!rule) throw new Error('internet-facing-subnet-without-igw-route is not registered');
    const result = await runCli(['explain', rule.meta.id]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`${rule.meta.id}: ${rule.meta.title}\n`)).toBe(true);
    expect(result.stdout).toContain(rule.meta.rationale.trim());
    expect(result.stdout).toContain(rule.meta.remediation.text.trim());
    for (const ref of rule.meta.references) expect(result.stdout).toContain(ref.url);
    expect(result.stdout).toContain('\nreads: loadBalancers (elasticloadbalancing:DescribeLoadBalancers); subnets (ec2:DescribeSubnets); routeTables (ec2:DescribeRouteTables);');
  });

  it('refuses an unknown id with one line, exit 2 and a suggestion', async () => {
    const result = await runCli(['explain', 'single-az-loadbalancer']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('lbcheck: error: unknown rule id "single-az-loadbalancer" (did you mean "single-az-load-balancer"?) (see lbcheck rules)\n');
  });
});

describe('lbcheck --version', () => {
  it('answers from the launcher with package.json’s version, and the same through the full CLI', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    }
    // With anything else on the line the launcher hands over to dist/cli.js, whose commander answers alike.
    const direct = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect([direct.status, direct.stdout]).toEqual([0, `${packageJson.version}\n`]);
  });

  it('passes every other command line on to the full CLI (an unknown option is its one-line error, exit 2)', async () => {
    const result = await runCli(['--no-such-option']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: "lbcheck: error: unknown option '--no-such-option' (see lbcheck --help)\n" });
  });
});
