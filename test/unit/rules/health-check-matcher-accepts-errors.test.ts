import { describe, expect, it } from 'vitest';
import rule, { acceptedErrorCodes } from '../../../rules/health-check-matcher-accepts-errors.js';
import { brokenWorld, healthyWorld } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();

describe('acceptedErrorCodes', () => {
  it('finds the parts of a matcher that accept 4xx or 5xx', () => {
    expect(acceptedErrorCodes('200')).toEqual([]);
    expect(acceptedErrorCodes('200-399')).toEqual([]);
    expect(acceptedErrorCodes('200-499')).toEqual(['200-499']);
    expect(acceptedErrorCodes('200, 302,404')).toEqual(['404']);
    expect(acceptedErrorCodes('500')).toEqual(['500']);
  });
});

ruleTester(rule).run({
  valid: [
    { name: 'a 200-299 matcher', scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { matcher: '200-299' })) },
    { name: 'a TCP health check has no matcher to judge', scope: brokenWorld((w) => Object.assign(w.nlbGroup.healthCheck, { protocol: 'TCP', matcher: '200-499' })) },
    { name: 'a gRPC matcher (codes 0-99)', scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { matcher: '0-99' })) },
  ],
  invalid: [
    {
      name: 'a matcher that accepts 200-499',
      scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { matcher: '200-499' })),
      expect: [
        {
          resourceArn: world.albGroup.arn,
          messageIncludes: 'target group web counts 200-499 as healthy (matcher 200-499)', fixIncludes: '--matcher HttpCode=200-299',
          evidence: { matcher: '200-499', acceptedErrorCodes: ['200-499'], loadBalancerArn: world.alb.arn },
        },
      ],
    },
  ],
});
