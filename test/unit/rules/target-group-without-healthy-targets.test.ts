import rule from '../../../rules/target-group-without-healthy-targets.js';
import { brokenWorld, forward, healthyWorld, listener, target, targetGroup } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const w0 = healthyWorld();

ruleTester(rule).run({
  valid: [
    { name: 'every forwarded target group has a healthy target', scope: healthyWorld().scope },
    {
      name: 'one healthy target among unhealthy ones is enough',
      scope: brokenWorld((w) => {
        w.albGroup.targets[0]!.health = { state: 'unhealthy', reason: 'Target.Timeout' };
      }),
    },
    {
      name: 'a Lambda target group with health checks off serves with targets "unavailable"',
      scope: brokenWorld((w) => {
        const fn = targetGroup({ name: 'fn', targetType: 'lambda', protocol: undefined, port: undefined, healthCheck: { enabled: false, port: 'traffic-port' }, targets: [target('arn:aws:lambda:us-east-1:123456789012:function:f', { health: { state: 'unavailable', reason: 'Target.HealthCheckDisabled' } })] });
        w.scope.targetGroups.push(fn);
        forward(w.alb, fn, { port: 8443 });
      }),
    },
    {
      name: 'a target group no listener forwards to is not checked',
      scope: brokenWorld((w) => {
        w.scope.targetGroups.push(targetGroup({ name: 'orphan' }));
      }),
    },
    {
      name: 'a parked (weight 0) group with a healthy target: nothing to say',
      scope: brokenWorld((w) => {
        const green = targetGroup({ name: 'green', targets: [target('i-web1', { port: 8080 })] });
        w.scope.targetGroups.push(green);
        w.alb.listeners[0]!.defaultTargetGroupArns.push(green.arn);
        w.alb.listeners[0]!.parkedTargetGroupArns = [green.arn];
      }),
    },
  ],
  invalid: [
    {
      name: 'a parked (weight 0) empty group of a blue/green pair is info, not an error',
      scope: brokenWorld((w) => {
        const green = targetGroup({ name: 'green', targets: [] });
        w.scope.targetGroups.push(green);
        w.alb.listeners[0]!.defaultTargetGroupArns.push(green.arn);
        w.alb.listeners[0]!.parkedTargetGroupArns = [green.arn];
      }),
      expect: [
        {
          resourceArn: targetGroup({ name: 'green' }).arn,
          severity: 'info',
          discriminator: `${w0.alb.arn}/parked`,
          messageIncludes: "Target group green has weight 0 in ALB web's weighted forward on port 443, so it receives no requests now, and it has no registered targets",
        },
      ],
    },
    {
      name: 'a group parked by one listener rule but served by another is checked as served',
      scope: brokenWorld((w) => {
        const green = targetGroup({ name: 'green', targets: [] });
        w.scope.targetGroups.push(green);
        w.alb.listeners[0]!.rules.push(
          { arn: 'arn:rule/1', priority: '10', conditions: [], targetGroupArns: [w.albGroup.arn, green.arn], parkedTargetGroupArns: [green.arn] },
          { arn: 'arn:rule/2', priority: '20', conditions: [], targetGroupArns: [green.arn] },
        );
      }),
      expect: [{ resourceArn: targetGroup({ name: 'green' }).arn, messageIncludes: 'Target group green, which ALB web forwards port 443 to, has no registered targets' }],
    },
    {
      name: 'an empty target group behind the ALB',
      scope: brokenWorld((w) => {
        w.albGroup.targets = [];
      }),
      expect: [
        {
          resourceArn: w0.albGroup.arn,
          resourceType: 'target-group',
          discriminator: w0.alb.arn,
          messageIncludes: 'Target group web, which ALB web forwards port 443 to, has no registered targets', fixIncludes: 'aws elbv2 register-targets',
          evidence: { loadBalancerArn: w0.alb.arn, listenerPorts: [443], targets: [] },
        },
      ],
    },
    {
      name: 'a listener rule forwarding to a target group whose targets are all unhealthy, draining or initial',
      scope: brokenWorld((w) => {
        const api = targetGroup({
          name: 'api',
          targets: [
            target('i-web1', { health: { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' } }),
            target('i-web2', { health: { state: 'draining' } }),
            target('i-web3', { health: { state: 'initial' } }),
          ],
        });
        w.scope.targetGroups.push(api);
        w.alb.listeners[0]!.rules.push({ arn: 'arn:rule/1', priority: '10', conditions: [], targetGroupArns: [api.arn] });
      }),
      expect: [
        {
          resourceArn: targetGroup({ name: 'api' }).arn,
          messageIncludes: 'has no healthy target (1 unhealthy, 1 draining, 1 initial)',
          evidence: { targets: [{ id: 'i-web1', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' }, { id: 'i-web2', state: 'draining' }, { id: 'i-web3', state: 'initial' }] },
        },
      ],
    },
    {
      name: 'two listeners to the same empty group give one finding naming both ports',
      scope: brokenWorld((w) => {
        w.nlbGroup.targets = [];
        w.nlb.listeners.push(listener({ port: 80, protocol: 'TCP', defaultTargetGroupArns: [w.nlbGroup.arn] }));
      }),
      expect: [{ resourceArn: w0.nlbGroup.arn, discriminator: w0.nlb.arn, messageIncludes: 'NLB edge forwards port 443, 80 to', evidence: { listenerPorts: [443, 80] } }],
    },
    {
      name: 'a Classic LB whose instances are all out of service',
      scope: brokenWorld((w) => {
        w.classic.classic!.instances = [{ instanceId: 'i-web1', state: 'unhealthy', reasonCode: 'Instance', description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.' }];
      }),
      expect: [{ resourceArn: w0.classic.arn, resourceType: 'classic', messageIncludes: 'Classic LB legacy has no healthy instance (1 unhealthy)', evidence: { instances: [{ id: 'i-web1', state: 'unhealthy', reasonCode: 'Instance' }] } }],
    },
    {
      name: "a Classic LB whose instances' health AWS reports as Unknown is a warning, not an outage",
      scope: brokenWorld((w) => {
        w.classic.classic!.instances = [{ instanceId: 'i-web1', state: 'unknown' }, { instanceId: 'i-web2', state: 'unknown' }];
      }),
      expect: [{ resourceArn: w0.classic.arn, severity: 'warning', discriminator: 'health-unknown', messageIncludes: "AWS reports the health of Classic LB legacy's 2 registered instance(s) as Unknown" }],
    },
    {
      name: 'a Classic LB with no instances',
      scope: brokenWorld((w) => {
        w.classic.classic!.instances = [];
      }),
      expect: [{ resourceArn: w0.classic.arn, messageIncludes: 'has no registered instances', fixIncludes: 'register-instances-with-load-balancer' }],
    },
  ],
});
