import rule from '../../../rules/desync-mitigation-monitor.js';
import { alb, classic, scopeOf } from '../../support/fixtures.js';
import { ruleTester } from '../../support/rule-tester.js';

const mode = (desyncMitigationMode: string | undefined) => ({ crossZoneEnabled: true, desyncMitigationMode, raw: {} });
const monitoring = alb({ name: 'web', attributes: mode('monitor') });
const monitoringClassic = classic({ name: 'legacy', attributes: mode('monitor') });

ruleTester(rule).run({
  valid: [
    { name: 'defensive and strictest', scope: scopeOf({ loadBalancers: [alb({ name: 'web', attributes: mode('defensive') }), classic({ name: 'legacy', attributes: mode('strictest') })] }) },
  ],
  invalid: [
    {
      name: 'an ALB and a Classic LB in monitor mode',
      scope: scopeOf({ loadBalancers: [monitoring, monitoringClassic] }),
      expect: [
        { resourceArn: monitoring.arn, messageIncludes: 'ALB web only monitors HTTP desync', fixIncludes: 'Key=routing.http.desync_mitigation_mode,Value=defensive', evidence: { desyncMitigationMode: 'monitor' } },
        { resourceArn: monitoringClassic.arn, messageIncludes: 'Classic LB legacy only monitors', fixIncludes: 'elb.http.desyncmitigationmode', evidence: { attribute: 'elb.http.desyncmitigationmode' } },
      ],
    },
  ],
});
