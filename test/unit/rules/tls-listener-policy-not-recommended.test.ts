import rule, { RECOMMENDED_POLICIES } from '../../../rules/tls-listener-policy-not-recommended.js';
import { alb, classic, listener, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const older = alb({ name: 'web', listeners: [listener({ port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2' })] });
const olderNlb = nlb({ name: 'edge', listeners: [listener({ port: 8443, protocol: 'TLS', sslPolicy: 'ELBSecurityPolicy-2016-08' })] });

ruleTester(rule).run({
  valid: [
    ...RECOMMENDED_POLICIES.map((sslPolicy) => ({ name: `an ALB on ${sslPolicy}`, scope: scopeOf({ loadBalancers: [alb({ name: 'web', listeners: [listener({ port: 443, protocol: 'HTTPS', sslPolicy })] })] }) })),
    { name: 'Classic LBs have no post-quantum policies and are left to tls-listener-weak-policy', scope: scopeOf({ loadBalancers: [classic({ name: 'legacy', listeners: [listener({ port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08' })] })] }) },
  ],
  invalid: [
    {
      name: 'an ALB on the 2021 TLS 1.3 policy and an NLB on the API default',
      scope: scopeOf({ loadBalancers: [older, olderNlb] }),
      expect: [
        { resourceArn: older.arn, messageIncludes: "ALB web's HTTPS listener on port 443 uses ELBSecurityPolicy-TLS13-1-2-2021-06, not a policy AWS currently recommends", fixIncludes: ['listener/app/web/1/2 --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09'], evidence: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }, discriminator: '443' },
        { resourceArn: olderNlb.arn, messageIncludes: "NLB edge's TLS listener on port 8443 uses ELBSecurityPolicy-2016-08" },
      ],
    },
  ],
});
