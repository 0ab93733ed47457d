import { describeLoadBalancer, loadBalancerResource } from '../src/engine/targets.js';
import { defineRule, type RuleFinding } from '../src/engine/types.js';
import { flat } from '../src/engine/text.js';

export default defineRule({
  meta: {
    id: 'classic-connection-draining-disabled',
    title: 'Classic Load Balancer cuts in-flight requests when an instance is deregistered',
    defaultSeverity: 'warning',
    category: 'resilience',
    source: 'config',
    requires: ['loadBalancerAttributes'],
    appliesTo: ['classic'],
    description:
      'Reports each Classic Load Balancer whose ConnectionDraining attribute is off. (Application and Network Load Balancers always drain, for their target groups\' deregistration delay.) When the attributes could not be read, nothing is reported.',
    rationale:
      'Without connection draining, deregistering an instance (a deploy, an Auto Scaling scale-in, an instance that turned unhealthy) closes the connections it is serving at once: every request in flight on it fails. With draining on, the load balancer stops sending new requests and lets the open ones finish, up to the timeout (300 s by default).',
    remediation: {
      text: 'Turn connection draining on, with a timeout longer than your slowest request.',
      cli: 'aws elb modify-load-balancer-attributes --load-balancer-name legacy --load-balancer-attributes "{\\"ConnectionDraining\\":{\\"Enabled\\":true,\\"Timeout\\":300}}"',
      iac: 'resource "aws_elb" "legacy" {\n  connection_draining         = true\n  connection_draining_timeout = 300\n}',
    },
    references: [{ title: 'Configure connection draining for your Classic Load Balancer', url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-conn-drain.html' }],
  },
  check({ scope }) {
    const findings: RuleFinding[] = [];
    for (const lb of scope.loadBalancers) {
      // Absent when AWS did not say: "If you create your load balancer using the API or CLI, connection draining is disabled", but a missing field is not a finding.
      if (lb.kind !== 'classic' || lb.attributes.connectionDraining?.enabled !== false) continue;
      findings.push({
        resource: loadBalancerResource(lb, scope),
        message: flat(`${describeLoadBalancer(lb)} has connection draining off, so deregistering an instance (a deploy, a scale-in) fails the requests it is serving.`),
        fix: flat(`Turn it on: aws elb modify-load-balancer-attributes --load-balancer-name ${lb.name} --load-balancer-attributes ConnectionDraining={Enabled=true,Timeout=300}.`),
        related: { loadBalancerArn: lb.arn },
        evidence: { connectionDraining: lb.attributes.connectionDraining },
        discriminator: undefined,
        severity: undefined,
      });
    }
    return findings;
  },
});
