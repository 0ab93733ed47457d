import { describe, expect, it } from 'vitest';
import { targetEndpointsOfGroup, zoneSourceOf } from '../../src/engine/targets.js';
import { InventoryIndex } from '../../src/inventory/indexes.js';
import { healthyWorld, instance, target, targetGroup } from '../support/fixtures.js';

describe('zoneSourceOf', () => {
  it('says how each target was placed in an AZ, or why it could not be', () => {
    const w = healthyWorld();
    w.scope.instances.push(instance({ id: 'i-no-az', availabilityZone: undefined }));
    const ips = targetGroup({
      name: 'ips',
      targetType: 'ip',
      protocol: 'TCP',
      targets: [target('10.0.11.20'), target('192.168.5.5'), target('10.0.12.9', { availabilityZone: 'us-east-1b' })],
    });
    const instances = targetGroup({ name: 'instances', targets: [target('i-web1'), target('i-no-az'), target('i-gone')] });
    const lambdas = targetGroup({ name: 'fn', targetType: 'lambda', targets: [target('arn:aws:lambda:us-east-1:123456789012:function:fn')] });
    w.scope.targetGroups.push(ips, instances, lambdas);
    const index = new InventoryIndex(w.scope);
    const wording = (group: typeof ips) => targetEndpointsOfGroup(index, group).map(zoneSourceOf);

    expect(wording(ips)).toEqual(['subnet subnet-app-a holds 10.0.11.20', 'no subnet of vpc-1 holds 192.168.5.5', 'the AZ AWS reports for the target']);
    expect(wording(instances)).toEqual(['instance i-web1', 'instance i-no-az has no AZ in the inventory', 'instance i-gone is not in the inventory']);
    expect(wording(lambdas)).toEqual(['lambda targets are not placed in an AZ']);
  });
});
