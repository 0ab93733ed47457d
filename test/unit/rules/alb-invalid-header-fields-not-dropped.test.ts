import rule from '../../../rules/alb-invalid-header-fields-not-dropped.js';
import { alb, classic, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const drop = (dropInvalidHeaderFields: boolean | undefined) => ({ crossZoneEnabled: true, dropInvalidHeaderFields, raw: {} });
const lenient = alb({ name: 'web', attributes: drop(false) });

ruleTester(rule).run({
  valid: [
    { name: 'an ALB that drops invalid header fields', scope: scopeOf({ loadBalancers: [alb({ name: 'web', attributes: drop(true) })] }) },
    { name: 'a Classic LB has no such setting', scope: scopeOf({ loadBalancers: [classic({ name: 'legacy', attributes: drop(false) })] }) },
  ],
  invalid: [
    {
      name: 'an ALB with the AWS default (false)',
      scope: scopeOf({ loadBalancers: [lenient] }),
      expect: [{ resourceArn: lenient.arn, messageIncludes: 'ALB web forwards headers with invalid names', fixIncludes: 'drop_invalid_header_fields.enabled,Value=true', evidence: { dropInvalidHeaderFields: false } }],
    },
  ],
});
