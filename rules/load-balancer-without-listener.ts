import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'load-balancer-without-listener',
    title: 'Load balancer has no listener',
    defaultSeverity: 'warning',
    category: 'operations',
    source: 'config',
    requires: ['listeners'],
    appliesTo: ['application', 'network', 'gateway', 'classic'],
    description:
      'Reports each load balancer with no listener at all. A listener whose every target group is empty (or has no healthy target) is reported once, by target-group-without-healthy-targets, not here. When the listeners could not be listed, nothing is reported (a notChecked entry says why).',
    rationale:
      'Without a listener a load balancer accepts no connection: its DNS name resolves, but every client gets a refused or timed-out connection. It is either an outage (the listener was deleted) or a leftover that still costs its hourly charge and keeps its subnets\' addresses.',
    remediation: {
      text: 'Add the listener the load balancer is for, or delete the load balancer (after checking that no DNS record points at it).',
      cli: 'aws elbv2 create-listener --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123 --protocol HTTPS --port 443 --certificates CertificateArn=arn:aws:acm:... --default-actions Type=forward,TargetGroupArn=arn:aws:elasticloadbalancing:...:targetgroup/web/0123\naws elbv2 delete-load-balancer --load-balancer-arn arn:aws:elasticloadbalancing:...:loadbalancer/app/web/0123',
    },
    references: [
      { title: 'Listeners for your Application Load Balancers', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html' },
      { title: 'Listeners for your Network Load Balancers', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html' },
      { title: 'Listeners for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html' },
    ],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      if (lb.listeners.length > 0) continue;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} has no listener, so every connection to ${lb.dnsName || 'it'} is refused.`),
        fix: 'Add a listener, or delete the load balancer if nothing uses it.',
        related: { loadBalancerArn: lb.arn },
        evidence: { listeners: [], dnsName: lb.dnsName },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
