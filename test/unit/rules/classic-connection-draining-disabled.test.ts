import rule from '../../../rules/classic-connection-draining-disabled.js';
import { alb, classic, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const withDraining = (enabled: boolean | undefined) => ({
  crossZoneEnabled: true,
  idleTimeoutSeconds: 60,
  raw: {},
  ...(enabled !== undefined && { connectionDraining: { enabled, timeoutSeconds: 300 } }),
});
const cutting = classic({ name: 'legacy', attributes: withDraining(false) });

ruleTester(rule).run({
  valid: [
    { name: 'a Classic LB that drains', scope: scopeOf({ loadBalancers: [classic({ name: 'legacy', attributes: withDraining(true) })] }) },
    { name: 'draining not returned by AWS is not a finding', scope: scopeOf({ loadBalancers: [classic({ name: 'legacy', attributes: withDraining(undefined) })] }) },
    { name: 'an ALB (always drains through its target groups)', scope: scopeOf({ loadBalancers: [alb({ name: 'web', attributes: withDraining(false) })] }) },
  ],
  invalid: [
    {
      name: 'a Classic LB with connection draining off',
      scope: scopeOf({ loadBalancers: [cutting] }),
      expect: [{ resourceArn: cutting.arn, resourceType: 'classic', messageIncludes: 'Classic LB legacy has connection draining off', fixIncludes: 'ConnectionDraining={Enabled=true,Timeout=300}', evidence: { connectionDraining: { enabled: false, timeoutSeconds: 300 } } }],
    },
  ],
});
