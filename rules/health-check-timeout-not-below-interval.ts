import { healthChecksOf } from '../src/engine/health-checks.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'health-check-timeout-not-below-interval',
    title: 'Health check timeout is not shorter than its interval',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['targetGroups'],
    appliesTo: ['application', 'network', 'classic'],
    description:
      'For each health check a load balancer runs (target groups some load balancer forwards to, and Classic LBs), reports a response timeout equal to or longer than the interval between checks. Health checks that are off, and settings AWS did not return, are not judged.',
    rationale:
      'A check that may wait as long as the interval overlaps the next one: a slow target is never seen to fail within one interval, so the health check cannot give a clear answer, and the detection time the interval and threshold promise does not hold. AWS requires the timeout to be shorter than the interval for Classic LBs and HTTP/HTTPS target groups; a value that slipped through (an older API, a template) still misleads.',
    remediation: {
      text: 'Set the timeout below the interval: for HTTP checks a few seconds (AWS defaults: 5 s for ALB HTTP checks, 10 s for NLB TCP checks, 30 s interval).',
      cli: 'aws elbv2 modify-target-group --target-group-arn arn:aws:elasticloadbalancing:...:targetgroup/web/0123 --health-check-timeout-seconds 5 --health-check-interval-seconds 30\naws elb configure-health-check --load-balancer-name legacy --health-check Target=HTTP:8080/health,Interval=30,Timeout=5,UnhealthyThreshold=2,HealthyThreshold=2',
    },
    references: [
      { title: 'Health checks for Application Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html' },
      { title: 'Health checks for Network Load Balancer target groups', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html' },
      { title: 'Health checks for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const check of healthChecksOf(scope)) {
      const { intervalSeconds, timeoutSeconds } = check;
      if (intervalSeconds === undefined || timeoutSeconds === undefined || timeoutSeconds < intervalSeconds) continue;
      findings.push({
        resource: check.resource,
        message: flat(`The health check of ${check.subject} waits ${timeoutSeconds} s for an answer but runs every ${intervalSeconds} s, so checks overlap and a slow target is never clearly failed.`),
        fix: flat(`Set the timeout below the interval: ${check.modifyCommand}.`),
        related: check.related,
        evidence: { intervalSeconds, timeoutSeconds, ...(check.loadBalancerArn && { loadBalancerArn: check.loadBalancerArn }) },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
