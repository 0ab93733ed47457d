import { describe, expect, it } from 'vitest';
import type { ReportFinding } from '../../src/engine/runner.js';
import { foldFindings } from '../../src/report/fold.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { hang } from '../../src/report/wrap.js';
import { ACCOUNT } from '../support/fixtures.js';
import { inventoryOf, meta } from '../support/engine-fixtures.js';

const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/edge/50dc6c495c0c9188`;
const tgArn = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`;

function finding(overrides: Partial<ReportFinding> & { message: string; evidence: Record<string, unknown> }): ReportFinding {
  return {
    ruleId: 'no-route',
    category: 'reachability',
    severity: 'error',
    resource: { arn: LB_ARN, type: 'application', name: 'edge', region: 'us-east-1', account: ACCOUNT },
    fix: 'Route 0.0.0.0/0 to the internet gateway.',
    related: { loadBalancerArn: LB_ARN },
    fingerprint: `fp-${JSON.stringify(overrides.evidence)}`,
    loadBalancer: { arn: LB_ARN, name: 'edge', kind: 'application' },
    ...overrides,
  };
}

const subnetFinding = (id: string, zone: string, table = 'rtb-main') =>
  finding({ message: `Subnet ${id} (${zone}) of ALB edge sends 0.0.0.0/0 to ${table}, so clients of ${zone} time out.`, evidence: { subnetId: id, availabilityZone: zone } });

describe('folding findings that differ only by subnet or target group', () => {
  it('folds subnets with the same message and lists each with its AZ', () => {
    const folded = foldFindings([subnetFinding('subnet-a', 'us-east-1a'), subnetFinding('subnet-b', 'us-east-1b'), subnetFinding('subnet-c', 'us-east-1c', 'rtb-other')]);
    expect(folded.map((fold) => fold.places.map((place) => place.label))).toEqual([['subnet-a (us-east-1a)', 'subnet-b (us-east-1b)'], ['subnet-c (us-east-1c)']]);
    expect(folded[0]?.findings).toHaveLength(2);
  });

  it('folds target groups named by ARN in the evidence, and never folds findings that name no place', () => {
    const tg = (name: string) => finding({ ruleId: 'keepalive', message: `Target group ${name} closes idle connections first.`, evidence: { targetGroupArn: tgArn(name) } });
    const plain = (n: number) => finding({ ruleId: 'single-az', message: 'ALB edge is in one AZ.', evidence: { n }, fingerprint: `plain-${n}` });
    const folded = foldFindings([tg('web'), tg('api'), plain(1), plain(2)]);
    expect(folded.map((fold) => [fold.finding.ruleId, fold.places.map((place) => place.label), fold.findings.length])).toEqual([
      ['keepalive', ['web', 'api'], 2],
      ['single-az', [], 1],
      ['single-az', [], 1],
    ]);
  });

  it('does not fold across severities or rules', () => {
    const warning = { ...subnetFinding('subnet-b', 'us-east-1b'), severity: 'warning' as const };
    expect(foldFindings([subnetFinding('subnet-a', 'us-east-1a'), warning])).toHaveLength(2);
  });

  it('prints a fold once in the text report, with the subnets listed', () => {
    const findings = [subnetFinding('subnet-a', 'us-east-1a'), subnetFinding('subnet-b', 'us-east-1b')];
    const report = buildReport({ inventory: inventoryOf([]), result: { findings, notChecked: [], ignores: { suppressed: [], expired: [] }, rulesRun: ['no-route'], checksCompleted: 1 }, durationMs: 0 });
    const text = renderReport('text', report, { rules: [meta({ id: 'no-route' })], color: false, width: 80 });
    expect(text).toContain(
      [
        '  error   no-route  on 2 subnets',
        '    Subnet subnet-a (us-east-1a) of ALB edge sends 0.0.0.0/0 to rtb-main, so',
        '    clients of us-east-1a time out.',
        '    Fix: Route 0.0.0.0/0 to the internet gateway.',
        '    Subnets: subnet-a (us-east-1a), subnet-b (us-east-1b)',
      ].join('\n'),
    );
    expect(text.match(/Subnet subnet-b/g)).toBeNull();
    expect(text).toContain('    error   2  no-route');
  });
});

describe('hang', () => {
  it('wraps under the label, and breaks a word longer than the line', () => {
    expect(hang('associate it with rtb-0c3e5a7f9b1d24e68 today', { indent: 4, label: 'Fix: ', width: 34 })).toEqual(['    Fix: associate it with', '         rtb-0c3e5a7f9b1d24e68', '         today']);
    expect(hang('x'.repeat(30), { indent: 2, width: 27 })).toEqual([`  ${'x'.repeat(25)}`, '  xxxxx']);
  });
});
