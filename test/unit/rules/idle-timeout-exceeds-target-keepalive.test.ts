import rule from '../../../rules/idle-timeout-exceeds-target-keepalive.js';
import { brokenWorld, forward, healthyWorld, listener, target, targetGroup } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const w0 = healthyWorld();
const TAG = 'lbcheck:keepalive';

ruleTester(rule).run({
  valid: [
    { name: 'no keep-alive declared anywhere: nothing to compare', scope: healthyWorld().scope },
    {
      name: 'a backend keep-alive longer than the idle timeout',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = '65s';
      }),
    },
    {
      name: 'an idle timeout below the Node.js default',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = 'nodejs';
        w.alb.attributes.idleTimeoutSeconds = 4;
      }),
    },
    {
      name: 'a Go server with no idle timeout never closes first',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = 'go';
      }),
    },
    {
      name: 'NLBs do not pool connections: never checked',
      scope: brokenWorld((w) => {
        w.nlbGroup.tags[TAG] = 'nodejs';
        w.nlb.tags[TAG] = '1s';
      }),
    },
    {
      name: 'a Classic LB with only TCP listeners passes connections through',
      scope: brokenWorld((w) => {
        w.classic.tags[TAG] = 'nodejs';
        w.classic.listeners = [listener({ port: 443, protocol: 'TCP', instancePort: 8080, instanceProtocol: 'TCP' })];
      }),
    },
    {
      name: 'a config entry with a long keep-alive',
      scope: healthyWorld().scope,
      settings: { keepalive: [{ match: 'web', seconds: 120, detail: '.lbcheck.yml keepalive[0]' }] },
    },
  ],
  invalid: [
    {
      name: 'a Node.js target group behind an ALB with the default 60 s idle timeout',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = 'nodejs';
        w.alb.attributes.raw['idle_timeout.timeout_seconds'] = '60';
      }),
      expect: [
        {
          resourceArn: w0.alb.arn,
          discriminator: w0.albGroup.arn,
          messageIncludes: "ALB web's idle timeout (60 s) is not shorter than the keep-alive of target group web (5 s, from nodejs default, tag lbcheck:keepalive=nodejs on target group web)",
          fixIncludes: ['Make the backend keep-alive LONGER than 60 s', 'server.keepAliveTimeout = 65000 and server.headersTimeout = 66000'],
          evidence: {
            idleTimeoutSeconds: 60,
            idleTimeoutSource: 'load balancer attribute idle_timeout.timeout_seconds',
            keepAliveSeconds: 5,
            keepAliveSource: 'tag',
            server: 'nodejs',
            recommendedKeepAliveSeconds: 65,
          },
        },
      ],
    },
    {
      name: 'equal timeouts fire (the backend must be strictly longer)',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = '60';
      }),
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: '(60 s, from tag lbcheck:keepalive=60 on target group web)', fixIncludes: "raise the server's keep-alive (idle) timeout to 65 s" }],
    },
    {
      name: 'a config entry matched by a glob on the target group name',
      scope: healthyWorld().scope,
      settings: { keepalive: [{ match: 'we*', seconds: 30, server: 'jetty', detail: '.lbcheck.yml keepalive[0]' }] },
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: '(30 s, from jetty default, .lbcheck.yml keepalive[0] (we*))', fixIncludes: 'jetty.http.idleTimeout=65000', evidence: { keepAliveSource: 'config' } }],
    },
    {
      name: 'a config entry for load balancers does not match a target group of the same name, but matches the LB',
      scope: brokenWorld((w) => {
        w.albGroup.name = 'api';
        w.scope.loadBalancers = [w.alb];
      }),
      settings: { keepalive: [{ match: 'web', appliesTo: 'load-balancer', seconds: 10, detail: '.lbcheck.yml keepalive[1]' }] },
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: 'keep-alive of target group api (10 s, from .lbcheck.yml keepalive[1] (web))' }],
    },
    {
      name: 'a config glob on the target group ARN (the config file\'s one glob: * crosses / and :)',
      scope: healthyWorld().scope,
      settings: { keepalive: [{ match: 'arn:aws:elasticloadbalancing:*:targetgroup/we*', appliesTo: 'target-group', seconds: 4, detail: '.lbcheck.yml keepalive[2]' }] },
      expect: [{ resourceArn: w0.alb.arn, messageIncludes: '(4 s, from .lbcheck.yml keepalive[2] (arn:aws:elasticloadbalancing:*:targetgroup/we*))' }],
    },
    {
      name: 'a measured keep-alive that disagrees with a tag does not silently replace it: both are reported, the tag is used',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = '120s';
        w.scope.loadBalancers = [w.alb];
      }),
      settings: { measuredKeepalive: { [w0.albGroup.arn]: { seconds: 5.1, source: 'measured', detail: 'probe: 10.0.11.10:8080 closed an idle connection after 5.1 s' } } },
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'warning',
          messageIncludes: 'The keep-alive of target group web is declared as 120 s (tag lbcheck:keepalive=120s on target group web) but was measured as 5.1 s (probe: 10.0.11.10:8080 closed an idle connection after 5.1 s)',
          evidence: { declaredSeconds: 120, measuredSeconds: 5.1, used: 'declared' },
        },
      ],
    },
    {
      name: 'a measurement that stopped early (a proxy holding connections open) does not drop the finding the declaration makes',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = 'nodejs';
        w.scope.loadBalancers = [w.alb];
      }),
      settings: { measuredKeepalive: { [w0.albGroup.arn]: { seconds: 65, source: 'measured', detail: 'measured: 10.0.11.10:8080 kept an idle connection open for at least 65 s (the measurement stopped there)' } } },
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'warning',
          messageIncludes: ['declared as 5 s', 'measured as 65 s', 'a lower bound: the measurement stopped before the connection closed', 'lbcheck used the declared value'],
        },
        { resourceArn: w0.alb.arn, messageIncludes: '(5 s, from nodejs default, tag lbcheck:keepalive=nodejs on target group web)', evidence: { keepAliveSource: 'tag', measuredKeepAliveSeconds: 65 } },
      ],
    },
    {
      name: 'an LB tag that is not a sane number of seconds is reported once, not once per target group',
      scope: brokenWorld((w) => {
        const api = targetGroup({ name: 'api', targets: [target('i-web1', { port: 8080 })] });
        w.scope.targetGroups.push(api);
        forward(w.alb, api, { port: 8443 });
        w.alb.tags[TAG] = '9'.repeat(400);
        w.scope.loadBalancers = [w.alb];
      }),
      expect: [{ resourceArn: w0.alb.arn, severity: 'info', discriminator: 'invalid-tag:ALB web', messageIncludes: 'is more than a day (86400 s)' }],
    },
    {
      name: 'a keep-alive measured on one target ("ip:port") counts for its target group',
      scope: healthyWorld().scope,
      settings: { measuredKeepalive: { '10.0.12.10:8080': { seconds: 20, source: 'measured', detail: 'probe: 10.0.12.10:8080' } } },
      // The Classic LB sends to the same instance port, so the measurement counts for it too.
      expect: [
        { resourceArn: w0.alb.arn, messageIncludes: 'keep-alive of target group web (20 s, from probe: 10.0.12.10:8080)' },
        { resourceArn: w0.classic.arn, messageIncludes: 'keep-alive of Classic LB legacy (20 s, from probe: 10.0.12.10:8080)' },
      ],
    },
    {
      name: 'a tag it cannot understand is reported, and the LB tag is used instead',
      scope: brokenWorld((w) => {
        w.albGroup.tags[TAG] = 'fast';
        w.alb.tags[TAG] = 'uvicorn';
      }),
      expect: [
        {
          resourceArn: w0.alb.arn,
          severity: 'info',
          messageIncludes: 'The lbcheck:keepalive tag on target group web could not be understood ("fast" is neither a duration',
          evidence: { value: 'fast', usedInstead: { seconds: 5, source: 'tag', server: 'uvicorn' } },
        },
        { resourceArn: w0.alb.arn, messageIncludes: '(5 s, from uvicorn default, tag lbcheck:keepalive=uvicorn on ALB web)', fixIncludes: '--timeout-keep-alive 65' },
      ],
    },
  ],
});
