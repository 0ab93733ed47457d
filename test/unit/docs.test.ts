/** docs/rules/<id>.md is generated from each rule's metadata: a page that is missing, stale or orphaned fails here. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { GENERATED_NOTE, renderRuleDoc } from '../../src/engine/docs.js';
import { meta } from '../support/engine-fixtures.js';

const docsDirectory = join(import.meta.dirname, '..', '..', 'docs', 'rules');

describe('rule docs', () => {
  it('has an up-to-date page for every rule (npm run docs regenerates them)', async () => {
    const stale: string[] = [];
    for (const rule of rules) {
      const path = join(docsDirectory, `${rule.meta.id}.md`);
      if (!existsSync(path)) stale.push(`${rule.meta.id}: missing`);
      else if ((await readFile(path, 'utf8')) !== renderRuleDoc(rule.meta)) stale.push(`${rule.meta.id}: out of step with its metadata`);
    }
    expect(stale, 'run `npm run docs`').toEqual([]);
  });

  it('has no page for a rule that does not exist', async () => {
    const ids = new Set(rules.map((rule) => rule.meta.id));
    const pages = existsSync(docsDirectory) ? (await readdir(docsDirectory)).filter((file) => file.endsWith('.md')) : [];
    expect(pages.filter((page) => !ids.has(page.slice(0, -'.md'.length)))).toEqual([]);
  });

  it('renders every part of the metadata', () => {
    const page = renderRuleDoc(
      meta({
        id: 'single-az-load-balancer',
        title: 'Load balancer enabled in one Availability Zone',
        defaultSeverity: 'warning',
        description: 'Fires when an LB is enabled in only one AZ.',
        rationale: 'An AZ outage takes the whole LB down.',
        remediation: { text: 'Enable a second subnet in another AZ.', cli: 'aws elbv2 set-subnets --load-balancer-arn ARN --subnets subnet-a subnet-b', iac: 'Subnets: [!Ref SubnetA, !Ref SubnetB]' },
        references: [{ title: 'Availability Zones for your ALB', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html' }],
        requires: ['subnets', 'targetHealth'],
      }),
    );
    expect(page.startsWith(`${GENERATED_NOTE}\n\n# single-az-load-balancer\n\n**Load balancer enabled in one Availability Zone**\n`)).toBe(true);
    expect(page).toContain('| Default severity | warning |');
    // What it requires, with the calls that read it: the load balancers always, then its own.
    expect(page).toContain(
      '| Reads (when one could not be read for a load balancer, the rule reports "could not check" for it) | loadBalancers (elasticloadbalancing:DescribeLoadBalancers); subnets (ec2:DescribeSubnets); targetHealth (elasticloadbalancing:DescribeTargetHealth, elasticloadbalancing:DescribeInstanceHealth) |',
    );
    expect(page).toContain('## What it checks\n\nFires when an LB is enabled in only one AZ.\n');
    expect(page).toContain('## Why it matters\n\nAn AZ outage takes the whole LB down.\n');
    expect(page).toContain('```sh\naws elbv2 set-subnets --load-balancer-arn ARN --subnets subnet-a subnet-b\n```');
    expect(page).toContain('```\nSubnets: [!Ref SubnetA, !Ref SubnetB]\n```');
    expect(page).toContain('- [Availability Zones for your ALB](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html)');
  });
});
