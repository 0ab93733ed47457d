import { healthChecksOf } from '../src/engine/health-checks.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

/**
 * How long a dead target may keep receiving traffic before lbcheck calls it too long:
 * twice AWS's default detection time (30 s interval × 2 unhealthy checks = 60 s, the same
 * for ALB, NLB and Classic defaults). Beyond two minutes, a crashed target fails requests
 * for longer than most clients retry and most on-call alerts take to fire.
 */
export const MAX_DETECTION_SECONDS = 120;

export default defineRule({
  meta: {
    id: 'health-check-slow-failure-detection',
    title: 'A dead target keeps receiving traffic for minutes before the health check fails it',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['targetGroups'],
    appliesTo: ['application', 'network', 'classic'],
    description: `For each health check a load balancer runs, computes the time to detect a dead target: interval × unhealthy threshold (the consecutive failures needed), and reports it above ${MAX_DETECTION_SECONDS} s, twice AWS's default of 60 s (30 s interval × 2, the default for ALB, NLB and Classic health checks). Health checks that are off, and settings AWS did not return, are not judged.`,
    rationale:
      'Until the health check has failed a target the unhealthy-threshold number of times in a row, the load balancer keeps sending it its share of requests. A target that crashed or hung fails all of them: with a 60 s interval and a threshold of 5, that is five minutes of errors for every client routed to it.',
    remediation: {
      text: `Lower the interval or the unhealthy threshold so that interval × threshold is at most ${MAX_DETECTION_SECONDS} s (AWS defaults: 30 s × 2).`,
      cli: 'aws elbv2 modify-target-group --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/web/0123 --health-check-interval-seconds 10 --unhealthy-threshold-count 3\naws elb configure-health-check --load-balancer-name legacy --health-check Target=HTTP:8080/health,Interval=10,Timeout=5,UnhealthyThreshold=3,HealthyThreshold=2',
    },
    references: [
      { title: 'Health checks for Application Load Balancer target groups: health check settings', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#health-check-settings' },
      { title: 'Health checks for Network Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html' },
      { title: 'Health checks for your Classic Load Balancer: configuration', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html#health-check-configuration' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const check of healthChecksOf(scope)) {
      const { intervalSeconds, unhealthyThreshold } = check;
      if (intervalSeconds === undefined || unhealthyThreshold === undefined) continue;
      const detectionSeconds = intervalSeconds * unhealthyThreshold;
      if (detectionSeconds <= MAX_DETECTION_SECONDS) continue;
      findings.push({
        resource: check.resource,
        message: flat(`The health check of ${check.subject} needs ${unhealthyThreshold} failures ${intervalSeconds} s apart (${detectionSeconds} s) to fail a dead target, which keeps getting requests until then.`),
        fix: flat(`Bring interval × unhealthy threshold to ${MAX_DETECTION_SECONDS} s or less: ${check.modifyCommand}.`),
        related: check.related,
        evidence: { intervalSeconds, unhealthyThreshold, detectionSeconds, maxDetectionSeconds: MAX_DETECTION_SECONDS, ...(check.loadBalancerArn && { loadBalancerArn: check.loadBalancerArn }) },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
