import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import type { LoadBalancer } from '../src/inventory/model.js';
import { flat } from '../src/engine/text.js';

/** NLBs write access logs for TLS listeners only: "Access logs are created only if the load balancer has a TLS listener". */
function writesAccessLogs(lb: LoadBalancer): boolean {
  if (lb.kind === 'gateway') return false;
  return lb.kind !== 'network' || lb.listeners.some((listener) => listener.protocol === 'TLS');
}

function enableCommand(lb: LoadBalancer): string {
  return lb.kind === 'classic'
    ? 'aws elb modify-load-balancer-attributes --load-balancer-attributes AccessLog={Enabled=true,S3BucketName=BUCKET}'
    : 'aws elbv2 modify-load-balancer-attributes --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=BUCKET';
}

export default defineRule({
  meta: {
    id: 'access-logs-disabled',
    title: 'Load balancer does not write access logs',
    defaultSeverity: 'info',
    category: 'operations',
    source: 'config',
    requires: ['listeners', 'loadBalancerAttributes'],
    appliesTo: ['application', 'network', 'classic'],
    description:
      'Reports each ALB and Classic LB whose access logs are off (ALB access_logs.s3.enabled, Classic AccessLog.Enabled; AWS default: off), and each NLB with a TLS listener whose access logs are off (NLBs log TLS requests only, so an NLB without a TLS listener has nothing to log). Gateway Load Balancers have no access logs. When the attributes could not be read, nothing is reported.',
    rationale:
      "Access logs are the load balancer's only record of each request: client address, target, status codes from the LB and the target, and timings. Without them, a 502 or a slow request cannot be traced to a target after the fact, and a security investigation has no record of who connected.",
    remediation: {
      text: 'Turn access logs on, to an S3 bucket whose policy lets Elastic Load Balancing write to it.',
      cli: 'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=my-lb-logs\naws elb modify-load-balancer-attributes --load-balancer-name legacy --load-balancer-attributes "{\\"AccessLog\\":{\\"Enabled\\":true,\\"S3BucketName\\":\\"my-lb-logs\\"}}"',
      iac: 'resource "aws_lb" "web" {\n  access_logs {\n    bucket  = aws_s3_bucket.lb_logs.id\n    enabled = true\n  }\n}',
    },
    references: [
      { title: 'Access logs for your Application Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html' },
      { title: 'Access logs for your Network Load Balancer (TLS requests only)', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html' },
      { title: 'Access logs for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.attributes.accessLogsEnabled !== false || !writesAccessLogs(lb)) continue;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} writes no access logs, so failed or slow requests cannot be traced afterwards.`),
        fix: flat(`Turn them on: ${enableCommand(lb)}.`),
        related: { loadBalancerArn: lb.arn },
        evidence: { accessLogsEnabled: false, attribute: lb.kind === 'classic' ? 'AccessLog.Enabled' : 'access_logs.s3.enabled' },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
