import rule from '../../../rules/deletion-protection-disabled.js';
import { alb, classic, nlb, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const attributes = (deletionProtection: boolean | undefined) => ({ crossZoneEnabled: true, deletionProtection, raw: {} });
const open = alb({ name: 'web', attributes: attributes(false) });
const openNlb = nlb({ name: 'edge', attributes: attributes(false) });

ruleTester(rule).run({
  valid: [
    { name: 'ALB and NLB with deletion protection on', scope: scopeOf({ loadBalancers: [alb({ name: 'web', attributes: attributes(true) }), nlb({ name: 'edge', attributes: attributes(true) })] }) },
    { name: 'a Classic LB has no such attribute', scope: scopeOf({ loadBalancers: [classic({ name: 'legacy', attributes: attributes(false) })] }) },
  ],
  invalid: [
    {
      name: 'ALB and NLB with deletion protection off',
      scope: scopeOf({ loadBalancers: [open, openNlb] }),
      expect: [
        { resourceArn: open.arn, resourceType: 'application', messageIncludes: 'ALB web has deletion protection off', fixIncludes: 'Key=deletion_protection.enabled,Value=true', evidence: { deletionProtection: false } },
        { resourceArn: openNlb.arn, resourceType: 'network', messageIncludes: 'NLB edge has deletion protection off' },
      ],
    },
  ],
});
