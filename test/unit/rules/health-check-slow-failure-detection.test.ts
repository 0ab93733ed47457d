import rule, { MAX_DETECTION_SECONDS } from '../../../rules/health-check-slow-failure-detection.js';
import { brokenWorld, healthyWorld } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const world = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: "AWS's defaults: 30 s × 2", scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { intervalSeconds: 30, unhealthyThreshold: 2 })) },
    { name: `exactly ${MAX_DETECTION_SECONDS} s is within the bound`, scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { intervalSeconds: 30, unhealthyThreshold: 4 })) },
    { name: 'settings AWS did not return are not judged', scope: brokenWorld((w) => Object.assign(w.albGroup.healthCheck, { intervalSeconds: undefined, unhealthyThreshold: 10 })) },
  ],
  invalid: [
    {
      name: 'a target group that needs five minutes and a Classic LB that needs ten',
      scope: brokenWorld((w) => {
        Object.assign(w.nlbGroup.healthCheck, { intervalSeconds: 60, unhealthyThreshold: 5 });
        if (w.classic.classic?.healthCheck) Object.assign(w.classic.classic.healthCheck, { intervalSeconds: 60, unhealthyThreshold: 10 });
      }),
      expect: [
        { resourceArn: world.nlbGroup.arn, messageIncludes: 'target group edge needs 5 failures 60 s apart (300 s)', fixIncludes: `to ${MAX_DETECTION_SECONDS} s or less`, evidence: { detectionSeconds: 300, intervalSeconds: 60, unhealthyThreshold: 5 } },
        { resourceArn: world.classic.arn, messageIncludes: 'Classic LB legacy needs 10 failures 60 s apart (600 s)', evidence: { detectionSeconds: 600 } },
      ],
    },
  ],
});
