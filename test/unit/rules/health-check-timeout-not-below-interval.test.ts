import rule from '../../../rules/health-check-timeout-not-below-interval.js';
import { brokenWorld, healthyWorld, targetGroup } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'timeouts below the interval', scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { intervalSeconds: 30, timeoutSeconds: 5 })) },
    {
      name: 'a target group no load balancer uses runs no health check',
      scope: brokenWorld((w) => w.scope.targetGroups.push(targetGroup({ name: 'spare', healthCheck: { enabled: true, port: 'traffic-port', intervalSeconds: 5, timeoutSeconds: 10 } }))),
    },
    { name: 'a disabled health check', scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { enabled: false, intervalSeconds: 5, timeoutSeconds: 10 })) },
  ],
  invalid: [
    {
      name: 'a target group and a Classic LB whose timeout is not below the interval',
      scope: brokenWorld((w) => {
        Object.assign(w.albGroup.healthCheck, { intervalSeconds: 10, timeoutSeconds: 10 });
        if (w.classic.classic?.healthCheck) Object.assign(w.classic.classic.healthCheck, { intervalSeconds: 5, timeoutSeconds: 30 });
      }),
      expect: [
        { resourceArn: world.albGroup.arn, resourceType: 'target-group', messageIncludes: 'The health check of target group web waits 10 s for an answer but runs every 10 s', fixIncludes: 'aws elbv2 modify-target-group', evidence: { intervalSeconds: 10, timeoutSeconds: 10, loadBalancerArn: world.alb.arn } },
        { resourceArn: world.classic.arn, resourceType: 'classic', messageIncludes: 'Classic LB legacy waits 30 s', fixIncludes: 'aws elb configure-health-check --load-balancer-name legacy', evidence: { intervalSeconds: 5, timeoutSeconds: 30 } },
      ],
    },
  ],
});
