/**
 * What a user writes by hand: a shell script that makes the calls lbcheck makes for an
 * inventory, with the aws CLI, one process per call. One line per call.
 */
import type { Inventory } from '../../src/inventory/model.js';

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function awsCliScript(inventory: Inventory, endpoint: string): string[] {
  const lines: string[] = [];
  for (const scope of inventory.scopes) {
    const aws = (service: string, command: string, args = '') => lines.push(`aws --endpoint-url ${endpoint} --region ${scope.region} --output json ${service} ${command} ${args} > /dev/null`);
    aws('sts', 'get-caller-identity');
    aws('elbv2', 'describe-load-balancers');
    aws('elbv2', 'describe-target-groups');
    aws('elb', 'describe-load-balancers');
    const elbv2 = scope.loadBalancers.filter((lb) => lb.kind !== 'classic');
    const classic = scope.loadBalancers.filter((lb) => lb.kind === 'classic');
    for (const batch of batches([...elbv2.map((lb) => lb.arn), ...scope.targetGroups.map((g) => g.arn)], 20)) aws('elbv2', 'describe-tags', `--resource-arns ${batch.map(quote).join(' ')}`);
    for (const lb of elbv2) {
      aws('elbv2', 'describe-load-balancer-attributes', `--load-balancer-arn ${quote(lb.arn)}`);
      aws('elbv2', 'describe-listeners', `--load-balancer-arn ${quote(lb.arn)}`);
      for (const listener of lb.listeners) {
        if (lb.kind === 'application') aws('elbv2', 'describe-rules', `--listener-arn ${quote(listener.arn ?? '')}`);
        if (lb.kind === 'network' && listener.protocol === 'TCP') aws('elbv2', 'describe-listener-attributes', `--listener-arn ${quote(listener.arn ?? '')}`);
      }
    }
    for (const group of scope.targetGroups) {
      aws('elbv2', 'describe-target-group-attributes', `--target-group-arn ${quote(group.arn)}`);
      aws('elbv2', 'describe-target-health', `--target-group-arn ${quote(group.arn)}`);
    }
    for (const lb of classic) {
      aws('elb', 'describe-load-balancer-attributes', `--load-balancer-name ${quote(lb.name)}`);
      aws('elb', 'describe-instance-health', `--load-balancer-name ${quote(lb.name)}`);
    }
    for (const batch of batches(classic.map((lb) => lb.name), 20)) aws('elb', 'describe-tags', `--load-balancer-names ${batch.map(quote).join(' ')}`);
    const vpcs = [...new Set(scope.vpcs.map((v) => v.id))].join(',');
    const byVpc = `--filters Name=vpc-id,Values=${vpcs}`;
    aws('ec2', 'describe-vpcs', `--vpc-ids ${scope.vpcs.map((v) => v.id).join(' ')}`);
    for (const command of ['describe-subnets', 'describe-route-tables', 'describe-security-groups', 'describe-network-acls', 'describe-network-interfaces', 'describe-nat-gateways']) aws('ec2', command, byVpc);
    aws('ec2', 'describe-internet-gateways', `--filters Name=attachment.vpc-id,Values=${vpcs}`);
    aws('ec2', 'describe-egress-only-internet-gateways');
    for (const batch of batches(scope.instances.map((i) => i.id), 200)) aws('ec2', 'describe-instances', `--instance-ids ${batch.join(' ')}`);
  }
  return lines;
}
